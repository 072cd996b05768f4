"""The admin dashboard: this year against last, read from the apps it sums up.

Saleor's pattern: :func:`load` reads everything once through the apps' selectors into one
:class:`DashboardData` of plain values (a fixed number of aggregate queries, however much
data there is, and no scan of a whole table), then each section is a small function from that
data to a ``Table`` of numbers (the page draws a chart from it and shows the same numbers as
a table; the Excel export writes it).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from board.models import Area
from board.selectors import DepartmentKnowledge, Registered
from clubs import selectors as clubs_selectors
from clubs.selectors import YearActivity
from contests import selectors as contests_selectors
from contests.models import Grade
from contests.selectors import BudgetSummary
from proposals import selectors as proposals_selectors
from proposals.models import Channel, ProposerKind
from proposals.selectors import HalfYearStats

from . import calculations as calc
from . import selectors
from .charts import Unit

Number = int | float
Choices = Sequence[tuple[str, str | Promise]]
DEPARTMENT_LIMIT = 10  # the "most active departments" section lists this many


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]  # value column headers (the row label column is separate)
    rows: list[tuple[str, list[Number | None]]]
    note: str = ""
    chart: bool = True  # whether a bar chart of the first value columns helps
    chart_columns: int = 2  # how many leading columns the chart draws as series
    row_header: str = field(default_factory=lambda: _("구분"))
    unit: Unit = "count"  # one unit a table, so a chart never mixes won and counts


# --- the data, loaded once ---------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardData:
    """Everything the sections show, for ``year`` and the year before."""

    year: int
    registered: dict[tuple[str, date], Registered]  # (area, month) of the two years
    approved: dict[tuple[str, int], int]  # (area, year) by approval date
    knowledge_months: list[int]  # the plan's 지식등록의 날 months of ``year``
    departments: list[DepartmentKnowledge]  # the most active of ``year``
    proposals: list[tuple[int, list[HalfYearStats]]]  # history, then the portal's years
    awards: dict[tuple[int, str], int]  # (year, grade)
    budgets: tuple[BudgetSummary, BudgetSummary]  # last year, this year
    clubs: dict[int, YearActivity]

    @property
    def years(self) -> tuple[int, int]:
        return self.year - 1, self.year


def load(*, year: int) -> DashboardData:
    proposal_years = sorted(
        {y for y in proposals_selectors.statistics_years() if y <= year} | {year - 1, year}
    )
    board = selectors.board_figures(year=year, department_limit=DEPARTMENT_LIMIT)
    return DashboardData(
        year=year,
        registered=board.registered,
        approved=board.approved,
        knowledge_months=selectors.knowledge_day_months(year=year),
        departments=board.departments,
        proposals=proposals_selectors.statistics_by_year(years=proposal_years),
        awards=contests_selectors.award_counts(years=[year - 1, year]),
        budgets=(
            contests_selectors.budget_summary(year=year - 1),
            contests_selectors.budget_summary(year=year),
        ),
        clubs=clubs_selectors.year_activity(years=[year - 1, year]),
    )


# --- small pure helpers ------------------------------------------------------------------------


def _compare_columns(year: int) -> list[str]:
    return [_("%(y)d년") % {"y": year - 1}, _("%(y)d년") % {"y": year}, _("증감")]


def _compare_rows(
    labels: Choices, last: dict[str, int], this: dict[str, int]
) -> list[tuple[str, list[Number | None]]]:
    """One row per label (last year, this year, change), then the total."""
    rows: list[tuple[str, list[Number | None]]] = []
    total_a = total_b = 0
    for code, label in labels:
        a, b = last.get(code, 0), this.get(code, 0)
        total_a, total_b = total_a + a, total_b + b
        rows.append((str(label), [a, b, b - a]))
    rows.append((_("합계"), [total_a, total_b, total_b - total_a]))
    return rows


def _number(value: Decimal | int) -> Number:
    """Counts stay integers; hours keep one decimal (1.5 hours is a real figure)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 1)
    return int(value)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value}%"


def _per_area_of_year(data: DashboardData, year: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for (area, month), counts in data.registered.items():
        if month.year == year:
            out[area] = out.get(area, 0) + counts.registered
    return out


def _registered_in_month(data: DashboardData, year: int, month: int) -> int:
    first = date(year, month, 1)
    return sum(c.registered for (_area, m), c in data.registered.items() if m == first)


def _sum_halves(halves: Iterable[HalfYearStats]) -> list[Number | None]:
    halves = list(halves)
    total = sum(h.total for h in halves)
    if any(h.residents is None or h.staff is None for h in halves):
        return [total, None, None]
    return [total, sum(h.residents or 0 for h in halves), sum(h.staff or 0 for h in halves)]


def _by_kind(halves: list[HalfYearStats]) -> dict[str, int]:
    return {
        ProposerKind.RESIDENT: sum(h.residents or 0 for h in halves),
        ProposerKind.STAFF: sum(h.staff or 0 for h in halves),
    }


def _by_channel(halves: list[HalfYearStats]) -> dict[str, int]:
    out: dict[str, int] = {}
    for h in halves:
        for channel, n in h.by_channel.items():
            out[channel] = out.get(channel, 0) + n
    return out


def _proposal_halves(data: DashboardData, year: int) -> list[HalfYearStats]:
    return next((halves for y, halves in data.proposals if y == year), [])


# --- sections ----------------------------------------------------------------------------


def posts_per_area(data: DashboardData) -> Table:
    year = data.year
    return Table(
        "posts",
        _("분야별 지식 등록"),
        _compare_columns(year),
        _compare_rows(
            Area.choices, _per_area_of_year(data, year - 1), _per_area_of_year(data, year)
        ),
        note=_("지식나눔 게시판에 제출된 글 (임시저장 제외)"),
    )


def knowledge_days(data: DashboardData) -> Table:
    """지식등록의 날: the knowledge registered in each of the plan's knowledge day months."""
    year = data.year
    rows: list[tuple[str, list[Number | None]]] = []
    for m in data.knowledge_months:
        a = _registered_in_month(data, year - 1, m)
        b = _registered_in_month(data, year, m)
        rows.append((_("%(m)d월") % {"m": m}, [a, b, b - a]))
    return Table(
        "knowledge_days",
        _("지식등록의 날 지식 등록"),
        _compare_columns(year),
        rows,
        note=_("지식등록의 날 운영 월에 제출된 글"),
        row_header=_("월"),
    )


def approvals_per_area(data: DashboardData) -> Table:
    year = data.year

    def of(y: int) -> dict[str, int]:
        return {area: n for (area, ay), n in data.approved.items() if ay == y}

    return Table(
        "approvals",
        _("분야별 승인"),
        _compare_columns(year),
        _compare_rows(Area.choices, of(year - 1), of(year)),
        note=_("선별 승인된 글 (승인 일자 기준)"),
    )


def proposals_by_proposer(data: DashboardData) -> Table:
    year = data.year
    return Table(
        "proposals_kind",
        _("제안자별 제안"),
        _compare_columns(year),
        _compare_rows(
            ProposerKind.choices,
            _by_kind(_proposal_halves(data, year - 1)),
            _by_kind(_proposal_halves(data, year)),
        ),
    )


def proposals_by_channel(data: DashboardData) -> Table:
    year = data.year
    return Table(
        "proposals_channel",
        _("접수 경로별 제안"),
        _compare_columns(year),
        _compare_rows(
            Channel.choices,
            _by_channel(_proposal_halves(data, year - 1)),
            _by_channel(_proposal_halves(data, year)),
        ),
    )


def proposals_by_year(data: DashboardData) -> Table | None:
    """Proposals a year: the history before the portal, then the portal's own years (a portal
    year with no proposal is left out, except the two compared)."""
    rows: list[tuple[str, list[Number | None]]] = []
    for y, halves in data.proposals:
        history = bool(halves) and all(h.source == "history" for h in halves)
        totals = _sum_halves(halves)
        if history or totals[0] or y in data.years:
            rows.append((_("%(y)d년") % {"y": y}, totals))
    if not rows:
        return None
    return Table(
        "proposals_years",
        _("연도별 제안 건수"),
        [_("제안"), _("구민"), _("직원")],
        rows,
        note=_("2014~2015년은 포털 이전 실적(2016 창의구정 추진계획)"),
        chart_columns=1,
        row_header=_("연도"),
    )


def history_halves(data: DashboardData) -> Table | None:
    half_label = {1: _("상반기"), 2: _("하반기")}
    rows: list[tuple[str, list[Number | None]]] = [
        (
            _("%(y)d년 %(h)s") % {"y": h.year, "h": half_label[h.half]},
            [
                h.total,
                h.residents,
                h.staff,
                *(
                    h.awards.get(grade) or 0
                    for grade in (Grade.GRAND, Grade.EXCELLENT, Grade.MERIT)
                ),
            ],
        )
        for _y, halves in data.proposals
        for h in halves
        if h.source == "history" and h.half in half_label
    ]
    if not rows:
        return None
    return Table(
        "history_halves",
        _("반기별 제안과 시상 (포털 이전)"),
        [_("제안"), _("구민"), _("직원"), _("최우수"), _("우수"), _("장려")],
        rows,
        note=_("2016 창의구정 추진계획의 2015년 실적"),
        chart=False,
        row_header=_("반기"),
    )


def awards_by_grade(data: DashboardData) -> Table:
    year = data.year

    def of(y: int) -> dict[str, int]:
        return {grade: n for (ay, grade), n in data.awards.items() if ay == y}

    return Table(
        "awards",
        _("등급별 시상"),
        _compare_columns(year),
        _compare_rows(Grade.choices, of(year - 1), of(year)),
        note=_("확정된 시상 (제안, 테마제안, 경진대회, 콘테스트, 동아리 심사)"),
    )


def prize_money(data: DashboardData) -> Table:
    """The prize budget in won (its own chart: money on a 만원/억원 axis)."""
    a, b = data.budgets
    rows: list[tuple[str, list[Number | None]]] = [
        (_("시상금 예산(원)"), [a.budget_won, b.budget_won, b.budget_won - a.budget_won]),
        (_("집행액(원)"), [a.spent_won, b.spent_won, b.spent_won - a.spent_won]),
        (_("잔액(원)"), [a.left_won, b.left_won, b.left_won - a.left_won]),
    ]
    return Table(
        "prize",
        _("시상금 집행과 예산"),
        _compare_columns(data.year),
        rows,
        note=_("집행률 %(p)s") % {"p": _percent(calc.share_percent(b.spent_won, b.budget_won))},
        chart_columns=2,
        unit="won",
    )


def prize_payments(data: DashboardData) -> Table:
    """How many prizes were paid: a count, so not on the money chart."""
    a, b = data.budgets
    return Table(
        "prize_payments",
        _("시상금 지급 건수"),
        _compare_columns(data.year),
        [(_("지급 건수"), [a.payments, b.payments, b.payments - a.payments])],
    )


def club_activity(data: DashboardData) -> Table:
    last, this = (data.clubs[y] for y in data.years)
    figures: list[tuple[str, Decimal | int, Decimal | int]] = [
        (_("동아리"), last.clubs, this.clubs),
        (_("모임"), last.meetings, this.meetings),
        (_("출석 (연인원)"), last.attendances, this.attendances),
        (_("학습 시간"), last.hours, this.hours),
        (_("월별 활동보고"), last.reports, this.reports),
    ]
    return Table(
        "clubs",
        _("학습동아리 활동"),
        _compare_columns(data.year),
        [(label, [_number(a), _number(b), _number(b - a)]) for label, a, b in figures],
    )


def active_departments(data: DashboardData) -> Table:
    """The departments that registered the most knowledge this year (approvals break ties)."""
    return Table(
        "departments",
        _("활동이 많은 부서 (%(y)d년)") % {"y": data.year},
        [_("등록"), _("승인")],
        [(d.department, [d.registered, d.approved]) for d in data.departments],
        note=_("지식 등록 건수 상위 %(n)d개 부서") % {"n": DEPARTMENT_LIMIT},
        row_header=_("부서"),
    )


def dashboard(*, year: int) -> list[Table]:
    data = load(year=year)
    sections = [
        proposals_by_year(data),
        history_halves(data),
        posts_per_area(data),
        knowledge_days(data),
        approvals_per_area(data),
        proposals_by_proposer(data),
        proposals_by_channel(data),
        awards_by_grade(data),
        prize_money(data),
        prize_payments(data),
        club_activity(data),
        active_departments(data),
    ]
    return [s for s in sections if s is not None]


@dataclass(frozen=True)
class Snapshot:
    year: int
    tables: list[Table]
    computed_at: datetime


def dashboard_snapshot(*, year: int, fresh: bool = False) -> Snapshot:
    """The dashboard, kept in the cache for ``PROGRAMME_DASHBOARD_CACHE_SECONDS`` (default 5
    minutes): admins look at it a few times a day. ``fresh`` recomputes now."""
    seconds = getattr(settings, "PROGRAMME_DASHBOARD_CACHE_SECONDS", 300)
    key = f"programme:dashboard:{year}"
    if seconds and not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    snapshot = Snapshot(year, dashboard(year=year), timezone.now())
    if seconds:
        cache.set(key, snapshot, seconds)
    return snapshot
