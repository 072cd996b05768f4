"""Reads of the programme: the year plan as a calendar, the knowledge day figures, the actor
of the scheduled jobs."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, Exists, Q, Subquery
from django.utils import timezone

from board import selectors as board_selectors
from board.models import MonthlyTally
from board.selectors import DepartmentKnowledge, Registered
from clubs.models import Membership
from common import periods
from contests.models import CommitteeMember
from org.models import Department
from scoring import calculations as scoring_calc
from scoring.models import MonthlyCap, UserMonth, UserQuarter

from . import calculations as calc
from .models import PlanActivity, PlanYear
from .plan_data import STANDARD_ACTIVITIES

KNOWLEDGE_DAY = "knowledge_day"


# --- the plan ------------------------------------------------------------------------------


def plan_years() -> list[int]:
    return list(PlanYear.objects.order_by("-year").values_list("year", flat=True))


def plan_for(*, year: int) -> PlanYear | None:
    return PlanYear.objects.filter(year=year).prefetch_related("activities").first()


@dataclass(frozen=True)
class CalendarRow:
    activity: PlanActivity
    cells: list[bool]  # twelve months, January first
    label: str  # '3·6·9월'


@dataclass(frozen=True)
class MonthColumn:
    month: int
    activities: list[PlanActivity]
    is_current: bool


def calendar(
    *, plan: PlanYear, today: date | None = None
) -> tuple[list[CalendarRow], list[MonthColumn]]:
    """The plan's schedule table (one row per activity, a mark per month) and the same by
    month (what runs in each month), both from one query."""
    today = today or timezone.localdate()
    activities = list(plan.activities.all())
    rows = [
        CalendarRow(a, [m in a.months for m in periods.MONTHS], calc.months_label(a.months))
        for a in activities
    ]
    columns = [
        MonthColumn(
            m,
            [a for a in activities if m in a.months],
            is_current=(plan.year == today.year and m == today.month),
        )
        for m in periods.MONTHS
    ]
    return rows, columns


def activity_months(*, year: int, code: str) -> list[int]:
    """The months of a plan activity in the year's plan (the standard table's without one)."""
    months = (
        PlanActivity.objects.filter(plan__year=year, code=code)
        .values_list("months", flat=True)
        .first()
    )
    if months is None:
        months = next((m for c, _n, m in STANDARD_ACTIVITIES if c == code), [])
    return sorted(months)


def knowledge_day_months(*, year: int) -> list[int]:
    """The months of 지식등록의 날 in the year's plan (the standard 3, 6, 9 without a plan)."""
    return activity_months(year=year, code=KNOWLEDGE_DAY)


# --- knowledge days ------------------------------------------------------------------------


def knowledge_registered(*, year: int, month: int) -> Registered:
    """Knowledge registered on the board in a month: posts submitted (any area, drafts don't
    count) and how many of them are approved so far."""
    return board_selectors.registered_in(period=periods.month(year, month))


@dataclass(frozen=True)
class KnowledgeDay:
    year: int
    month: int
    registered: int
    approved: int


def knowledge_day_now(*, at: datetime | None = None) -> KnowledgeDay | None:
    """This month's 지식등록의 날, with the knowledge registered so far; None outside them."""
    today = timezone.localdate(at or timezone.now())
    if today.month not in knowledge_day_months(year=today.year):
        return None
    counts = knowledge_registered(year=today.year, month=today.month)
    return KnowledgeDay(today.year, today.month, counts.registered, counts.approved)


# --- the dashboard's board figures -----------------------------------------------------------


@dataclass(frozen=True)
class BoardFigures:
    """The board's part of the dashboard for ``year`` and the year before."""

    registered: dict[tuple[str, date], Registered]  # (area, month) of the two years
    approved: dict[tuple[str, int], int]  # (area, year) by approval date 승인 일자
    departments: list[DepartmentKnowledge]  # the most active of ``year``


def board_figures(*, year: int, department_limit: int) -> BoardFigures:
    """The board's figures from its monthly summary (``board.models.MonthlyTally``, kept by
    the board's services): one read of the two years' cells (areas x months x departments,
    a few thousand at most, however many posts) instead of two grouped scans of the posts
    (issue 14: 64 + 59 ms at 200,000 posts)."""
    cells = MonthlyTally.objects.filter(
        month__gte=date(year - 1, 1, 1), month__lt=date(year + 1, 1, 1)
    ).values_list("area", "month", "department_id", "registered", "registered_approved",
                  "approvals")  # fmt: skip
    registered: dict[tuple[str, date], list[int]] = {}
    approved: dict[tuple[str, int], int] = {}
    by_department: dict[int, list[int]] = {}
    for area, month, department_id, n, ok, approvals in cells:
        if approvals:
            approved[area, month.year] = approved.get((area, month.year), 0) + approvals
        if not n:
            continue
        counts = registered.setdefault((area, month), [0, 0])
        counts[0] += n
        counts[1] += ok
        if month.year == year and department_id is not None:
            dept = by_department.setdefault(department_id, [0, 0])
            dept[0] += n
            dept[1] += ok
    # Every department's name (a few hundred rows at most; one query also when none posted).
    names = dict(Department.objects.order_by().values_list("pk", "name"))
    departments = sorted(
        (
            DepartmentKnowledge(names[pk], n, ok)
            for pk, (n, ok) in by_department.items()
            if pk in names  # a deleted department's cells (its posts name none now)
        ),
        key=lambda d: (-d.registered, -d.approved, d.department),
    )[:department_limit]
    return BoardFigures(
        {key: Registered(n, ok) for key, (n, ok) in registered.items()}, approved, departments
    )


# --- the scheduled jobs ----------------------------------------------------------------------


def job_actor() -> User | None:
    """The account a scheduled job acts as where a service needs one (the first active
    superuser), or None when there is none."""
    return User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()


# --- the home page's one row ------------------------------------------------------------------


@dataclass(frozen=True)
class HomeRow:
    """What the home page needs of one person besides lists, read in ONE statement
    (:func:`home_row`): this month's points against the caps, this quarter's total and rank,
    the knowledge-day months of the year, and whether the person has a committee seat or is
    a group's 총무 (so the page reads those lists only for those who have them)."""

    month: date
    year: int
    quarter: int
    comment: Decimal
    view: Decimal
    comment_cap: Decimal | None
    view_cap: Decimal | None
    total: Decimal
    approval: Decimal
    proposals: int
    rank: int | None  # None until the person has a proposal this quarter
    knowledge_months: list[int]
    has_seat: bool
    is_secretary: bool

    @property
    def eligible(self) -> bool:
        return self.proposals > 0

    @property
    def comment_capped(self) -> Decimal:
        return scoring_calc.capped(self.comment, self.comment_cap)

    @property
    def view_capped(self) -> Decimal:
        return scoring_calc.capped(self.view, self.view_cap)


def _cap_of(year: int, kind: str) -> Subquery:
    """The cap of ``kind`` in the table that applies to ``year`` (calculations.rule_year:
    the latest table year at or before it); NULL when that table has no such cap."""
    table_year = MonthlyCap.objects.filter(year__lte=year).order_by("-year").values("year")[:1]
    return Subquery(
        MonthlyCap.objects.filter(year=Subquery(table_year), kind=kind).values("cap")[:1]
    )


def home_row(*, user: User, at: datetime | None = None) -> HomeRow:
    at = at or timezone.now()
    today = timezone.localdate(at)
    month = periods.month_of(at)
    year, quarter = month.year, periods.quarter_of(month)
    this_month = UserMonth.objects.filter(user_id=user.pk, month=month)
    mine = UserQuarter.objects.filter(user_id=user.pk, year=year, quarter=quarter)
    ahead = (
        UserQuarter.objects.filter(year=year, quarter=quarter, proposals__gt=0)
        .filter(
            Q(total__gt=Subquery(mine.values("total")[:1]))
            | Q(
                total=Subquery(mine.values("total")[:1]),
                approval_points__gt=Subquery(mine.values("approval_points")[:1]),
            )
        )
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seats = CommitteeMember.objects.filter(user_id=user.pk, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            h_comment=Subquery(this_month.values("comment_points")[:1]),
            h_view=Subquery(this_month.values("view_points")[:1]),
            h_total=Subquery(mine.values("total")[:1]),
            h_approval=Subquery(mine.values("approval_points")[:1]),
            h_proposals=Subquery(mine.values("proposals")[:1]),
            h_ahead=Subquery(ahead),
            h_comment_cap=_cap_of(year, scoring_calc.COMMENT),
            h_view_cap=_cap_of(year, scoring_calc.VIEW),
            h_caps=Exists(MonthlyCap.objects.filter(year__lte=year)),
            h_knowledge=Subquery(
                PlanActivity.objects.filter(plan__year=year, code=KNOWLEDGE_DAY).values("months")[
                    :1
                ]
            ),
            h_seat=Exists(seats),
            h_secretary=Exists(
                Membership.objects.filter(
                    user_id=user.pk, end_date__isnull=True, role=Membership.Role.SECRETARY
                )
            ),
        )
        .values(
            "h_comment",
            "h_view",
            "h_total",
            "h_approval",
            "h_proposals",
            "h_ahead",
            "h_comment_cap",
            "h_view_cap",
            "h_caps",
            "h_knowledge",
            "h_seat",
            "h_secretary",
        )  # fmt: skip
        .get()
    )
    zero = scoring_calc.ZERO
    defaults = scoring_calc.DEFAULT_CAPS
    proposals = row["h_proposals"] or 0
    knowledge = row["h_knowledge"]
    if knowledge is None:
        knowledge = next((m for c, _n, m in STANDARD_ACTIVITIES if c == KNOWLEDGE_DAY), [])
    return HomeRow(
        month=month,
        year=year,
        quarter=quarter,
        comment=row["h_comment"] or zero,
        view=row["h_view"] or zero,
        comment_cap=row["h_comment_cap"] if row["h_caps"] else defaults.get(scoring_calc.COMMENT),
        view_cap=row["h_view_cap"] if row["h_caps"] else defaults.get(scoring_calc.VIEW),
        total=row["h_total"] or zero,
        approval=row["h_approval"] or zero,
        proposals=proposals,
        rank=(row["h_ahead"] or 0) + 1 if proposals > 0 else None,
        knowledge_months=sorted(knowledge),
        has_seat=row["h_seat"],
        is_secretary=row["h_secretary"],
    )
