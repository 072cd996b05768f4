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
from decimal import Decimal
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
ZERO = Decimal("0")

APPROVAL = "approval"
COMMENT = "comment"
VIEW = "view"
PROPOSAL_SUBMITTED = "proposal_submitted"
CAPPED_KINDS = (COMMENT, VIEW)


# --- Periods (calendar periods in Asia/Seoul) ------------------------------------------------


def month_of(at: datetime) -> date:
    """The first day of the Asia/Seoul calendar month ``at`` falls in (aware ``at`` only)."""
    if at.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return at.astimezone(KST).date().replace(day=1)


def quarter_of(month: date) -> tuple[int, int]:
    return month.year, (month.month - 1) // 3 + 1


def quarter_months(year: int, quarter: int) -> list[date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1..4")
    first = 3 * (quarter - 1) + 1
    return [date(year, m, 1) for m in range(first, first + 3)]


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    """First month of the quarter and first month after it (half-open range of months)."""
    start = quarter_months(year, quarter)[0]
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, start.month + 3, 1)
    return start, end


def previous_quarter(at: datetime) -> tuple[int, int]:
    """The quarter that ended last before ``at`` (the one the quarterly round scores)."""
    year, quarter = quarter_of(month_of(at))
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


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
            sums[(e.user_id, month_of(e.at))].add(e.kind, e.points)
    return dict(sums)


def quarter_standings(
    events: Iterable[Event], caps: Mapping[str, Decimal], year: int, quarter: int
) -> dict[int, Standing]:
    """Per person: capped monthly sums added over the quarter's three months."""
    months = set(quarter_months(year, quarter))
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
    extra: dict = field(default_factory=dict, compare=False, repr=False)


def order_key(total: Decimal, approval: Decimal, user_id: int) -> tuple:
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


def assign_ranks(rows: list) -> None:
    """Set ``rank`` on rows already ordered best first (anything with total, approval,
    eligible). Works on a prefix of the full order too: every eligible row that beats a row
    comes before it, so the top N of a leaderboard gets the same ranks as the full list."""
    seen = 0
    last_key: tuple[Decimal, Decimal] | None = None
    last_rank = 0
    for row in rows:
        if not row.eligible:
            row.rank = None
            continue
        seen += 1
        key = (row.total, row.approval)
        if key != last_key:
            last_rank, last_key = seen, key
        row.rank = last_rank


def top_eligible(rows: Iterable[Ranked], n: int = 3) -> list[Ranked]:
    """The proposed 창의왕: the first ``n`` eligible rows in order (a tie at the n-th place is
    broken by the stable order; the admin may replace one with a reason)."""
    return [r for r in rows if r.eligible][:n]
