"""Reads: quarter rankings, the leaderboard, 내 점수. They read the roll-ups (one row per
person per month / quarter), never a GROUP BY over the raw ledger, so they stay fast at city
scale; the rules themselves are applied by ``calculations``."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.utils import timezone

from common import periods
from org.models import UNASSIGNED_LABEL, Department, StaffProfile
from org.selectors import department_of, people_directory, people_read

from . import calculations as calc
from .models import (
    Activity,
    MonthlyCap,
    PointRule,
    QuarterRound,
    RoundEntry,
    RoundWinner,
    UserMonth,
    UserQuarter,
    UserYear,
)

# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRules:
    """The table and caps that apply to one year (its own or the latest earlier year's)."""

    year: int
    table_year: int | None
    table: dict[tuple[str, str], Decimal]
    caps: dict[str, Decimal]


def rules_for_year(year: int) -> YearRules:
    """Two small queries; the fallback rule is calculations.rule_year."""
    rows = list(
        PointRule.objects.filter(year__lte=year).values_list("year", "area", "kind", "points")
    )
    table_year = calc.rule_year({r[0] for r in rows}, year)
    table = (
        {(a, k): p for y, a, k, p in rows if y == table_year}
        if table_year is not None
        else dict(calc.DEFAULT_TABLE)
    )
    cap_rows = list(MonthlyCap.objects.filter(year__lte=year).values_list("year", "kind", "cap"))
    cap_year = calc.rule_year({r[0] for r in cap_rows}, year)
    caps = (
        {k: c for y, k, c in cap_rows if y == cap_year}
        if cap_year is not None
        else dict(calc.DEFAULT_CAPS)
    )
    return YearRules(year, table_year, table, caps)


# --- Rankings ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RankingRow:
    """One line of a ranking: ``user`` (name fields loaded; None with ``with_users=False``),
    points (comment and view capped per month), eligibility and rank (None if ineligible),
    the department's name ("" for 미지정)."""

    user_id: int
    total: Decimal
    approval: Decimal
    comment: Decimal
    view: Decimal
    eligible: bool
    rank: int | None = None
    department: str = ""
    winner: bool = False
    loaded_user: User | None = None
    # An org.selectors.Person (id, username, first_name, last_name, department name): the
    # user object is built on first access, so a full ranking of 50,000 people doesn't pay
    # for 50,000 model instances it may not use.
    user_values: tuple[Any, ...] | None = None

    @property
    def user(self) -> User | None:
        if self.loaded_user is None and self.user_values is not None:
            self.loaded_user = _user(self.user_values)
        return self.loaded_user


# The database orders exactly as calculations.order_key (index scoring_uq_order for a
# quarter), so the rows come back best first and calculations.assign_ranks numbers them in
# one pass. Every period's rows carry the same names: t(otal), a(pproval), c(omment),
# v(iew), n (proposals submitted).
ORDER = ("-t", "-a", "user_id")
ROW_FIELDS = ("user_id", "t", "a", "c", "v", "n")
USER_FIELDS = ("id", "username", "first_name", "last_name")
PERSON_FIELDS = (
    "user__username", "user__first_name", "user__last_name", "user__staff_profile__department_id",
)  # fmt: skip
# From this many ranked people on, the names come from the people directory (every user; a
# city's period has most of its staff): cheaper than matching 50,000 ids against the roll-up.
EVERYONE_FROM = 2_000
POINTS = DecimalField(max_digits=9, decimal_places=1)
LISTED = Q(t__gt=0) | Q(n__gt=0)


def _capped(field: str, cap: Decimal | None) -> Any:
    """min(sum, cap) as SQL; CASE rather than LEAST, which treats NULL differently per
    database (STYLE)."""
    if cap is None:
        return F(field)
    return Case(
        When(**{f"{field}__gt": cap}, then=Value(cap)), default=F(field), output_field=POINTS
    )


def _quarters(period: periods.Period) -> list[int]:
    return sorted({periods.quarter_of(m) for m in period.months})


def _period_source(period: periods.Period) -> QuerySet[Any]:
    """The period's rows with ``t, a, c, v, n`` (see ROW_FIELDS), best first, only people with
    points or a proposal: one roll-up row per person, read in the order of its index. A
    quarter reads ``UserQuarter``, a half-year or a year ``UserYear`` (the sums of the
    person's quarters, each already capped per month); a month caps its own roll-up row
    with the year's caps."""
    year = period.start.year
    if len(period.months) == 1:
        caps = rules_for_year(year).caps
        comment = _capped("comment_points", caps.get(calc.COMMENT))
        view = _capped("view_points", caps.get(calc.VIEW))
        qs: QuerySet[Any] = UserMonth.objects.filter(month=period.start).annotate(
            c=comment,
            v=view,
            a=F("approval_points"),
            n=F("proposals"),
            t=ExpressionWrapper(F("approval_points") + comment + view, output_field=POINTS),
        )
    else:
        quarters = _quarters(period)
        if len(quarters) == 1:
            qs = UserQuarter.objects.filter(year=year, quarter=quarters[0]).annotate(
                t=F("total"),
                a=F("approval_points"),
                c=F("comment_points"),
                v=F("view_points"),
                n=F("proposals"),
            )
        else:
            qs = UserYear.objects.filter(year=year, half=_half(period)).annotate(
                t=F("total"),
                a=F("approval_points"),
                c=F("comment_points"),
                v=F("view_points"),
                n=F("proposals"),
            )
    return qs.filter(LISTED).order_by(*ORDER)


def _half(period: periods.Period) -> int:
    """The ``UserYear.half`` of a half-year (1, 2) or of the whole year (0)."""
    quarters = _quarters(period)
    if quarters == [1, 2, 3, 4]:
        return UserYear.YEAR
    if quarters in ([1, 2], [3, 4]):
        return periods.half_of(period.start)
    raise ValueError(f"no roll-up for the months {period.months}")


def _period_people(period: periods.Period) -> QuerySet[Any, Any]:
    """The ids of everyone with a roll-up row in the period (a subquery)."""
    if len(period.months) == 1:
        return UserMonth.objects.filter(month=period.start).values("user_id")
    quarters = _quarters(period)
    if len(quarters) == 1:
        return UserQuarter.objects.filter(year=period.start.year, quarter=quarters[0]).values(
            "user_id"
        )
    return UserYear.objects.filter(year=period.start.year, half=_half(period)).values("user_id")


def period_ranking(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
    with_users: bool = True,
) -> list[RankingRow]:
    """The live ranking of a month, a quarter, a half-year or (only ``year``) a whole year,
    best first, with the rules of calculations.py: comment and view points capped per
    calendar month in Asia/Seoul, eligible = at least one 창의제안 submitted in the period,
    ties by approval points, then the same rank. Read from the roll-ups, never the ledger.
    ``with_users`` gives each row its person (name fields, department): from the people
    directory (org.selectors.people_directory: no query while this process's copy is
    current), or for a small ranking two more queries."""
    period = periods.period(year=year, quarter=quarter, half=half, month=month)
    # 50,000 people: the points come as whole tenths (bigint, converted in C) and each
    # distinct value becomes one shared Decimal, not 200,000 Decimals parsed from text;
    # eligibility comes as a boolean. The database does the rest of the work.
    source = _period_source(period).annotate(
        t10=_tenths("t"),
        a10=_tenths("a"),
        c10=_tenths("c"),
        v10=_tenths("v"),
        ok=ExpressionWrapper(Q(n__gt=0), output_field=BooleanField()),
    )
    points = _Tenths()
    fields = ("user_id", "t10", "a10", "c10", "v10", "ok")
    with _no_gc():
        if not with_users:
            rows = [
                RankingRow(u, points[t], points[a], points[c], points[v], ok)
                for u, t, a, c, v, ok in _plain_rows(source.values_list(*fields))
            ]
        else:
            ranked = _plain_rows(source.values_list(*fields))
            # A city's period lists most of its staff: the people directory (this process's
            # copy, current while nobody was renamed or moved) instead of 50,000 rows read
            # again; a small ranking reads just its people.
            people = (
                people_directory()
                if len(ranked) >= EVERYONE_FROM
                else people_read(_period_people(period))
            )
            persons = list(map(people.get, map(itemgetter(0), ranked)))
            if None in persons:  # made since the directory was read, or written by raw SQL
                found = people_read(
                    [u for (u, *_), p in zip(ranked, persons, strict=True) if p is None]
                )
                persons = [p or found.get(u) for (u, *_), p in zip(ranked, persons, strict=True)]
            # Positional (…, rank, department, winner, loaded_user, user_values): the
            # cheapest call for 50,000 rows.
            rows = [
                RankingRow(
                    u,
                    points[t],
                    points[a],
                    points[c],
                    points[v],
                    ok,
                    None,
                    "" if p is None else p[4],
                    False,
                    None,
                    p,
                )
                for (u, t, a, c, v, ok), p in zip(ranked, persons, strict=True)
            ]
            # Gone before the collector runs again: it would walk 100,000 more young objects.
            del ranked, persons
    calc.assign_ranks(rows)
    return rows


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a ranking's 50,000 rows are built: they are all
    kept (nothing to collect), but in a process holding many objects each collection the
    allocations trigger walks them all: ~120 ms of a city's ranking against ~10 ms."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Tenths(dict[int, Decimal]):
    """Whole tenths of a point → the Decimal, made once per distinct value."""

    def __missing__(self, tenths: int) -> Decimal:
        value = self[tenths] = Decimal(tenths).scaleb(-1)
        return value


def _tenths(name: str) -> Cast:
    """The points annotation ``name`` (one decimal place) as whole tenths, exactly."""
    return Cast(F(name) * Value(10), BigIntegerField())


def _plain_rows(qs: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a values_list of plain columns (ints, booleans, text) as the driver gives
    them: the query Django compiles, without its per-value converters (200,000 calls for a
    city's ranking)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def quarter_ranking(*, year: int, quarter: int, with_users: bool = True) -> list[RankingRow]:
    """The live ranking of a quarter (period_ranking of the quarter)."""
    return period_ranking(year=year, quarter=quarter, with_users=with_users)


def _user(values: tuple[Any, ...]) -> User:
    """A user instance with the name fields loaded and the rest deferred (read on access), as
    Model.from_db would build it, minus the per-instance __init__ and signals: for 50,000
    people that is the difference between ~0.5 s and ~0.05 s (bench/scoring.py)."""
    user = User.__new__(User)
    user.__dict__.update(zip(USER_FIELDS, values[: len(USER_FIELDS)], strict=True))
    user._state = ModelState()
    user._state.adding, user._state.db = False, DEFAULT_DB_ALIAS
    return user


def _department(user: User) -> str:
    dept = department_of(user)
    return dept.name if dept else ""


@dataclass
class Leaderboard:
    period: periods.Period
    kind: str  # month / quarter / half / year
    rows: list[RankingRow]
    round: QuarterRound | None  # the frozen official record, when the quarter's round ran
    listed: int = 0
    page: Page[int] | None = None  # the page shown (of ``listed`` people, for the links)

    @property
    def year(self) -> int:
        return self.period.start.year

    @property
    def quarter(self) -> int | None:
        return periods.quarter_of(self.period.start) if self.kind == "quarter" else None


def period_kind(*, quarter: int | None, half: int | None, month: int | None) -> str:
    if month is not None:
        return "month"
    if quarter is not None:
        return "quarter"
    return "half" if half is not None else "year"


def _page(count: int, number: int | str | None, per_page: int) -> tuple[Page[int], int, int]:
    """The page ``number`` (the last one when past the end) of ``count`` listed people, and
    the slice of the full order it shows: a Paginator over a range, so the page links know
    the size without the rows."""
    page = Paginator(range(count), per_page).get_page(number)
    return page, max(page.start_index() - 1, 0), page.end_index()


def _rank_start(source: QuerySet[Any], first: RankingRow) -> calc.RankStart:
    """Where a later page starts in the full ranking: eligible people before its first row
    and eligible people strictly ahead of it (one query of two counts)."""
    key = (first.total, first.approval)
    better = Q(t__gt=first.total) | Q(t=first.total, a__gt=first.approval)
    before = better | Q(t=first.total, a=first.approval, user_id__lt=first.user_id)
    counts = source.filter(n__gt=0).aggregate(
        seen=Count("user_id", filter=before), ahead=Count("user_id", filter=better)
    )
    return calc.RankStart(counts["seen"], counts["ahead"], key)


def leaderboard(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
    page: int | str | None = 1,
    per_page: int = 50,
) -> Leaderboard:
    """One page of a period's ranking: for a quarter whose round ran, the frozen snapshot;
    else live, with the ranks of the full list. A fixed number of queries whatever the size
    and the page (a count, the page's rows, their people, the round, and for a later live
    page the two counts of where it starts)."""
    period = periods.period(year=year, quarter=quarter, half=half, month=month)
    kind = period_kind(quarter=quarter, half=half, month=month)
    rnd = (
        QuarterRound.objects.filter(year=year, quarter=quarter).first()
        if quarter is not None
        else None
    )
    if rnd is not None:
        shown, start, end = _page(RoundEntry.objects.filter(round=rnd).count(), page, per_page)
        winners = set(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        entries = RoundEntry.objects.filter(round=rnd).select_related("user").order_by("position")
        rows = [
            RankingRow(
                e.user_id,
                e.total,
                e.approval_points,
                e.comment_points,
                e.view_points,
                e.eligible,
                e.rank,
                department=e.department,
                winner=e.user_id in winners,
                loaded_user=e.user,
            )
            for e in entries[start:end]
        ]
        return Leaderboard(period, kind, rows, rnd, shown.paginator.count, shown)
    source = _period_source(period)
    shown, start, end = _page(source.count(), page, per_page)
    rows = [RankingRow(u, t, a, c, v, p > 0) for u, t, a, c, v, p in source.values_list(
        *ROW_FIELDS)[start:end]]  # fmt: skip
    people = User.objects.select_related("staff_profile__department").in_bulk(
        [r.user_id for r in rows]
    )
    for r in rows:
        r.loaded_user = people[r.user_id]
        r.department = _department(r.loaded_user)
    # The first page is a prefix of the full order, so its ranks are the full list's ranks;
    # a later page starts from the counts of who is before and ahead of its first row.
    calc.assign_ranks(rows, _rank_start(source, rows[0]) if start > 0 and rows else None)
    return Leaderboard(period, kind, rows, None, shown.paginator.count, shown)


@dataclass
class DepartmentRow:
    """One department in a period: people who took part, the points they earned there
    (comment and view capped per person-month), approvals, and points per member."""

    department_id: int | None
    name: str
    members: int
    participants: int = 0
    approvals: int = 0
    approval: Decimal = calc.ZERO
    comment: Decimal = calc.ZERO
    view: Decimal = calc.ZERO
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return self.approval + self.comment + self.view

    @property
    def per_member(self) -> Decimal | None:
        return calc.per_member(self.total, self.members)


def department_ranking(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
) -> list[DepartmentRow]:
    """Every department in a period, best points per member first (the base of the 우수 부서
    awards). Points count where they were earned: each person-month carries the department
    the person was in then. ``members`` is the department's staff today. Three queries."""
    period = periods.period(year=year, quarter=quarter, half=half, month=month)
    caps = rules_for_year(year).caps
    sums = (
        UserMonth.objects.filter(month__gte=period.start, month__lt=period.end)
        .filter(
            Q(approval_points__gt=0)
            | Q(comment_points__gt=0)
            | Q(view_points__gt=0)
            | Q(proposals__gt=0)
        )
        .values("department_id")
        .annotate(
            people=Count("user_id", distinct=True),
            n=Sum("approvals"),
            a=Sum("approval_points"),
            c=Sum(_capped("comment_points", caps.get(calc.COMMENT))),
            v=Sum(_capped("view_points", caps.get(calc.VIEW))),
        )
    )
    members = dict(
        StaffProfile.objects.filter(department__isnull=False)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    rows = {
        d.pk: DepartmentRow(d.pk, d.name, members.get(d.pk, 0))
        for d in Department.objects.order_by("bureau__order", "order", "name")
    }
    for s in sums:
        dept_id = s["department_id"]
        row = rows.get(dept_id)
        if row is None:  # 미지정 (no department at the time)
            row = rows[dept_id] = DepartmentRow(None, str(UNASSIGNED_LABEL), 0)
        row.participants = s["people"]
        row.approvals = s["n"] or 0
        row.approval, row.comment, row.view = s["a"], s["c"], s["v"]
    return calc.rank_departments(list(rows.values()))


def rank_of(*, user: User, year: int, quarter: int, row: UserQuarter | None = None) -> int | None:
    """One person's live rank in a quarter: 1 + eligible people strictly ahead (one count)."""
    uq = row or UserQuarter.objects.filter(user=user, year=year, quarter=quarter).first()
    if uq is None or uq.proposals <= 0:
        return None
    ahead = UserQuarter.objects.filter(year=year, quarter=quarter, proposals__gt=0).filter(
        Q(total__gt=uq.total) | Q(total=uq.total, approval_points__gt=uq.approval_points)
    )
    return ahead.count() + 1


@dataclass
class MonthLine:
    month: date
    comment: Decimal
    view: Decimal
    comment_capped: Decimal
    view_capped: Decimal
    approval: Decimal
    proposals: int


@dataclass
class MyScore:
    today: date
    month: date
    year: int
    quarter: int
    comment: Decimal  # this month, uncapped sum
    view: Decimal
    comment_cap: Decimal | None
    view_cap: Decimal | None
    comment_capped: Decimal
    view_capped: Decimal
    approval: Decimal  # this quarter
    quarter_comment: Decimal
    quarter_view: Decimal
    total: Decimal
    proposals: int
    eligible: bool
    rank: int | None
    months: list[MonthLine] = field(default_factory=list)
    wins: list[RoundWinner] = field(default_factory=list)


def my_score(*, user: User, at: datetime | None = None) -> MyScore:
    """내 점수: this month against the caps, this quarter's total and rank. A fixed number of
    queries; the ledger lines are a separate paginated query (my_lines)."""
    at = at or timezone.now()
    month = periods.month_of(at)
    year, quarter = month.year, periods.quarter_of(month)
    caps = rules_for_year(year).caps
    span = periods.quarter(year, quarter)
    months = {
        m.month: m
        for m in UserMonth.objects.filter(user=user, month__gte=span.start, month__lt=span.end)
    }
    lines = []
    for m in span.months:
        um = months.get(m)
        if um is None:
            continue
        lines.append(
            MonthLine(
                m,
                um.comment_points,
                um.view_points,
                calc.capped(um.comment_points, caps.get(calc.COMMENT)),
                calc.capped(um.view_points, caps.get(calc.VIEW)),
                um.approval_points,
                um.proposals,
            )  # fmt: skip
        )
    this = months.get(month)
    comment = this.comment_points if this else calc.ZERO
    view = this.view_points if this else calc.ZERO
    uq = UserQuarter.objects.filter(user=user, year=year, quarter=quarter).first()
    return MyScore(
        today=periods.local_date(at),
        month=month,
        year=year,
        quarter=quarter,
        comment=comment,
        view=view,
        comment_cap=caps.get(calc.COMMENT),
        view_cap=caps.get(calc.VIEW),
        comment_capped=calc.capped(comment, caps.get(calc.COMMENT)),
        view_capped=calc.capped(view, caps.get(calc.VIEW)),
        approval=uq.approval_points if uq else calc.ZERO,
        quarter_comment=uq.comment_points if uq else calc.ZERO,
        quarter_view=uq.view_points if uq else calc.ZERO,
        total=uq.total if uq else calc.ZERO,
        proposals=uq.proposals if uq else 0,
        eligible=bool(uq and uq.proposals > 0),
        rank=rank_of(user=user, year=year, quarter=quarter, row=uq) if uq else None,
        months=lines,
        wins=list(
            RoundWinner.objects.filter(user=user, active=True)
            .select_related("round")
            .order_by("-round__year", "-round__quarter")[:8]
        ),
    )


def my_lines(*, user: User, year: int, quarter: int) -> QuerySet[Activity]:
    """The ledger lines of one person's quarter, newest first (index on user, month)."""
    span = periods.quarter(year, quarter)
    return Activity.objects.filter(user=user, month__gte=span.start, month__lt=span.end).order_by(
        "-occurred_at", "-id"
    )


@dataclass
class WinnerLine:
    """One active 창의왕 of a round with the entry the round froze (points, eligibility, the
    department at the time)."""

    winner: RoundWinner
    entry: RoundEntry | None


def round_winner_lines(*, round: QuarterRound) -> list[WinnerLine]:
    """The round's active winners by place, each with their frozen entry (two queries)."""
    winners = list(round.winners.filter(active=True).select_related("user").order_by("place"))
    entries = {
        e.user_id: e
        for e in round.entries.filter(user__in=[w.user_id for w in winners]).select_related("user")
    }
    return [WinnerLine(w, entries.get(w.user_id)) for w in winners]
