"""Reads of the programme: the year plan as a calendar, the knowledge day figures, the actor
of the scheduled jobs."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from board import selectors as board_selectors
from board.selectors import Registered
from common import periods

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


# --- the scheduled jobs ----------------------------------------------------------------------


def job_actor() -> User | None:
    """The account a scheduled job acts as where a service needs one (the first active
    superuser), or None when there is none."""
    return User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
