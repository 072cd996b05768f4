"""The SQL path (roll-ups maintained by the services, rebuilt by a recompute, read by the
selectors) agrees with the pure functions on the same random data."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common import periods
from scoring import calculations as calc
from scoring.selectors import leaderboard, period_ranking, quarter_ranking
from scoring.services import activity_record, activity_void, rollups_rebuild

pytestmark = pytest.mark.django_db
D0 = Decimal("0")
KST = periods.KST
START = datetime(2026, 3, 20, tzinfo=KST)  # spans Q1 → Q2 → Q3, month ends at midnight KST
SPAN_MINUTES = 60 * 24 * 110
KINDS = ["approval", "comment", "view", "proposal_submitted"]
AREAS = ["proposal", "club", "worksharing", "docs"]

event = st.tuples(
    st.integers(0, 3),  # person
    st.sampled_from(KINDS),
    st.sampled_from(AREAS),
    st.integers(0, SPAN_MINUTES),
    st.booleans(),  # voided later
    st.just(1),  # how many such events
)
# Heavy on comments and views in one month so the caps bite.
burst = st.tuples(
    st.integers(0, 3),
    st.sampled_from(["comment", "view"]),
    st.sampled_from(["proposal", "club", "worksharing"]),
    st.integers(60 * 24 * 12 - 300, 60 * 24 * 12 + 300),  # around 1 April 00:00 KST
    st.booleans(),
    st.integers(15, 45),  # enough to pass a cap (21 comments, 41 views)
)


def ranked(rows: list) -> list[tuple]:
    return [(r.user_id, r.total, r.approval, r.comment, r.view, r.eligible, r.rank) for r in rows]


# Bursts in other months too, so a half-year and the year add months that each hit the caps.
late_burst = st.tuples(
    st.integers(0, 3),
    st.sampled_from(["comment", "view"]),
    st.sampled_from(["proposal", "club", "worksharing"]),
    st.sampled_from([60 * 24 * 40, 60 * 24 * 75, 60 * 24 * 105]),  # late April, May, July
    st.booleans(),
    st.integers(15, 45),
)
# (year, kwargs) of every period the data touches: months, quarters, halves, the year.
PERIODS = [
    *({"month": m} for m in (3, 4, 5, 6, 7)),
    *({"quarter": q} for q in (1, 2, 3)),
    {"half": 1},
    {"half": 2},
    {},
]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(st.one_of(event, burst, late_burst), max_size=10))
def test_the_sql_ranking_agrees_with_the_pure_functions(events: list[tuple]) -> None:
    with transaction.atomic():
        # Plain users: password hashing would dominate the run time.
        users = [get_user_model().objects.create(username=f"h{i}") for i in range(4)]
        pure_events = []
        expanded = [
            (person, kind, area, minute + k, voided and k % 3 == 0)
            for person, kind, area, minute, voided, repeat in events
            for k in range(repeat)
        ]
        for i, (person, kind, area, minute, voided) in enumerate(expanded):
            at = START + timedelta(minutes=minute)
            row = activity_record(
                user=users[person], area=area, kind=kind, source_type="h", source_id=i, at=at
            )
            if voided:
                activity_void(source_type="h", source_id=i, reason="무효")
            points = calc.event_points(calc.DEFAULT_TABLE, area, kind)
            assert row.points == points
            pure_events.append(calc.Event(users[person].pk, kind, points, at, voided))
        for year, quarter in [(2026, 1), (2026, 2), (2026, 3)]:
            expected = ranked(
                calc.rank(
                    calc.quarter_standings(pure_events, calc.DEFAULT_CAPS, year, quarter).values()
                )
            )
            assert ranked(quarter_ranking(year=year, quarter=quarter)) == expected
        # The half-year and year roll-ups kept by every write and void (UserYear) agree too.
        for kwargs in PERIODS:
            period = periods.period(year=2026, **kwargs)
            expected = ranked(
                calc.rank(calc.period_standings(pure_events, calc.DEFAULT_CAPS, period).values())
            )
            assert ranked(period_ranking(year=2026, **kwargs)) == expected, kwargs
        # The set-based rebuild (recompute) lands on the same numbers.
        rollups_rebuild(year=2026)
        for year, quarter in [(2026, 1), (2026, 2), (2026, 3)]:
            expected = ranked(
                calc.rank(
                    calc.quarter_standings(pure_events, calc.DEFAULT_CAPS, year, quarter).values()
                )
            )
            got = ranked(quarter_ranking(year=year, quarter=quarter, with_users=False))
            assert got == expected
            assert all(isinstance(r[1], Decimal) for r in got)
        # Any period: a month caps its own month; a half-year and a year add capped months.
        for kwargs in PERIODS:
            period = periods.period(year=2026, **kwargs)
            expected = ranked(
                calc.rank(calc.period_standings(pure_events, calc.DEFAULT_CAPS, period).values())
            )
            got = ranked(period_ranking(year=2026, **kwargs))
            assert got == expected, kwargs
            assert all(isinstance(r[1], Decimal) for r in got)
            # The leaderboard's pages, however small, are slices of the same ranking.
            for per_page in (1, 3):
                first = leaderboard(year=2026, **kwargs, per_page=per_page)
                pages = [first.rows]
                for number in range(2, (first.page.paginator.num_pages if first.page else 1) + 1):
                    pages.append(
                        leaderboard(year=2026, **kwargs, page=number, per_page=per_page).rows
                    )
                assert [ranked(rows) for rows in pages] == [
                    expected[i : i + per_page] for i in range(0, len(expected), per_page)
                ] or (expected == [] and pages == [[]]), (kwargs, per_page)
        transaction.set_rollback(True)


def test_a_year_whose_months_hit_the_caps_agrees() -> None:
    """Every month of 2026 over both caps for one person, under them for another."""
    heavy, light = (get_user_model().objects.create(username=n) for n in ("heavy", "light"))
    pure_events, n = [], 0
    for month in range(1, 13):
        at = datetime(2026, month, 28, 23, 30, tzinfo=KST)  # late in the month, KST
        for user, comments, views in ((heavy, 25, 45), (light, 3, 4)):
            for kind, count in (("comment", comments), ("view", views)):
                for _ in range(count):
                    n += 1
                    activity_record(
                        user=user, area="club", kind=kind, source_type="y", source_id=n, at=at
                    )
                    points = calc.event_points(calc.DEFAULT_TABLE, "club", kind)
                    pure_events.append(calc.Event(user.pk, kind, points, at))
    activity_record(
        user=light, area="proposal", kind="proposal_submitted", source_type="y", source_id=0,
        at=datetime(2026, 8, 1, 9, tzinfo=KST),
    )  # fmt: skip
    pure_events.append(
        calc.Event(light.pk, "proposal_submitted", D0, datetime(2026, 8, 1, 9, tzinfo=KST))
    )
    for kwargs in PERIODS + [{"month": m} for m in (1, 2, 8, 12)] + [{"quarter": 4}]:
        period = periods.period(year=2026, **kwargs)
        expected = ranked(
            calc.rank(calc.period_standings(pure_events, calc.DEFAULT_CAPS, period).values())
        )
        assert ranked(period_ranking(year=2026, **kwargs)) == expected, kwargs
    year = {r.user_id: r for r in period_ranking(year=2026)}
    # 12 months × (40 + 20) capped, not 12 × (50 + 22.5).
    assert year[heavy.pk].total == Decimal(12 * 60) and year[heavy.pk].rank is None
    assert year[light.pk].total == Decimal(12 * 8) and year[light.pk].rank == 1
    assert {r.user_id for r in period_ranking(year=2026, half=1) if r.eligible} == set()
