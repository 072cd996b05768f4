"""Writes of the programme: the year plan, the knowledge day announcement, the job log."""

import logging
import traceback
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.roles import Role

from .jobs import JOBS, JobNotApplicable, JobUnavailable
from .models import JobRun, JobStatus, PlanActivity, PlanYear
from .plan_data import STANDARD_ACTIVITIES

logger = logging.getLogger(__name__)

# A run still marked running after this long died with its worker; it may be taken over.
STALE_RUN = timedelta(hours=2)


@transaction.atomic
def plan_year_ensure(*, year: int) -> tuple[PlanYear, bool]:
    """This year's plan, created when missing: a copy of the latest earlier year's activities
    (admins keep the plan as they changed it), or the standard table of SPEC §6."""
    plan, created = PlanYear.objects.get_or_create(
        year=year, defaults={"title": f"{year} 창의구정 추진계획"}
    )
    if not created:
        return plan, False
    previous = (
        PlanYear.objects.filter(year__lt=year)
        .order_by("-year")
        .prefetch_related("activities")
        .first()
    )
    if previous and previous.activities.all():
        rows = [
            PlanActivity(
                plan=plan,
                code=a.code,
                name=a.name.replace(str(previous.year), str(year)),
                months=list(a.months),
                note=a.note,
                order=a.order,
            )
            for a in previous.activities.all()
        ]
    else:
        rows = [
            PlanActivity(plan=plan, code=code, name=name.format(year=year), months=months, order=i)
            for i, (code, name, months) in enumerate(STANDARD_ACTIVITIES, start=1)
        ]
    PlanActivity.objects.bulk_create(rows)
    return plan, True


def knowledge_day_announce(*, day: date, at: datetime | None = None) -> int:
    """Tell every active staff member that this month is a 지식등록의 날 month (in the portal,
    no mail to a thousand people). Returns how many were told."""
    from notifications.services import notify_many

    staff = get_user_model().objects.filter(is_active=True, groups__name=Role.STAFF).distinct()
    try:
        url = reverse("board:area_list", args=["worksharing"])
    except NoReverseMatch:
        url = ""
    title = _("%(month)d월은 지식등록의 날입니다. 업무 지식을 지식나눔에 등록해 주세요.") % {
        "month": day.month
    }
    return notify_many(recipients=staff, verb="knowledge_day", title=title, url=url, at=at)


@dataclass(frozen=True)
class JobOutcome:
    """What happened when a job was asked to run."""

    job: str
    status: str  # done, skipped (already done or running), failed, unavailable, not_applicable
    period: str = ""
    detail: str = ""
    run: JobRun | None = None


def job_run(
    *, job: str, at: datetime | None = None, period: str | None = None, force: bool = False
) -> JobOutcome:
    """Run a scheduled job once for its period and log it in ``JobRun``.

    The job's work and the "done" mark commit together, so a crash leaves no half-logged run;
    a done period is skipped unless ``force`` (an admin re-running on purpose)."""
    spec = JOBS[job]
    at = at or timezone.now()
    day = timezone.localdate(at)
    try:
        period = period or spec.period_for(day)
    except JobNotApplicable as exc:
        return JobOutcome(job=job, status="not_applicable", detail=str(exc))

    with transaction.atomic():
        run, created = JobRun.objects.select_for_update().get_or_create(
            job=job, period=period, defaults={"status": JobStatus.RUNNING, "started_at": at}
        )
        if not created:
            live = run.status == JobStatus.RUNNING and timezone.now() - run.started_at < STALE_RUN
            if (run.status == JobStatus.DONE and not force) or live:
                return JobOutcome(job=job, status="skipped", period=period, run=run)
            run.status = JobStatus.RUNNING
            run.started_at = at
            run.attempts += 1
            run.error = ""
            run.save(update_fields=["status", "started_at", "attempts", "error"])

    try:
        with transaction.atomic():
            result = spec.run(at=at, day=day, period=period)
            run.status = JobStatus.DONE
            run.result = result
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "result", "finished_at"])
    except JobUnavailable as exc:
        # Not an error of this run: the other app's service isn't there yet. Leave no log row,
        # so the job runs for this period once the service lands.
        JobRun.objects.filter(pk=run.pk).delete()
        logger.warning("job %s unavailable: %s missing", job, exc)
        return JobOutcome(job=job, status="unavailable", period=period, detail=str(exc))
    except Exception as exc:
        logger.exception("job %s for %s failed", job, period)
        run.status = JobStatus.FAILED
        run.finished_at = timezone.now()
        run.error = "".join(traceback.format_exception(exc))[-4000:]
        run.save(update_fields=["status", "finished_at", "error"])
        return JobOutcome(job=job, status="failed", period=period, detail=str(exc), run=run)
    return JobOutcome(job=job, status="done", period=period, run=run)


@transaction.atomic
def programme_seed_ensure(*, today: date | None = None) -> None:
    """The 2016 plan, this year's plan and the 2014-2015 figures, when missing (the migration
    seeds them; the demo and tests that flush the database call this). Idempotent."""
    from .models import HistoricalFigure
    from .plan_data import BUDGET_2016_THOUSAND_WON, HISTORY, HISTORY_SOURCE

    plan_2016, _created = plan_year_ensure(year=2016)
    if plan_2016.budget_thousand_won is None:
        plan_2016.budget_thousand_won = BUDGET_2016_THOUSAND_WON
        plan_2016.save(update_fields=["budget_thousand_won"])
    plan_year_ensure(year=(today or timezone.localdate()).year)
    for year, half, metric, value in HISTORY:
        HistoricalFigure.objects.get_or_create(
            year=year, half=half, metric=metric, defaults={"value": value, "source": HISTORY_SOURCE}
        )
