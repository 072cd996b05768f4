"""The people directory (org.selectors.people_directory): a process keeps it while nobody is
renamed or moved, and never shows an old name or department once the change commits.

These tests commit (``transaction=True``): the directory is only kept between transactions,
and what they check is what happens at a commit and at a rollback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction

from org import selectors
from org.models import Department, StaffProfile
from org.selectors import people_directory
from org.services import staff_transfer
from org.staff_import import staff_import
from org.tests.factories import DepartmentFactory, UserFactory
from org.tests.staff_files import Upload, person, xlsx_bytes

User = get_user_model()
pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def staffer(username: str, department: Department | None = None) -> object:
    user = UserFactory(username=username, last_name="김", first_name="민수", password="!")
    staff_transfer(user=user, department=department)
    return user


def test_it_reads_once_then_keeps_the_directory(django_assert_num_queries: object) -> None:
    dept = DepartmentFactory(name="총무과")
    user = staffer("kim", dept)
    with django_assert_num_queries(2):  # departments, users
        first = people_directory()
    assert first[user.pk] == (user.pk, "kim", "민수", "김", "총무과")
    with django_assert_num_queries(0):
        assert people_directory() is first


def test_a_rename_shows_once_it_commits_and_its_own_transaction_sees_it() -> None:
    user = staffer("kim")
    assert people_directory()[user.pk][2:4] == ("민수", "김")
    with transaction.atomic():
        user.first_name = "민준"
        user.save(update_fields=["first_name"])
        assert people_directory()[user.pk][2] == "민준"  # its own write, read afresh
    assert people_directory()[user.pk][2] == "민준"  # committed: the kept copy is gone


def test_a_full_save_and_an_admin_rename_count_too() -> None:
    user = staffer("kim")
    people_directory()
    changed = User.objects.get(pk=user.pk)  # as the admin's change form saves it: every field
    changed.last_name = "이"
    changed.save()
    assert people_directory()[user.pk][3] == "이"


def test_a_rolled_back_rename_is_never_kept() -> None:
    user = staffer("kim")
    people_directory()
    with pytest.raises(RuntimeError), transaction.atomic():
        user.first_name = "유령"
        user.save()
        assert people_directory()[user.pk][2] == "유령"
        raise RuntimeError
    assert people_directory()[user.pk][2] == "민수"


def test_a_rename_in_a_rolled_back_savepoint_is_not_a_change() -> None:
    user = staffer("kim")
    kept = people_directory()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            user.first_name = "유령"
            user.save()
            raise RuntimeError
        assert people_directory() is kept  # nothing of it is left to commit
        other = staffer("lee")  # a change after it counts again
        assert people_directory()[other.pk][1] == "lee"
    assert people_directory()[user.pk][2] == "민수"
    assert people_directory()[other.pk][1] == "lee"


def test_many_changes_in_one_transaction_change_the_version_once() -> None:
    users = [staffer(f"p{i}") for i in range(3)]
    with transaction.atomic():
        for user in users:
            user.first_name = "새"
            user.save()
        assert sum(e[1] is selectors.directory_changed for e in connection.run_on_commit) == 1
    assert {people_directory()[u.pk][2] for u in users} == {"새"}


def test_a_transfer_and_a_department_rename_show_once_committed() -> None:
    old, new = DepartmentFactory(name="총무과"), DepartmentFactory(name="전산정보과")
    user = staffer("kim", old)
    assert people_directory()[user.pk][4] == "총무과"
    staff_transfer(user=user, department=new)
    assert people_directory()[user.pk][4] == "전산정보과"
    new.name = "디지털정보과"
    new.save()
    assert people_directory()[user.pk][4] == "디지털정보과"


def test_deleting_a_department_or_a_person_shows_at_once() -> None:
    dept = DepartmentFactory(name="임시과")
    user = UserFactory(username="kim", password="!")
    StaffProfile.objects.create(user=user, department=dept)  # no history: an old account
    assert people_directory()[user.pk][4] == "임시과"
    dept.delete()  # SET_NULL on the profile: an UPDATE without signals of its own
    assert people_directory()[user.pk][4] == ""
    pk = user.pk
    user.delete()
    assert pk not in people_directory()


def test_the_staff_imports_bulk_renames_and_moves_show_once_committed() -> None:
    def run(rows: list) -> None:
        upload = Upload(xlsx_bytes(rows), "인사.xlsx")
        result = staff_import(**upload.args(), create_departments=True)
        assert result.run is not None

    run([person("10001", "김민수", "총무과")])
    pk = User.objects.get(username="10001").pk
    assert people_directory()[pk][2:] == ("민수", "김", "총무과")
    run([person("10001", "김민준", "전산정보과")])  # bulk_update and QuerySet.update
    assert people_directory()[pk][2:] == ("민준", "김", "전산정보과")


def test_a_login_keeps_the_directory(django_assert_num_queries: object) -> None:
    user = staffer("kim")
    kept = people_directory()
    update_last_login(None, user)
    with django_assert_num_queries(0):
        assert people_directory() is kept


def test_a_write_without_signals_is_seen_when_the_copy_is_old(monkeypatch: object) -> None:
    user = staffer("kim")
    people_directory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET first_name = %s WHERE id = %s", ["민준", user.pk])
    assert people_directory()[user.pk][2] == "민수"  # raw SQL: no signal
    monkeypatch.setattr(selectors, "DIRECTORY_MAX_AGE", 0.0)  # type: ignore[attr-defined]
    assert people_directory()[user.pk][2] == "민준"


def test_a_flushed_cache_reads_the_directory_again(django_assert_num_queries: object) -> None:
    staffer("kim")
    people_directory()
    selectors.cache.clear()
    with django_assert_num_queries(2):
        people_directory()


@pytest.mark.django_db(transaction=False)
def test_every_process_connects_the_receivers_while_django_sets_up() -> None:
    """A Celery worker or a cron command that never imports org.selectors itself still
    announces its renames (OrgConfig.ready connects the receivers)."""
    code = (
        "import django; django.setup()\n"
        "from django.db.models.signals import post_delete, post_save\n"
        "uids = {key[0] for key, *_ in post_save.receivers + post_delete.receivers}\n"
        "print(sorted(u for u in uids if isinstance(u, str) and u.startswith('org.directory')))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jisik_portal.settings",
        "SECRET_KEY": "test-" + "x" * 50,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    for label in ("auth.user", "org.staffprofile", "org.department", "org.staffimportrun"):
        assert f"org.directory.save.{label}" in out
        assert f"org.directory.delete.{label}" in out
