"""activities_record: many ledger rows at once (the board's batched views) leave the ledger
and every roll-up exactly as recording them one by one does, caps, KST months and all."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import periods
from org.tests.factories import staff_user
from scoring.models import Activity, UserMonth, UserQuarter, UserYear
from scoring.services import NewActivity, activities_record, activity_record, activity_void

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
KST = periods.KST


def _rollups(user) -> list[tuple]:
    """Every roll-up row of ``user``, without ids and the user."""
    months = UserMonth.objects.filter(user=user).order_by("month").values_list(
        "month", "approval_points", "comment_points", "view_points", "approvals", "proposals",
        "department_id",
    )  # fmt: skip
    quarters = UserQuarter.objects.filter(user=user).order_by("year", "quarter").values_list(
        "year", "quarter", "approval_points", "comment_points", "view_points", "total",
        "proposals",
    )  # fmt: skip
    years = (
        UserYear.objects.filter(user=user)
        .order_by("year", "half")
        .values_list("year", "half", "approval_points", "comment_points", "view_points", "total")
    )
    return [*months, *quarters, *years]


def _ledger(user) -> list[tuple]:
    return list(
        Activity.objects.filter(user=user)
        .order_by("kind", "source_id")
        .values_list("area", "kind", "source_type", "source_id", "month", "points", "voided_at")
    )


def _events() -> list[tuple[str, str, int, datetime]]:
    """(area, kind, source id, when): 80 views a minute apart from 23:00 in Seoul on 31 March
    (60 in March, past the month's view cap; 20 in April), 25 comments (past the comment
    cap) and two approvals."""
    end_of_march = datetime(2026, 3, 31, 14, 0, tzinfo=UTC)  # 23:00 in Seoul
    events = [("worksharing", "view", i, end_of_march + timedelta(minutes=i)) for i in range(80)]
    events += [("worksharing", "comment", 100 + i, end_of_march) for i in range(25)]
    events += [("proposal", "approval", 200 + i, end_of_march) for i in range(2)]
    return events


def test_many_at_once_leave_the_ledger_and_roll_ups_as_one_by_one() -> None:
    one_by_one, at_once = staff_user(), staff_user()
    at_once.staff_profile.department = one_by_one.staff_profile.department
    at_once.staff_profile.save()
    for area, kind, source_id, at in _events():
        activity_record(
            user=one_by_one, area=area, kind=kind, source_type="t", source_id=source_id, at=at
        )
    batch = [NewActivity(at_once, a, k, "t", s, at) for a, k, s, at in _events()]
    assert activities_record(batch) == len(batch)
    assert _ledger(at_once) == _ledger(one_by_one)
    assert _rollups(at_once) == _rollups(one_by_one)
    q1 = UserQuarter.objects.get(user=at_once, year=2026, quarter=1)
    # the months' caps held inside one batch, each month its own
    assert (q1.comment_points, q1.view_points) == (D(40), D(20))
    q2 = UserQuarter.objects.get(user=at_once, year=2026, quarter=2)
    assert q2.view_points == D(10)
    assert UserMonth.objects.get(user=at_once, month="2026-03-01").approvals == 2
    # again (a job run twice), or with a row already live: nothing changes
    assert activities_record(batch) == 0
    assert _rollups(at_once) == _rollups(one_by_one)
    assert Activity.objects.filter(user=at_once).count() == len(batch)


def test_a_voided_row_is_recorded_again_live_as_one_by_one_does() -> None:
    user = staff_user()
    at = datetime(2026, 5, 2, 9, tzinfo=KST)
    activity_record(
        user=user, area="proposal", kind="approval", source_type="p", source_id=1, at=at
    )
    activity_void(source_type="p", source_id=1, kind="approval", reason="반려", at=at)
    assert activities_record([NewActivity(user, "proposal", "approval", "p", 1, at)]) == 1
    assert Activity.objects.filter(user=user).count() == 2
    assert UserQuarter.objects.get(user=user, year=2026, quarter=2).approval_points == D(50)


def test_its_statements_grow_with_the_people_and_months_not_the_rows() -> None:
    readers = [staff_user() for _ in range(2)]
    at = datetime(2026, 6, 3, 10, tzinfo=KST)

    def statements(n: int, first: int) -> int:
        batch = [
            NewActivity(r, "worksharing", "view", "board.post", first + i, at)
            for r in readers
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert activities_record(batch) == len(batch)
        return len(captured.captured_queries)

    assert statements(3, 0) == statements(40, 1000)
