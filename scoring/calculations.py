"""The 창의왕 rules as pure functions on plain values (no database).

The SQL path (roll-ups maintained by ``services``, read by ``selectors``) is tested to agree
with these functions on the same random data (tests/test_agreement.py).

Rules (SPEC §2):
- points per event come from the year's table (area × kind); proposal_submitted is worth 0;
- comment 추가의견 and view 지식조회 points are capped per person per calendar month in
  Asia/Seoul over all areas together: min(sum, cap), so the order of events does not matter;
  approvals 승인 are not capped;
- a person who submitted at least one 창의제안 in the quarter is eligible; others are listed
  without a rank;
- ranking: total first, then approval points; still equal → the same rank (1, 1, 3).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, Protocol, TypeVar

from common import periods

ZERO = Decimal("0")

APPROVAL = "approval"
COMMENT = "comment"
VIEW = "view"
PROPOSAL_SUBMITTED = "proposal_submitted"


# --- Rules -------------------------------------------------------------------------------------

# SPEC §2, the 2016 table: seeded by migration 0002 and used when no table is configured at all.
DEFAULT_TABLE: dict[tuple[str, str], Decimal] = {
    ("proposal", APPROVAL): Decimal("50"),
    ("proposal", COMMENT): Decimal("2"),
    ("proposal", VIEW): Decimal("0.5"),
    ("club", APPROVAL): Decimal("10"),
    ("club", COMMENT): Decimal("2"),
    ("club", VIEW): Decimal("0.5"),
    ("worksharing", APPROVAL): Decimal("5"),
    ("worksharing", COMMENT): Decimal("2"),
    ("worksharing", VIEW): Decimal("0.5"),
    ("docs", APPROVAL): Decimal("5"),
    ("docs", COMMENT): Decimal("0"),
    ("docs", VIEW): Decimal("0"),
}
DEFAULT_CAPS: dict[str, Decimal] = {COMMENT: Decimal("40"), VIEW: Decimal("20")}


def points_text(value: Decimal) -> str:
    """Points as people write them: 120, 38.5 (never 120.0 or 1.2E+2)."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def rule_year(available: Iterable[int], year: int) -> int | None:
    """The table that applies to ``year``: its own, else the latest earlier year's.

    A year nobody configured keeps the last table the office set (documented in README).
    None: no table at or before ``year`` (callers then use DEFAULT_TABLE / DEFAULT_CAPS).
    """
    earlier = [y for y in available if y <= year]
    return max(earlier) if earlier else None


def event_points(table: Mapping[tuple[str, str], Decimal], area: str, kind: str) -> Decimal:
    if kind == PROPOSAL_SUBMITTED:
        return ZERO
    return table.get((area, kind), ZERO)


def capped(total: Decimal, cap: Decimal | None) -> Decimal:
    """min(sum, cap); no cap configured means uncapped."""
    return total if cap is None else min(total, cap)


# --- Standings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    user_id: int
    kind: str
    points: Decimal
    at: datetime
    voided: bool = False


@dataclass
class Standing:
    """One person's quarter: approval uncapped; comment and view already capped per month."""

    user_id: int
    approval: Decimal = ZERO
    comment: Decimal = ZERO
    view: Decimal = ZERO
    proposals: int = 0

    @property
    def total(self) -> Decimal:
        return self.approval + self.comment + self.view

    @property
    def eligible(self) -> bool:
        return self.proposals > 0


@dataclass
class MonthSums:
    """Uncapped sums of one person's live events in one month."""

    approval: Decimal = ZERO
    comment: Decimal = ZERO
    view: Decimal = ZERO
    proposals: int = 0

    def add(self, kind: str, points: Decimal, sign: int = 1) -> None:
        if kind == PROPOSAL_SUBMITTED:
            self.proposals += sign
        elif kind in (APPROVAL, COMMENT, VIEW):
            setattr(self, kind, getattr(self, kind) + sign * points)


def month_sums(events: Iterable[Event]) -> dict[tuple[int, date], MonthSums]:
    sums: dict[tuple[int, date], MonthSums] = defaultdict(MonthSums)
    for e in events:
        if not e.voided:
            sums[(e.user_id, periods.month_of(e.at))].add(e.kind, e.points)
    return dict(sums)


def quarter_standings(
    events: Iterable[Event], caps: Mapping[str, Decimal], year: int, quarter: int
) -> dict[int, Standing]:
    """Per person: capped monthly sums added over the quarter's three months."""
    return period_standings(events, caps, periods.quarter(year, quarter))


def period_standings(
    events: Iterable[Event], caps: Mapping[str, Decimal], period: periods.Period
) -> dict[int, Standing]:
    """Per person: capped monthly sums added over the period's months (a month, a quarter,
    a half-year or a year)."""
    months = set(period.months)
    out: dict[int, Standing] = {}
    for (user_id, month), s in month_sums(events).items():
        if month not in months:
            continue
        st = out.setdefault(user_id, Standing(user_id))
        st.approval += s.approval
        st.comment += capped(s.comment, caps.get(COMMENT))
        st.view += capped(s.view, caps.get(VIEW))
        st.proposals += s.proposals
    return out


@dataclass
class Ranked:
    user_id: int
    total: Decimal
    approval: Decimal
    comment: Decimal
    view: Decimal
    eligible: bool
    rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class Rankable(Protocol):
    """Anything ranked: a pure ``Ranked`` row or a selector's row."""

    user_id: int
    total: Decimal
    approval: Decimal
    eligible: bool
    rank: int | None


def order_key(total: Decimal, approval: Decimal, user_id: int) -> tuple[Decimal, Decimal, int]:
    """Best first: total, then approval, then id so the order is stable (the id never decides
    a rank). The same order as the database index the leaderboard reads."""
    return (-total, -approval, user_id)


def listed(s: Standing) -> bool:
    """Who appears in a ranking: anyone with points or a proposal in the quarter."""
    return s.total > 0 or s.eligible


def rank(standings: Iterable[Standing]) -> list[Ranked]:
    """Everyone listed, best first; eligible people get competition ranks (1, 1, 3), others
    None."""
    rows = sorted(
        (
            Ranked(s.user_id, s.total, s.approval, s.comment, s.view, s.eligible)
            for s in standings
            if listed(s)
        ),
        key=lambda r: order_key(r.total, r.approval, r.user_id),
    )
    assign_ranks(rows)
    return rows


@dataclass(frozen=True)
class RankStart:
    """Where a page of a ranking starts: ``seen`` eligible rows come before it, and
    ``ahead`` eligible rows beat (strictly) the page's first row, whose key is ``key``
    (total, approval). Two counts give it, whatever the page."""

    seen: int
    ahead: int
    key: tuple[Decimal, Decimal]


def assign_ranks(rows: Iterable[Rankable], start: RankStart | None = None) -> None:
    """Set ``rank`` on rows already ordered best first (anything with total, approval,
    eligible). Works on a prefix of the full order too: every eligible row that beats a row
    comes before it, so the top N of a leaderboard gets the same ranks as the full list.
    A later page gives its ``start``: then its ranks are the full list's ranks as well (a
    rank is 1 + the eligible rows that strictly beat the row)."""
    seen = 0
    last_key: tuple[Decimal, Decimal] | None = None
    last_rank = 0
    if start is not None:
        seen, last_key, last_rank = start.seen, start.key, start.ahead + 1
    for row in rows:
        if not row.eligible:
            row.rank = None
            continue
        seen += 1
        key = (row.total, row.approval)
        if key != last_key:
            last_rank, last_key = seen, key
        row.rank = last_rank


R = TypeVar("R", bound=Rankable)


WINNERS_PER_ROUND = 3  # 창의왕 per quarter (SPEC §2)


def top_eligible(rows: Iterable[R], n: int = WINNERS_PER_ROUND) -> list[R]:
    """The first ``n`` eligible rows in order."""
    return [r for r in rows if r.eligible][:n]


@dataclass
class Places(Generic[R]):
    """Who wins a round: ``clear`` take places outright; when people share the points of the
    last place and there are more of them than places left, they are ``tied`` and the office
    chooses ``open`` of them (or awards them all)."""

    clear: list[R]
    tied: list[R]
    open: int

    @property
    def has_tie(self) -> bool:
        return bool(self.tied)


def winner_places(rows: Iterable[R], n: int = WINNERS_PER_ROUND) -> Places[R]:
    """Split the eligible rows (best first) into clear winners and a tie at the edge. A tie
    inside the places (1, 1, 3) needs no decision; only one that crosses the last place does
    — the stable order by id never decides who gets a prize."""
    eligible = [r for r in rows if r.eligible]
    if len(eligible) <= n:
        return Places(eligible, [], 0)
    edge = (eligible[n - 1].total, eligible[n - 1].approval)
    if (eligible[n].total, eligible[n].approval) != edge:
        return Places(eligible[:n], [], 0)
    clear = [r for r in eligible[:n] if (r.total, r.approval) != edge]
    tied = [r for r in eligible if (r.total, r.approval) == edge]
    return Places(clear, tied, n - len(clear))


def tie_choice_problem(
    *, tied: set[int], chosen: set[int], open_places: int, award_all: bool
) -> str | None:
    """Why a decision on a tie is not valid (a code), or None. Either all tied people are
    awarded, or exactly as many as there are places left, all from among the tied."""
    if award_all:
        return None if not chosen or chosen == tied else "award_all_with_choice"
    if not chosen <= tied:
        return "not_tied"
    if len(chosen) != open_places:
        return "wrong_count"
    return None


# --- Departments -------------------------------------------------------------------------------

ONE_DECIMAL = Decimal("0.1")


def per_member(total: Decimal, members: int) -> Decimal | None:
    """A department's points per member, to one decimal; None for a department with no
    members (it cannot be compared on this)."""
    if members <= 0:
        return None
    return (total / members).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


class DepartmentRankable(Protocol):
    name: str
    rank: int | None

    @property
    def total(self) -> Decimal: ...

    @property
    def per_member(self) -> Decimal | None: ...


D = TypeVar("D", bound=DepartmentRankable)


def rank_departments(rows: list[D]) -> list[D]:
    """Best first by points per member, then total points; equal on both → the same rank
    (1, 1, 3). Departments without members come last, unranked."""
    ranked = sorted(
        (r for r in rows if r.per_member is not None),
        key=lambda r: (-(r.per_member or ZERO), -r.total, r.name),
    )
    last: tuple[Decimal | None, Decimal] | None = None
    for seen, row in enumerate(ranked, start=1):
        key = (row.per_member, row.total)
        row.rank = seen if key != last else ranked[seen - 2].rank
        last = key
    rest = sorted((r for r in rows if r.per_member is None), key=lambda r: (-r.total, r.name))
    for row in rest:
        row.rank = None
    return ranked + rest
