"""The ledger services and the roll-ups they maintain."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from common import periods
from org.tests.factories import staff_user
from scoring import calculations as calc
from scoring.models import (
    Activity,
    MonthlyCap,
    PointRule,
    RuleRecompute,
    UserMonth,
    UserQuarter,
    UserYear,
)
from scoring.selectors import quarter_ranking, rules_for_year
from scoring.services import (
    activity_record,
    activity_void,
    ledger_recompute,
    rollups_rebuild,
    rules_copy_year,
)
from scoring.tests.factories import record

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
KST = periods.KST
MARCH = datetime(2026, 3, 10, 12, tzinfo=KST)


def quarter(user: object, year: int = 2026, q: int = 1) -> UserQuarter:
    return UserQuarter.objects.get(user=user, year=year, quarter=q)


def test_it_stores_month_and_points_from_the_years_table() -> None:
    user = staff_user()
    row = record(user, "approval", MARCH, area="club")
    assert row.month.isoformat() == "2026-03-01"
    assert row.points == D(10)  # 2026 has no table of its own: the 2016 one applies
    assert quarter(user).total == D(10)


def test_recording_twice_changes_nothing() -> None:
    user = staff_user()
    kw = {"user": user, "area": "proposal", "kind": "approval", "source_type": "p", "source_id": 7}
    first = activity_record(**kw, at=MARCH)
    again = activity_record(**kw, at=MARCH)
    assert first.pk == again.pk
    assert Activity.objects.count() == 1
    assert quarter(user).approval_points == D(50)


@pytest.mark.parametrize(
    ("halves", "expected"), [(79, "39.5"), (80, "40"), (81, "40")]
)  # 0.5-point comments: 39.5 / 40 / 40.5 points in the month
def test_it_caps_comments_at_39_5_40_40_5(halves: int, expected: str) -> None:
    PointRule.objects.create(year=2027, area="docs", kind="comment", points=D("0.5"))
    user = staff_user()
    at = datetime(2027, 5, 3, 9, tzinfo=KST)
    for _ in range(halves):
        record(user, "comment", at, area="docs")
    assert UserMonth.objects.get(user=user).comment_points == D(halves) / 2
    assert quarter(user, 2027, 2).comment_points == D(expected)
    assert quarter(user, 2027, 2).total == D(expected)


def test_the_month_boundary_is_midnight_in_seoul() -> None:
    user = staff_user()
    for _ in range(20):  # 40 comment points on 31 March, just before midnight KST
        record(user, "comment", datetime(2026, 3, 31, 14, 59, tzinfo=UTC))
    row = record(user, "comment", datetime(2026, 3, 31, 15, 30, tzinfo=UTC))  # 00:30 1 April
    assert row.month.isoformat() == "2026-04-01"
    assert quarter(user, 2026, 1).comment_points == D(40)
    assert quarter(user, 2026, 2).comment_points == D(2)  # April's cap starts afresh, in Q2


def test_voiding_after_approval_takes_the_points_back() -> None:
    user = staff_user()
    record(user, "proposal_submitted", MARCH)
    activity_record(
        user=user, area="proposal", kind="approval", source_type="post", source_id=1, at=MARCH
    )
    assert quarter(user).total == D(50)
    n = activity_void(source_type="post", source_id=1, reason="중복 제안", kind="approval")
    assert n == 1
    assert quarter(user).total == D(0)
    row = Activity.objects.get(source_type="post", source_id=1)
    assert row.voided_at is not None and row.void_reason == "중복 제안"  # kept, not deleted
    assert activity_void(source_type="post", source_id=1, reason="again") == 0
    assert quarter(user).total == D(0)


def test_recording_again_after_a_void_appends_a_live_row_and_keeps_the_history() -> None:
    user = staff_user()
    kwargs = dict(user=user, area="proposal", kind="approval", source_type="post", source_id=7)
    first = activity_record(**kwargs, at=MARCH)
    activity_void(source_type="post", source_id=7, reason="승인 후 반려", kind="approval")
    second = activity_record(**kwargs, at=MARCH)
    assert second.pk != first.pk and second.voided_at is None
    assert activity_record(**kwargs, at=MARCH).pk == second.pk  # live again: idempotent
    assert Activity.objects.filter(source_type="post", source_id=7).count() == 2
    assert quarter(user).approval_points == D(50)


def test_the_half_year_and_year_roll_ups_follow_writes_voids_and_the_rebuild() -> None:
    user = staff_user()
    record(user, "proposal_submitted", MARCH)
    for _ in range(25):  # 50 comment points in March: 40 count (the monthly cap)
        record(user, "comment", MARCH)
    record(user, "comment", datetime(2026, 5, 2, 9, tzinfo=KST))  # Q2, same half
    record(user, "approval", datetime(2026, 8, 2, 9, tzinfo=KST), source_id=901)  # H2

    def halves() -> dict[int, tuple[D, D, D, int]]:
        return {
            y.half: (y.total, y.approval_points, y.comment_points, y.proposals)
            for y in UserYear.objects.filter(user=user, year=2026)
        }

    assert halves() == {1: (D(42), D(0), D(42), 1), 2: (D(50), D(50), D(0), 0),
                        UserYear.YEAR: (D(92), D(50), D(42), 1)}  # fmt: skip
    activity_void(source_type="test.post", source_id=901, reason="반려", kind="approval")
    after_void = {1: (D(42), D(0), D(42), 1), 2: (D(0), D(0), D(0), 0),
                  UserYear.YEAR: (D(42), D(0), D(42), 1)}  # fmt: skip
    assert halves() == after_void
    rollups_rebuild(year=2026)  # the set-based rebuild lands on the same rows
    assert halves() == {h: v for h, v in after_void.items() if h != 2}  # no live H2 row


def test_voiding_under_the_cap_is_order_independent() -> None:
    user = staff_user()
    rows = [record(user, "comment", MARCH) for _ in range(21)]  # 42 points → 40
    assert quarter(user).comment_points == D(40)
    activity_void(source_type="test.post", source_id=rows[0].source_id, reason="삭제")
    assert quarter(user).comment_points == D(40)  # 40 left: still at the cap
    activity_void(source_type="test.post", source_id=rows[1].source_id, reason="삭제")
    assert quarter(user).comment_points == D(38)


def test_eligibility_comes_from_a_submitted_proposal() -> None:
    eligible, other = staff_user(), staff_user()
    record(eligible, "proposal_submitted", MARCH)
    record(eligible, "view", MARCH)
    record(other, "approval", MARCH)
    rows = {r.user_id: r for r in quarter_ranking(year=2026, quarter=1)}
    assert rows[eligible.pk].eligible and rows[eligible.pk].rank == 1
    assert not rows[other.pk].eligible and rows[other.pk].rank is None
    assert [r.user_id for r in quarter_ranking(year=2026, quarter=1)] == [other.pk, eligible.pk]


def test_ties_rank_by_approval_then_share_a_rank() -> None:
    a, b, c = staff_user(), staff_user(), staff_user()
    for u in (a, b, c):
        record(u, "proposal_submitted", MARCH)
    record(a, "approval", MARCH, area="club")  # 10 approval
    for _ in range(5):
        record(b, "comment", MARCH)  # 10 comment
    for _ in range(5):
        record(c, "comment", MARCH)
    rows = quarter_ranking(year=2026, quarter=1)
    assert [(r.user_id, r.total, r.rank) for r in rows] == [
        (a.pk, D(10), 1),
        (b.pk, D(10), 2),
        (c.pk, D(10), 2),
    ]
    assert rows[0].user == a and rows[0].department


def test_a_years_own_table_wins_over_the_fallback() -> None:
    assert rules_for_year(2026).table_year == 2016
    assert rules_copy_year(from_year=2016, to_year=2026) == 14
    assert rules_copy_year(from_year=2016, to_year=2026) == 0
    PointRule.objects.filter(year=2026, area="proposal", kind="approval").update(points=60)
    assert rules_for_year(2026).table[("proposal", "approval")] == D(60)
    assert rules_for_year(2025).table[("proposal", "approval")] == D(50)


def test_with_no_table_at_all_the_spec_defaults_apply() -> None:
    PointRule.objects.all().delete()
    MonthlyCap.objects.all().delete()
    rules = rules_for_year(2026)
    assert rules.table_year is None
    assert rules.table == calc.DEFAULT_TABLE and rules.caps == calc.DEFAULT_CAPS


def test_recompute_applies_an_edited_table_and_cap_to_the_year() -> None:
    admin, user = staff_user(), staff_user()
    record(user, "approval", MARCH)
    for _ in range(30):
        record(user, "comment", MARCH)
    record(user, "view", datetime(2026, 7, 1, tzinfo=KST))
    assert quarter(user).total == D(90)
    rules_copy_year(from_year=2016, to_year=2026)
    PointRule.objects.filter(year=2026, area="proposal", kind="approval").update(points=70)
    MonthlyCap.objects.filter(year=2026, kind="comment").update(cap=30)
    log = ledger_recompute(year=2026, by=admin)
    assert log.rows == 1 and RuleRecompute.objects.count() == 1
    assert quarter(user).total == D(100)
    assert quarter(user, 2026, 3).view_points == D("0.5")
    assert Activity.objects.filter(kind="approval").get().points == D(70)
    # The rebuilt roll-ups are what the incremental services would have produced.
    next_comment = record(user, "comment", MARCH)
    assert next_comment.points == D(2) and quarter(user).total == D(100)


def test_recompute_keeps_voided_rows_out() -> None:
    user = staff_user()
    record(user, "approval", MARCH, source_id=99001)
    record(user, "view", MARCH)
    activity_void(source_type="test.post", source_id=99001, reason="중복")
    ledger_recompute(year=2026)
    assert quarter(user).total == D("0.5")
