"""Rankings for any period (month, quarter, half-year, year) and by department."""

from datetime import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common import periods
from org.models import StaffProfile
from org.tests.factories import DepartmentFactory, staff_user
from scoring import calculations as calc
from scoring.models import UserMonth
from scoring.selectors import department_ranking, leaderboard, period_ranking
from scoring.services import rollups_rebuild
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db
KST = periods.KST
MARCH = datetime(2026, 3, 10, 12, tzinfo=KST)
MAY = datetime(2026, 5, 10, 12, tzinfo=KST)
AUGUST = datetime(2026, 8, 10, 12, tzinfo=KST)


def test_eligibility_is_a_proposal_in_the_period_itself() -> None:
    user = staff_user()
    record(user, "proposal_submitted", MARCH)
    record(user, "approval", MAY, area="club")
    assert period_ranking(year=2026, month=3)[0].eligible
    may = period_ranking(year=2026, month=5)[0]
    assert not may.eligible and may.rank is None and may.total == D(10)
    first_half = period_ranking(year=2026, half=1)[0]
    assert first_half.eligible and first_half.rank == 1 and first_half.total == D(10)
    assert period_ranking(year=2026, half=2) == []
    assert period_ranking(year=2026)[0].total == D(10)


def test_a_half_year_adds_months_each_capped_on_its_own() -> None:
    user = staff_user()
    record(user, "proposal_submitted", MARCH)
    for at in (MARCH, MAY):
        for _ in range(25):  # 50 comment points a month, capped at 40
            record(user, "comment", at)
    assert period_ranking(year=2026, month=3)[0].comment == D(40)
    assert period_ranking(year=2026, half=1)[0].comment == D(80)
    assert period_ranking(year=2026)[0].comment == D(80)


def test_rows_carry_the_users_names_and_departments() -> None:
    user = staff_user()
    record(user, "proposal_submitted", AUGUST)
    row = period_ranking(year=2026, half=2)[0]
    assert row.user == user and row.department == user.staff_profile.department.name
    assert [r.user_id for r in period_ranking(year=2026, half=2, with_users=False)] == [user.pk]


def test_the_month_row_keeps_the_department_at_the_time() -> None:
    old, new = DepartmentFactory(), DepartmentFactory()
    user = staff_user(department=old)
    record(user, "approval", MARCH, area="club")
    StaffProfile.objects.filter(user=user).update(department=new)
    user.refresh_from_db()
    record(user, "approval", MAY, area="club")
    months = dict(UserMonth.objects.filter(user=user).values_list("month", "department_id"))
    assert months == {periods.month(2026, 3).start: old.pk, periods.month(2026, 5).start: new.pk}
    rows = {r.department_id: r for r in department_ranking(year=2026, half=1)}
    assert rows[old.pk].participants == 1 and rows[old.pk].approvals == 1
    assert rows[new.pk].participants == 1 and rows[new.pk].total == D(10)
    # A recompute keeps each month where it was earned.
    rollups_rebuild(year=2026)
    again = dict(UserMonth.objects.filter(user=user).values_list("month", "department_id"))
    assert again == months
    assert UserMonth.objects.get(user=user, month=periods.month(2026, 3).start).approvals == 1


def test_the_department_view_counts_participants_points_per_member_and_approvals() -> None:
    big, small, idle = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    big_people = [staff_user(department=big) for _ in range(4)]
    small_person = staff_user(department=small)
    staff_user(department=idle)
    for person in big_people[:2]:
        record(person, "approval", MARCH, area="club")  # 10 each
    for _ in range(25):
        record(small_person, "comment", MARCH)  # 50, capped at 40
    record(small_person, "approval", MARCH, area="docs")  # 5
    rows = department_ranking(year=2026, quarter=1)
    by_id = {r.department_id: r for r in rows}
    assert (by_id[small.pk].participants, by_id[small.pk].members) == (1, 1)
    assert by_id[small.pk].total == D(45) and by_id[small.pk].per_member == D(45)
    assert by_id[small.pk].approvals == 1
    assert (by_id[big.pk].participants, by_id[big.pk].members) == (2, 4)
    assert by_id[big.pk].total == D(20) and by_id[big.pk].per_member == D(5)
    assert by_id[big.pk].approvals == 2
    assert by_id[idle.pk].participants == 0 and by_id[idle.pk].per_member == D(0)
    assert [r.department_id for r in rows[:2]] == [small.pk, big.pk]
    assert (by_id[small.pk].rank, by_id[big.pk].rank) == (1, 2)


def test_departments_rank_by_points_per_member_with_shared_ranks() -> None:
    rows = [
        calc_row("마", D(10), 1),  # 10 per member like 가 and 나, fewer points in all
        calc_row("가", D(20), 2),
        calc_row("나", D(20), 2),
        calc_row("다", D(30), 2),
        calc_row("라", D(5), 0),  # no members: listed last, unranked
    ]
    ranked = calc.rank_departments(rows)
    assert [(r.name, r.rank) for r in ranked] == [
        ("다", 1), ("가", 2), ("나", 2), ("마", 4), ("라", None),
    ]  # fmt: skip


class calc_row:  # a tiny stand-in for DepartmentRow
    def __init__(self, name: str, total: D, members: int) -> None:
        self.name, self.total, self.members, self.rank = name, total, members, None

    @property
    def per_member(self) -> D | None:
        return calc.per_member(self.total, self.members)


def test_the_leaderboard_of_a_year_and_a_month_ranks_the_top() -> None:
    a, b = staff_user(), staff_user()
    for u in (a, b):
        record(u, "proposal_submitted", MARCH)
    record(b, "approval", AUGUST, area="club")
    year = leaderboard(year=2026)
    assert [(r.user_id, r.rank) for r in year.rows] == [(b.pk, 1), (a.pk, 2)]
    assert year.listed == 2 and year.kind == "year" and year.round is None
    march = leaderboard(year=2026, month=3)
    assert [r.rank for r in march.rows] == [1, 1]


# --- The page ----------------------------------------------------------------------------------


def this_month_at() -> datetime:
    return timezone.now().astimezone(KST).replace(day=1, hour=9, minute=0)


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ({"period": "month", "year": 2026, "month": 3}, "2026년 3월 창의왕 순위"),
        ({"period": "quarter", "year": 2026, "quarter": 1}, "2026년 1분기 창의왕 순위"),
        ({"period": "half", "year": 2026, "half": 1}, "2026년 상반기 창의왕 순위"),
        ({"period": "year", "year": 2026}, "2026년 연간 창의왕 순위"),
        ({"year": 2026, "quarter": 1}, "2026년 1분기 창의왕 순위"),  # a winner's old link
    ],
)
def test_each_tab_shows_its_period(client: object, query: dict, heading: str) -> None:
    user = staff_user()
    record(user, "proposal_submitted", MARCH)
    client.force_login(user)
    html = client.get(reverse("scoring:leaderboard"), query).content.decode()
    assert heading in html
    assert html.count('data-testid="leaderboard-row"') == 1
    for label in ("월", "분기", "반기", "연간"):
        assert f">{label}</a>" in html
    assert 'aria-current="page"' in html


def test_the_department_view_lists_departments(client: object) -> None:
    dept = DepartmentFactory(name="창의행정과")
    user = staff_user(department=dept)
    record(user, "approval", MARCH, area="club")
    client.force_login(user)
    html = client.get(
        reverse("scoring:leaderboard"),
        {"period": "half", "year": 2026, "half": 1, "view": "departments"},
    ).content.decode()
    assert 'data-testid="department-table"' in html and "창의행정과" in html
    assert 'data-testid="leaderboard-row"' not in html


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize(
    "query",
    [
        {"period": "month"},
        {"period": "half"},
        {"period": "year"},
        {"period": "year", "view": "departments"},
    ],
)
def test_period_pages_query_count_does_not_grow(
    client: object, django_assert_max_num_queries: object, n: int, query: dict
) -> None:
    at = this_month_at()
    users = [staff_user() for _ in range(n)]
    for i, u in enumerate(users):
        if i % 2:
            record(u, "proposal_submitted", at)
        record(u, "approval", at, area="club")
    client.force_login(users[0])
    year = periods.local_date(timezone.now()).year
    with django_assert_max_num_queries(12):
        response = client.get(reverse("scoring:leaderboard"), {**query, "year": year})
    assert response.status_code == 200


def _page_queries(client: object, query: dict) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("scoring:leaderboard"), query)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"period": "month"},
        {"period": "quarter"},
        {"period": "half"},
        {"period": "year"},
        {"period": "year", "view": "departments"},
    ],
)
def test_every_tab_is_paginated_with_the_same_queries_at_any_size(
    client: object, monkeypatch: pytest.MonkeyPatch, query: dict
) -> None:
    monkeypatch.setattr("scoring.views.LEADERBOARD_SIZE", 4)
    at = this_month_at()
    year = periods.local_date(timezone.now()).year
    counts = []
    for n in (10, 30):
        for i in range(len(StaffProfile.objects.all()), n):
            u = staff_user(department=DepartmentFactory(name=f"쪽수{i:02d}과"))
            record(u, "proposal_submitted", at)
            for _ in range(i % 3):  # ties: 0, 1 or 2 approvals
                record(u, "approval", at, area="club")
        client.force_login(StaffProfile.objects.first().user)  # type: ignore[attr-defined]
        _page_queries(client, {**query, "year": year})  # the login's first request saves more
        first, _html = _page_queries(client, {**query, "year": year})
        second, html = _page_queries(client, {**query, "year": year, "page": 2})
        counts.append((first, second))
        rows = "department-row" if query.get("view") else "leaderboard-row"
        assert html.count(f'data-testid="{rows}"') == 4
        assert 'aria-label="페이지 이동"' in html and "page=3" in html
    assert counts[0] == counts[1], counts


def test_a_later_page_keeps_the_ranks_of_the_full_list() -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=periods.KST)
    people = [staff_user() for _ in range(7)]
    # approvals 3, 2, 2, 2, 1, 1, 0: ranks 1, 2, 2, 2, 5, 5, 7 (the last one has no proposal).
    for user, approvals in zip(people, (3, 2, 2, 2, 1, 1, 0), strict=True):
        if approvals:
            record(user, "proposal_submitted", at)
        for _ in range(approvals):
            record(user, "approval", at, area="club")
    record(people[-1], "view", at)
    full = [r.rank for r in period_ranking(year=2026, quarter=1)]
    assert full == [1, 2, 2, 2, 5, 5, None]
    for per_page in (2, 3):
        pages = []
        for number in range(1, -(-7 // per_page) + 1):
            board = leaderboard(year=2026, quarter=1, page=number, per_page=per_page)
            assert board.page is not None and board.page.number == number
            pages += [r.rank for r in board.rows]
        assert pages == full, per_page
    # Past the last page: the last page.
    assert [r.rank for r in leaderboard(year=2026, quarter=1, page=99, per_page=3).rows] == [None]
