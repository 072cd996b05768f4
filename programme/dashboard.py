"""Selectors of the admin dashboard: this year against last, read from the apps it sums up.

Each section is a ``Table`` of plain numbers (the page draws a chart from it and shows the
same numbers as a table; the Excel export writes it). The apps are read defensively: a
section whose app has not built its models yet is left out rather than failing the page.
Every section is a fixed number of aggregate queries, however much data there is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calculations as calc
from .models import HistoricalFigure
from .selectors import has_fields, optional_model, year_range

Number = int | float


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


def _compare_columns(year: int) -> list[str]:
    return [_("%(y)d년") % {"y": year - 1}, _("%(y)d년") % {"y": year}, _("증감")]


def _compare_rows(labels: list[tuple[str, str]], last: dict, this: dict) -> list:
    rows = []
    for code, label in labels:
        a, b = int(last.get(code, 0) or 0), int(this.get(code, 0) or 0)
        rows.append((str(label), [a, b, b - a]))
    total_a = sum(r[1][0] for r in rows)
    total_b = sum(r[1][1] for r in rows)
    rows.append((_("합계"), [total_a, total_b, total_b - total_a]))
    return rows


def _by_year(qs, date_field: str, group_field: str, year: int, extra: Q | None = None) -> dict:
    """{year: {group value: count}} for the year and the one before, in one query."""
    start = year_range(year - 1)[0]
    this_start, end = year_range(year)
    rows = qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    if extra is not None:
        rows = rows.filter(extra)
    counts = rows.values(group_field).annotate(
        last=Count("id", filter=Q(**{f"{date_field}__lt": this_start})),
        this=Count("id", filter=Q(**{f"{date_field}__gte": this_start})),
    )
    out: dict[int, dict] = {year - 1: {}, year: {}}
    for row in counts:
        out[year - 1][row[group_field]] = row["last"]
        out[year][row[group_field]] = row["this"]
    return out


# --- sections ----------------------------------------------------------------------------


def posts_per_area(year: int) -> Table | None:
    post = optional_model("board", "Post")
    if not has_fields(post, "area", "status", "submitted_at"):
        return None
    areas = post._meta.get_field("area").choices
    by = _by_year(post.objects.exclude(status="draft"), "submitted_at", "area", year)
    return Table(
        "posts",
        _("분야별 지식 등록"),
        _compare_columns(year),
        _compare_rows(areas, by[year - 1], by[year]),
        note=_("지식나눔 게시판에 제출된 글 (임시저장 제외)"),
    )


def knowledge_days(year: int) -> Table | None:
    """지식등록의 날: the knowledge registered in each of the plan's knowledge day months."""
    from .selectors import knowledge_day_months, knowledge_registered

    if not has_fields(optional_model("board", "Post"), "submitted_at", "status"):
        return None
    months = knowledge_day_months(year=year)
    rows = []
    for m in months:
        a = knowledge_registered(year=year - 1, month=m)["registered"]
        b = knowledge_registered(year=year, month=m)["registered"]
        rows.append((_("%(m)d월") % {"m": m}, [a, b, b - a]))
    return Table(
        "knowledge_days",
        _("지식등록의 날 지식 등록"),
        _compare_columns(year),
        rows,
        note=_("지식등록의 날 운영 월에 제출된 글"),
        row_header=_("월"),
    )


def approvals_per_area(year: int) -> Table | None:
    post = optional_model("board", "Post")
    if not has_fields(post, "area", "status", "reviewed_at"):
        return None
    areas = post._meta.get_field("area").choices
    by = _by_year(post.objects.filter(status="approved"), "reviewed_at", "area", year)
    return Table(
        "approvals",
        _("분야별 승인"),
        _compare_columns(year),
        _compare_rows(areas, by[year - 1], by[year]),
        note=_("선별 승인된 글 (승인 일자 기준)"),
    )


def proposals_by_proposer(year: int) -> Table | None:
    proposal = optional_model("proposals", "Proposal")
    if not has_fields(proposal, "kind", "received_at"):
        return None
    kinds = proposal._meta.get_field("kind").choices
    by = _by_year(proposal.objects.all(), "received_at", "kind", year)
    return Table(
        "proposals_kind",
        _("제안자별 제안"),
        _compare_columns(year),
        _compare_rows(kinds, by[year - 1], by[year]),
    )


def proposals_by_channel(year: int) -> Table | None:
    proposal = optional_model("proposals", "Proposal")
    if not has_fields(proposal, "channel", "received_at"):
        return None
    channels = proposal._meta.get_field("channel").choices
    by = _by_year(proposal.objects.all(), "received_at", "channel", year)
    return Table(
        "proposals_channel",
        _("접수 경로별 제안"),
        _compare_columns(year),
        _compare_rows(channels, by[year - 1], by[year]),
    )


@dataclass(frozen=True)
class HalfFigures:
    year: int
    half: int  # 0 the whole year
    total: int
    residents: int | None
    staff: int | None
    grand: int | None
    excellent: int | None
    merit: int | None


def history(year: int) -> list[HalfFigures]:
    """The figures of the years before the portal: the proposals app's history table when it
    has one, else the programme's own (both seeded from SPEC §3)."""
    stat = optional_model("proposals", "HistoricalStatistic")
    if stat is not None and stat.objects.exists():
        return [
            HalfFigures(
                s.year, s.half, s.total, s.residents, s.staff, s.grand, s.excellent, s.merit
            )
            for s in stat.objects.filter(year__lt=year).order_by("year", "half")
        ]
    keyed: dict[tuple[int, int], dict[str, int]] = {}
    for f in HistoricalFigure.objects.filter(year__lt=year):
        keyed.setdefault((f.year, f.half), {})[f.metric] = f.value
    return [
        HalfFigures(
            y,
            h,
            v.get("proposals", 0),
            v.get("proposals_resident"),
            v.get("proposals_staff"),
            v.get("award_grand"),
            v.get("award_excellent"),
            v.get("award_encouragement"),
        )
        for (y, h), v in sorted(keyed.items())
    ]


def proposals_by_year(year: int, past: list[HalfFigures]) -> Table | None:
    """Proposals a year: the history (2014: 327, 2015: 384) then the portal's own years."""
    totals: dict[int, list[int | None]] = {}
    halves: dict[int, list[HalfFigures]] = {}
    for f in past:
        if f.half == 0:
            totals[f.year] = [f.total, f.residents, f.staff]
        else:
            halves.setdefault(f.year, []).append(f)
    for y, hs in halves.items():
        if y not in totals:
            totals[y] = [sum(h.total for h in hs), None, None]
        if totals[y][1] is None and all(h.residents is not None for h in hs):
            totals[y][1] = sum(h.residents or 0 for h in hs)
            totals[y][2] = sum(h.staff or 0 for h in hs)
    proposal = optional_model("proposals", "Proposal")
    if has_fields(proposal, "kind", "received_at"):
        first_portal_year = max(totals) + 1 if totals else year - 1
        start = year_range(min(first_portal_year, year - 1))[0]
        end = year_range(year)[1]
        counts = (
            proposal.objects.filter(received_at__gte=start, received_at__lt=end)
            .annotate(y=ExtractYear("received_at", tzinfo=None))
            .values("y")
            .annotate(
                total=Count("id"),
                residents=Count("id", filter=Q(kind="resident")),
                staff=Count("id", filter=Q(kind="staff")),
            )
        )
        for row in counts:
            if row["y"] not in totals:
                totals[row["y"]] = [row["total"], row["residents"], row["staff"]]
        for y in (year - 1, year):
            totals.setdefault(y, [0, 0, 0])
    if not totals:
        return None
    return Table(
        "proposals_years",
        _("연도별 제안 건수"),
        [_("제안"), _("구민"), _("직원")],
        [(_("%(y)d년") % {"y": y}, totals[y]) for y in sorted(totals)],
        note=_("2014~2015년은 포털 이전 실적(2016 창의구정 추진계획)"),
        chart_columns=1,
        row_header=_("연도"),
    )


def history_halves(past: list[HalfFigures]) -> Table | None:
    rows = [
        (
            _("%(y)d년 %(h)s") % {"y": f.year, "h": _("상반기") if f.half == 1 else _("하반기")},
            [f.total, f.residents, f.staff, f.grand or 0, f.excellent or 0, f.merit or 0],
        )
        for f in past
        if f.half in (1, 2)
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


def awards_by_grade(year: int) -> Table | None:
    award = optional_model("contests", "Award")
    if not has_fields(award, "grade", "round"):
        return None
    grades = award._meta.get_field("grade").choices
    counts = (
        award.objects.filter(round__year__in=(year - 1, year))
        .values("grade")
        .annotate(
            last=Count("id", filter=Q(round__year=year - 1)),
            this=Count("id", filter=Q(round__year=year)),
        )
    )
    last = {r["grade"]: r["last"] for r in counts}
    this = {r["grade"]: r["this"] for r in counts}
    return Table(
        "awards",
        _("등급별 시상"),
        _compare_columns(year),
        _compare_rows(grades, last, this),
        note=_("확정된 시상 (제안, 테마제안, 경진대회, 콘테스트, 동아리 심사)"),
    )


def prize_money(year: int) -> Table | None:
    try:
        from contests.selectors import budget_summary
    except ImportError:
        return None
    a, b = budget_summary(year=year - 1), budget_summary(year=year)
    rows = [
        (_("시상금 예산(원)"), [a.budget_won, b.budget_won, b.budget_won - a.budget_won]),
        (_("집행액(원)"), [a.spent_won, b.spent_won, b.spent_won - a.spent_won]),
        (_("잔액(원)"), [a.left_won, b.left_won, b.left_won - a.left_won]),
        (_("지급 건수"), [a.payments, b.payments, b.payments - a.payments]),
    ]
    return Table(
        "prize",
        _("시상금 집행과 예산"),
        _compare_columns(year),
        rows,
        note=_("집행률 %(p)s") % {"p": _percent(calc.share_percent(b.spent_won, b.budget_won))},
        chart_columns=2,
    )


def _number(value: object) -> Number:
    """Counts stay integers; hours keep one decimal (1.5 hours is a real figure)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 1)
    return int(value or 0)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value}%"


def club_activity(year: int) -> Table | None:
    club = optional_model("clubs", "Club")
    meeting = optional_model("clubs", "Meeting")
    attendance = optional_model("clubs", "Attendance")
    report = optional_model("clubs", "MonthlyReport")
    if not (
        has_fields(club, "year")
        and has_fields(meeting, "held_on")
        and has_fields(attendance, "held_on", "hours")
        and has_fields(report, "month")
    ):
        return None
    years = (year - 1, year)

    def count(q: Q) -> Count:
        return Count("id", filter=q)

    def hours(q: Q) -> Coalesce:
        return Coalesce(Sum("hours", filter=q), Value(Decimal(0)))

    def split(qs, year_field: str, agg: Callable = count) -> dict[int, Number]:
        """Last year's and this year's figure in one query."""
        values = qs.filter(**{f"{year_field}__in": years}).aggregate(
            last=agg(Q(**{year_field: year - 1})), this=agg(Q(**{year_field: year}))
        )
        return {year - 1: _number(values["last"]), year: _number(values["this"])}

    clubs = split(club.objects, "year")
    meetings = split(meeting.objects, "held_on__year")
    people = split(attendance.objects, "held_on__year")
    learned = split(attendance.objects, "held_on__year", hours)
    reports = split(report.objects, "month__year")
    rows = [
        (_("동아리"), clubs),
        (_("모임"), meetings),
        (_("출석 (연인원)"), people),
        (_("학습 시간"), learned),
        (_("월별 활동보고"), reports),
    ]
    return Table(
        "clubs",
        _("학습동아리 활동"),
        _compare_columns(year),
        [
            (
                label,
                [v[year - 1], v[year], _number(Decimal(str(v[year])) - Decimal(str(v[year - 1])))],
            )
            for label, v in rows
        ],
    )


def active_departments(year: int, limit: int = 10) -> Table | None:
    """The departments that registered the most knowledge this year (approvals break ties)."""
    post = optional_model("board", "Post")
    if not has_fields(post, "department", "status", "submitted_at"):
        return None
    start, end = year_range(year)
    rows = (
        post.objects.filter(submitted_at__gte=start, submitted_at__lt=end, department__isnull=False)
        .exclude(status="draft")
        .values("department__name")
        .annotate(
            registered=Count("id"),
            approved=Count("id", filter=Q(status="approved")),
        )
        .order_by("-registered", "-approved", "department__name")[:limit]
    )
    return Table(
        "departments",
        _("활동이 많은 부서 (%(y)d년)") % {"y": year},
        [_("등록"), _("승인")],
        [(r["department__name"], [r["registered"], r["approved"]]) for r in rows],
        note=_("지식 등록 건수 상위 %(n)d개 부서") % {"n": limit},
        row_header=_("부서"),
    )


def dashboard(*, year: int) -> list[Table]:
    past = history(year)
    sections = [
        proposals_by_year(year, past),
        history_halves(past),
        posts_per_area(year),
        knowledge_days(year),
        approvals_per_area(year),
        proposals_by_proposer(year),
        proposals_by_channel(year),
        awards_by_grade(year),
        prize_money(year),
        club_activity(year),
        active_departments(year),
    ]
    return [s for s in sections if s is not None]


@dataclass(frozen=True)
class Snapshot:
    year: int
    tables: list[Table]
    computed_at: datetime


def dashboard_snapshot(*, year: int, fresh: bool = False) -> Snapshot:
    """The dashboard, kept in the cache for ``PROGRAMME_DASHBOARD_CACHE_SECONDS`` (default 5
    minutes): at city scale the sections scan a year of posts (about two seconds for 200,000
    posts), and admins look at it a few times a day. ``fresh`` recomputes now."""
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
