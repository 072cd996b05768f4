"""A city's ranking takes its people from the org directory (org.selectors.people_directory):
the same names and departments as reading them, no query while nobody changed, and never an
old name once a rename commits. The directory is kept between transactions, so these tests
commit (``transaction=True``); EVERYONE_FROM = 1 makes a handful of people "a city"."""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from common import periods
from org.models import Department
from org.services import staff_transfer
from org.tests.factories import BureauFactory, UserFactory
from scoring import selectors
from scoring.exports import ranking_csv
from scoring.selectors import quarter_ranking
from scoring.tests.factories import record

User = get_user_model()
pytestmark = pytest.mark.django_db(transaction=True)
AT = datetime(2026, 2, 10, 12, tzinfo=periods.KST)


def people(n: int) -> list:
    bureau = BureauFactory(name="기획재정국")
    dept = Department.objects.create(bureau=bureau, name="총무과")
    users = []
    for i in range(n):
        user = UserFactory(username=f"p{i}", last_name="김", first_name=f"직원{i}", password="!")
        staff_transfer(user=user, department=dept if i % 2 == 0 else None)
        record(user, "proposal_submitted", AT)
        record(user, "approval", AT, area="club")
        users.append(user)
    return users


def shown(rows: list) -> list[tuple]:
    return [(r.user_id, r.user.get_username(), r.user.first_name, r.department) for r in rows]


@pytest.fixture
def city(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "EVERYONE_FROM", 1)


def test_the_directory_gives_what_reading_the_people_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    users = people(4)
    read = shown(quarter_ranking(year=2026, quarter=1))  # 4 < EVERYONE_FROM: read them
    monkeypatch.setattr(selectors, "EVERYONE_FROM", 1)
    assert shown(quarter_ranking(year=2026, quarter=1)) == read
    assert {r[3] for r in read} == {"총무과", ""} and len(read) == len(users)


def test_a_kept_directory_costs_no_query(city: None, django_assert_num_queries: object) -> None:
    people(3)
    quarter_ranking(year=2026, quarter=1)
    with django_assert_num_queries(1):  # the roll-up's rows only
        rows = quarter_ranking(year=2026, quarter=1)
    assert [r.rank for r in rows] == [1, 1, 1]


def test_the_export_never_shows_an_old_name_after_the_rename_commits(city: None) -> None:
    users = people(3)
    assert "김직원1" in "".join(ranking_csv(year=2026, quarter=1))
    users[1].first_name = "새이름"
    users[1].save(update_fields=["first_name"])
    csv = "".join(ranking_csv(year=2026, quarter=1))
    assert "김새이름" in csv and "김직원1" not in csv


def test_a_transfer_moves_the_person_in_the_next_ranking(city: None) -> None:
    users = people(2)
    assert {r.user_id: r.department for r in quarter_ranking(year=2026, quarter=1)}[
        users[1].pk
    ] == ""
    staff_transfer(user=users[1], department=Department.objects.get(name="총무과"))
    assert {r.user_id: r.department for r in quarter_ranking(year=2026, quarter=1)}[
        users[1].pk
    ] == "총무과"


def test_someone_the_directory_has_not_seen_is_read(
    city: None, django_assert_num_queries: object
) -> None:
    people(2)
    quarter_ranking(year=2026, quarter=1)  # the directory is kept
    with connection.cursor() as cursor:  # raw SQL, as the bench builds its staff: no signal
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined) VALUES ('!', false, 'raw', '새사람', '박',"
            " '', false, true, now())"
        )
    record(User.objects.get(username="raw"), "approval", AT)
    with django_assert_num_queries(3):  # the rows, then the one missing person (2 queries)
        rows = quarter_ranking(year=2026, quarter=1)
    raw = next(r for r in rows if r.user.get_username() == "raw")
    assert (raw.user.last_name, raw.user.first_name, raw.department) == ("박", "새사람", "")
