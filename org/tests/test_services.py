import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from org.models import Bureau, Department, StaffProfile, Team
from org.roles import Role
from org.services import roles_ensure, staff_create

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
User = get_user_model()


def test_it_creates_every_role_group_with_korean_names() -> None:
    roles_ensure()
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "지식나눔 관리자",
        "실무평가단",
        "창의구정추진단",
        "구민창안심사위원회",
        "직원",
    } <= names


def test_portal_admins_get_the_portal_model_permissions() -> None:
    groups = roles_ensure()
    codenames = set(groups[Role.PORTAL_ADMIN].permissions.values_list("codename", flat=True))
    assert {"change_department", "add_staffprofile"} <= codenames
    assert not groups[Role.STAFF].permissions.exists()


def test_staff_create_is_idempotent_and_sets_admin_access() -> None:
    bureau = Bureau.objects.create(name="기획재정국")
    dept = Department.objects.create(bureau=bureau, name="기획예산과")
    kwargs = dict(
        username="hong", password="junggu-2016x", last_name="홍", first_name="길동",
        department=dept, roles=[Role.PORTAL_ADMIN],
    )  # fmt: skip
    user = staff_create(**kwargs)
    again = staff_create(**kwargs)
    assert user.pk == again.pk
    assert User.objects.filter(username="hong").count() == 1
    assert StaffProfile.objects.filter(user=user).count() == 1
    assert user.is_staff and user.check_password("junggu-2016x")
    assert user.groups.filter(name=Role.PORTAL_ADMIN).exists()


def test_seed_demo_twice_changes_nothing() -> None:
    call_command("seed_demo", "--quiet-logins", stdout=open("/dev/null", "w"))
    counts = (User.objects.count(), Department.objects.count(), Team.objects.count(),
              StaffProfile.objects.count(), Bureau.objects.count())  # fmt: skip
    call_command("seed_demo", "--quiet-logins", stdout=open("/dev/null", "w"))
    again = (User.objects.count(), Department.objects.count(), Team.objects.count(),
             StaffProfile.objects.count(), Bureau.objects.count())  # fmt: skip
    assert counts == again
    assert Bureau.objects.count() == 6
    assert Department.objects.filter(kind=Department.Kind.DONG).count() == 15
    assert Department.objects.filter(name__in=["기획예산과", "총무과", "전산정보과"]).count() == 3
    # each role has at least one demo account
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
