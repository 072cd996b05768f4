"""Reads of the programme: the year plan as a calendar, the knowledge day figures, the log."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from . import calculations as calc
from .models import JobRun, PlanActivity, PlanYear
from .plan_data import STANDARD_ACTIVITIES

KNOWLEDGE_DAY = "knowledge_day"


def optional_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """Another app's model, or None while that app hasn't built it: the programme reads the
    apps it summarises without depending on their progress."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def has_fields(model: type[models.Model] | None, *names: str) -> bool:
    if model is None:
        return False
    fields = {f.name for f in model._meta.get_fields()}
    return all(name.split("__")[0] in fields for name in names)


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) of local (Asia/Seoul) days as aware datetimes."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime(start.year, start.month, start.day, tzinfo=tz),
        datetime(end.year, end.month, end.day, tzinfo=tz),
    )


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return local_range(date(year, month, 1), nxt)


def year_range(year: int) -> tuple[datetime, datetime]:
    return local_range(date(year, 1, 1), date(year + 1, 1, 1))


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
        CalendarRow(a, [m in a.months for m in calc.MONTHS], calc.months_label(a.months))
        for a in activities
    ]
    columns = [
        MonthColumn(
            m,
            [a for a in activities if m in a.months],
            is_current=(plan.year == today.year and m == today.month),
        )
        for m in calc.MONTHS
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


def knowledge_registered(*, year: int, month: int) -> dict[str, int]:
    """Knowledge registered on the board in a month: posts submitted (any area, drafts don't
    count) and how many of them are approved so far."""
    post = optional_model("board", "Post")
    if not has_fields(post, "submitted_at", "status"):
        return {"registered": 0, "approved": 0}
    start, end = month_range(year, month)
    counts = (
        post.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status="draft")
        .aggregate(
            registered=models.Count("id"),
            approved=models.Count("id", filter=models.Q(status="approved")),
        )
    )
    return {"registered": counts["registered"] or 0, "approved": counts["approved"] or 0}


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
    return KnowledgeDay(today.year, today.month, counts["registered"], counts["approved"])


# --- the job log -----------------------------------------------------------------------------


def recent_job_runs(*, limit: int = 50) -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-started_at", "-id")[:limit]
