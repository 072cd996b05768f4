"""The pure rules, without a database."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from common import periods
from scoring import calculations as calc
from scoring.calculations import Event, Standing

KST = periods.KST
pytestmark = pytest.mark.smoke


def ev(user: int, kind: str, points: str, at: datetime, voided: bool = False) -> Event:
    return Event(user, kind, D(points), at, voided)


MARCH = datetime(2026, 3, 10, 12, tzinfo=KST)
APRIL = datetime(2026, 4, 10, 12, tzinfo=KST)
CAPS = {calc.COMMENT: D(40), calc.VIEW: D(20)}


@pytest.mark.parametrize(("total", "expected"), [("39.5", "39.5"), ("40", "40"), ("40.5", "40")])
def test_it_caps_comment_points_at_40_a_month(total: str, expected: str) -> None:
    events = [ev(1, calc.COMMENT, "0.5", MARCH) for _ in range(int(D(total) * 2))]
    st = calc.quarter_standings(events, CAPS, 2026, 1)[1]
    assert st.comment == D(expected)
    assert calc.capped(D(total), D(40)) == D(expected)


def test_it_caps_each_month_separately_and_not_approvals() -> None:
    events = [
        ev(1, calc.VIEW, "0.5", datetime(2026, m, 5, tzinfo=KST)) for m in (1, 2) for _ in range(50)
    ]
    events += [ev(1, calc.APPROVAL, "50", MARCH) for _ in range(3)]
    st = calc.quarter_standings(events, CAPS, 2026, 1)[1]
    assert st.view == D(40)  # 25 a month, capped at 20, twice
    assert st.approval == D(150)


def test_the_cap_does_not_depend_on_order() -> None:
    events = [ev(1, calc.COMMENT, "2", MARCH) for _ in range(25)]
    a = calc.quarter_standings(events, CAPS, 2026, 1)[1]
    b = calc.quarter_standings(list(reversed(events)), CAPS, 2026, 1)[1]
    assert a.comment == b.comment == D(40)


def test_an_event_at_0030_on_1_april_kst_belongs_to_april_and_q2() -> None:
    at = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)  # 00:30 on 1 April in Seoul
    assert periods.month_of(at).isoformat() == "2026-04-01"
    assert periods.quarter_of(periods.month_of(at)) == 2
    just_before = datetime(2026, 3, 31, 14, 59, 59, tzinfo=UTC)  # 23:59:59 on 31 March
    assert periods.quarter_of(periods.month_of(just_before)) == 1
    events = [ev(1, calc.APPROVAL, "5", at), ev(1, calc.PROPOSAL_SUBMITTED, "0", just_before)]
    assert calc.quarter_standings(events, CAPS, 2026, 2)[1].approval == D(5)
    assert not calc.quarter_standings(events, CAPS, 2026, 2)[1].eligible
    assert calc.quarter_standings(events, CAPS, 2026, 1)[1].eligible


def test_it_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        periods.month_of(datetime(2026, 4, 1))  # noqa: DTZ001


def test_voided_events_earn_nothing() -> None:
    events = [ev(1, calc.APPROVAL, "50", MARCH, voided=True), ev(1, calc.COMMENT, "2", MARCH)]
    st = calc.quarter_standings(events, CAPS, 2026, 1)[1]
    assert (st.approval, st.total) == (D(0), D(2))


def test_eligibility_needs_a_proposal_in_the_quarter() -> None:
    events = [
        ev(1, calc.APPROVAL, "50", MARCH),
        ev(2, calc.PROPOSAL_SUBMITTED, "0", MARCH),
        ev(3, calc.PROPOSAL_SUBMITTED, "0", APRIL),
        ev(3, calc.COMMENT, "2", MARCH),
    ]
    rows = {r.user_id: r for r in calc.rank(calc.quarter_standings(events, CAPS, 2026, 1).values())}
    assert rows[1].eligible is False and rows[1].rank is None
    assert rows[2].eligible is True and rows[2].rank == 1  # listed with 0 points: eligible
    assert rows[3].eligible is False  # the proposal came in Q2


def test_ties_higher_approval_first_then_the_same_rank() -> None:
    standings = [
        Standing(1, approval=D(10), comment=D(40), proposals=1),  # 50, approval 10
        Standing(2, approval=D(50), proposals=1),  # 50, approval 50 → ahead of 1
        Standing(3, approval=D(10), comment=D(40), proposals=1),  # same as 1 → same rank
        Standing(4, approval=D(100)),  # best total, but ineligible: no rank, no place taken
        Standing(5, approval=D(5), proposals=1),
    ]
    rows = calc.rank(standings)
    assert [(r.user_id, r.rank) for r in rows] == [(4, None), (2, 1), (1, 2), (3, 2), (5, 4)]
    assert [r.user_id for r in calc.top_eligible(rows)] == [2, 1, 3]


def test_ranks_of_a_prefix_are_the_ranks_of_the_full_list() -> None:
    standings = [
        Standing(i, approval=D(i % 4), view=D(i % 3), proposals=i % 2) for i in range(1, 30)
    ]
    full = calc.rank(standings)
    ranks = [r.rank for r in full]
    prefix = calc.rank(standings)[:10]
    calc.assign_ranks(prefix)
    assert [r.rank for r in prefix] == ranks[:10]


def test_a_year_without_rules_uses_the_latest_earlier_table() -> None:
    assert calc.rule_year({2016, 2020}, 2026) == 2020
    assert calc.rule_year({2016, 2020}, 2019) == 2016
    assert calc.rule_year({2016}, 2016) == 2016
    assert calc.rule_year({2016}, 2015) is None


def test_event_points_follow_the_table() -> None:
    assert calc.event_points(calc.DEFAULT_TABLE, "proposal", calc.APPROVAL) == D(50)
    assert calc.event_points(calc.DEFAULT_TABLE, "docs", calc.COMMENT) == D(0)
    assert calc.event_points(calc.DEFAULT_TABLE, "proposal", calc.PROPOSAL_SUBMITTED) == D(0)
    assert calc.event_points(calc.DEFAULT_TABLE, "unknown", calc.VIEW) == D(0)


def test_previous_quarter_and_spans() -> None:
    assert periods.previous_quarter(
        periods.local_date(datetime(2026, 1, 1, 0, 30, tzinfo=KST))
    ) == (2025, 4)
    assert periods.previous_quarter(periods.local_date(datetime(2026, 7, 1, 2, tzinfo=KST))) == (
        2026,
        2,
    )
    assert [m.month for m in periods.quarter(2026, 4).months] == [10, 11, 12]
    assert periods.quarter(2026, 4).end.isoformat() == "2027-01-01"


def _ranked(*points: tuple[int, int], eligible: bool = True) -> list[calc.Ranked]:
    """Rows best first from (total, approval) pairs; user ids 1, 2, 3, ..."""
    rows = [calc.Ranked(i, D(t), D(a), D(0), D(0), eligible) for i, (t, a) in enumerate(points, 1)]
    calc.assign_ranks(rows)
    return rows


def ids(rows: list[calc.Ranked]) -> list[int]:
    return [r.user_id for r in rows]


def test_no_tie_at_the_last_place_means_three_clear_winners() -> None:
    places = calc.winner_places(_ranked((30, 0), (20, 0), (10, 0), (5, 0)))
    assert (ids(places.clear), ids(places.tied), places.open) == ([1, 2, 3], [], 0)
    # a tie inside the places (2nd = 3rd) decides nothing
    places = calc.winner_places(_ranked((30, 0), (20, 0), (20, 0), (10, 0)))
    assert (ids(places.clear), places.has_tie) == ([1, 2, 3], False)
    # equal totals, different approval points: not a tie
    places = calc.winner_places(_ranked((30, 0), (20, 0), (10, 5), (10, 0)))
    assert (ids(places.clear), places.has_tie) == ([1, 2, 3], False)


def test_a_tie_at_3rd_place_is_flagged_not_broken_by_id() -> None:
    places = calc.winner_places(_ranked((30, 0), (20, 0), (10, 0), (10, 0), (5, 0)))
    assert (ids(places.clear), ids(places.tied), places.open) == ([1, 2], [3, 4], 1)
    everyone = calc.winner_places(_ranked((10, 0), (10, 0), (10, 0), (10, 0)))
    assert (ids(everyone.clear), ids(everyone.tied), everyone.open) == ([], [1, 2, 3, 4], 3)
    few = calc.winner_places(_ranked((10, 0), (10, 0)))
    assert (ids(few.clear), few.has_tie) == ([1, 2], False)
    ineligible = _ranked((99, 0), eligible=False) + _ranked((10, 0), (10, 0), (10, 0))
    assert calc.winner_places(ineligible).has_tie is False


@pytest.mark.parametrize(
    ("chosen", "award_all", "problem"),
    [
        ({3}, False, None),
        ({3, 4}, False, "wrong_count"),
        (set(), False, "wrong_count"),
        ({1}, False, "not_tied"),
        (set(), True, None),
        ({3, 4}, True, None),
        ({3}, True, "award_all_with_choice"),
    ],
)
def test_a_tie_decision_picks_the_open_places_or_awards_all(
    chosen: set[int], award_all: bool, problem: str | None
) -> None:
    assert (
        calc.tie_choice_problem(tied={3, 4}, chosen=chosen, open_places=1, award_all=award_all)
        == problem
    )


def test_points_are_written_as_people_write_them() -> None:
    assert [calc.points_text(D(x)) for x in ("120.0", "38.5", "0.0", "5")] == [
        "120", "38.5", "0", "5",
    ]  # fmt: skip


def test_any_page_of_a_ranking_gets_the_full_lists_ranks_from_its_start() -> None:
    standings = [
        Standing(i, approval=D(i % 3), view=D(i % 2), proposals=int(i % 4 != 0))
        for i in range(1, 40)
    ]
    full = calc.rank(standings)
    ranks = [r.rank for r in full]
    for size in (1, 2, 5, 7):
        for offset in range(0, len(full), size):
            page = calc.rank(standings)[offset : offset + size]
            before = full[:offset]
            first = page[0]
            start = calc.RankStart(
                seen=sum(1 for r in before if r.eligible),
                ahead=sum(
                    1
                    for r in full
                    if r.eligible and (r.total, r.approval) > (first.total, first.approval)
                ),
                key=(first.total, first.approval),
            )
            calc.assign_ranks(page, start if offset else None)
            assert [r.rank for r in page] == ranks[offset : offset + size], (size, offset)
