"""The scheduled jobs: what each covers, the service it calls, and the one runner that logs it.

A job's period names what it is about ("2026-Q3" for the quarter it ranks, "2026-03" for a
knowledge day, "2026-05" for the club reports it flags), so the ``JobRun`` log holds one row
per job and period and a second run — a retried task, beat and cron both firing, an admin
re-running the command — does nothing. A period is claimed only on a day the job does its
work: outside its months a job is "not applicable" and leaves no row.

The programme sits at the top of the arrows: it calls every app's services by plain import.
Beat, cron and admins all come in through :func:`job_run` (``programme.run_job`` task,
``manage.py run_job`` and the ``job_<name>`` commands).
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs import calculations as clubs_calc
from clubs import services as clubs_services
from common import periods
from common.errors import ServiceError
from contests import services as contests_services
from proposals import selectors as proposals_selectors
from proposals import services as proposals_services
from scoring import services as scoring_services

from . import calculations as calc
from . import selectors, services
from .models import JobRun, JobStatus
from .schedule import JOB_SPECS, JobSpec

logger = logging.getLogger(__name__)

# A run still marked running after this long died with its worker; it may be taken over.
STALE_RUN = timedelta(hours=2)

Result = dict[str, Any]  # a job's JSON result, kept in JobRun.result


class JobNotApplicable(Exception):
    """The job has nothing to do on this date (e.g. a knowledge day job outside its months)."""


@dataclass(frozen=True)
class Job:
    spec: JobSpec
    period_for: Callable[[date], str]
    run: Callable[..., Result]  # run(*, at: datetime, day: date, period: str) -> Result

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label


# --- periods -----------------------------------------------------------------------------------


def in_plan_months(code: str, key: Callable[[date], str]) -> Callable[[date], str]:
    """A period function that applies only in the months the year's plan gives the activity
    (the 구민창안심사위원회 in May and November...), so a daily cron line is safe."""

    def period_for(day: date) -> str:
        if day.month not in selectors.activity_months(year=day.year, code=code):
            raise JobNotApplicable(f"{day:%Y-%m}: no {code} this month in the {day.year} plan")
        return key(day)

    return period_for


def _year_key(day: date) -> str:
    return f"{day.year}"


def _day_key(day: date) -> str:
    return day.isoformat()


def _knowledge_day_period(day: date) -> str:
    return in_plan_months(selectors.KNOWLEDGE_DAY, periods.month_key)(day)


def _knowledge_day_tally_period(day: date) -> str:
    return _knowledge_day_period(periods.previous_month(day))


def _scoring_quarter_period(day: date) -> str:
    year, quarter = periods.previous_quarter(day)
    return periods.quarter(year, quarter).key


# --- the programme's own jobs ----------------------------------------------------------------


def _plan_year(*, at: datetime, day: date, period: str) -> Result:
    plan, created = services.plan_year_ensure(year=day.year)
    return {"year": plan.year, "created": created, "activities": plan.activities.count()}


def _knowledge_day(*, at: datetime, day: date, period: str) -> Result:
    return {"notified": services.knowledge_day_announce(day=day, at=at)}


def _knowledge_day_tally(*, at: datetime, day: date, period: str) -> Result:
    month = periods.previous_month(day)
    counts = selectors.knowledge_registered(year=month.year, month=month.month)
    return {"registered": counts.registered, "approved": counts.approved}


# --- jobs whose work lives in other apps --------------------------------------------------------


def _quarter_of(period: str) -> tuple[int, int]:
    """(year, quarter) of a quarter key ("2026-Q1"), so ``--period`` picks the quarter run."""
    year, _sep, quarter = period.partition("-Q")
    return int(year), int(quarter)


def _scoring_quarter(*, at: datetime, day: date, period: str) -> Result:
    """The quarterly 창의왕 round: freeze the quarter of the period (the one just ended),
    propose the top 3."""
    year, quarter = _quarter_of(period)
    rnd = scoring_services.round_run(year=year, quarter=quarter, at=at)
    return {"round": rnd.pk, "year": year, "quarter": quarter}


def _proposals_half_year(*, at: datetime, day: date, period: str) -> Result:
    """The half-year evaluation for the 구민창안심사위원회 sitting of May or November: the
    proposals recommended since the last sitting (``calculations.half_year_collection``)."""
    start, end = calc.half_year_collection(day)
    half = _("상반기") if periods.half_of(day) == 1 else _("하반기")
    evaluation = proposals_services.evaluation_create(
        title=_("%(year)d년 %(half)s 제안 심사") % {"year": day.year, "half": half},
        period_start=start,
        period_end=end,
        actor=None,
        at=at,
    )
    return {"evaluation": evaluation.pk, "period_start": str(start), "period_end": str(end)}


def _theme_round(*, at: datetime, day: date, period: str) -> Result:
    """Open the month's 맞춤형 테마제안 round (in the plan's months) for departments' tasks."""
    month = periods.month(day.year, day.month)
    rnd = proposals_services.theme_round_create(
        title=_("%(year)d년 %(month)d월 맞춤형 테마제안") % {"year": day.year, "month": day.month},
        opens_on=month.start,
        closes_on=month.last_day,
        actor=None,
        at=at,
    )
    return {"theme_round": rnd.pk}


def _theme_evaluation(*, at: datetime, day: date, period: str) -> Result:
    """At the committee's sitting, hand every closed theme round not yet evaluated to its own
    evaluation (theme proposals are judged apart from the half-year ones)."""
    created = [
        proposals_services.evaluation_create(
            title=(_("%(title)s 심사") % {"title": rnd.title})[:100],
            period_start=rnd.opens_on,
            period_end=rnd.closes_on,
            actor=None,
            theme_round=rnd,
            at=at,
        ).pk
        for rnd in proposals_selectors.theme_rounds_to_evaluate(before=day)
    ]
    return {"evaluations": len(created)}


def _club_report_reminders(*, at: datetime, day: date, period: str) -> Result:
    """Flag monthly club reports overdue (past their due day) to group officers and admins."""
    return {"flagged": clubs_services.monthly_report_flag_missing(at=at)}


def _club_review(*, at: datetime, day: date, period: str) -> Result:
    """Open November's club performance review (a contests round, one entry per club)."""
    opener = selectors.job_actor()
    if opener is None:
        raise ServiceError(
            _("학습동아리 심사를 열 활성 최고관리자 계정이 없습니다."), code="no_superuser"
        )
    review = clubs_services.review_open(year=day.year, opened_by=opener, at=at)
    return {"review": review.pk}


def _retention(*, at: datetime, day: date, period: str) -> Result:
    """Blank residents' personal data whose retention period has ended."""
    return {"anonymized": proposals_services.personal_data_anonymize_expired(at=at)}


def _contests_open_due(*, at: datetime, day: date, period: str) -> Result:
    """Open the first stage of every round whose start date has come."""
    return {"opened": len(contests_services.rounds_open_due(at=at))}


_SPECS = {spec.name: spec for spec in JOB_SPECS}
JOBS: dict[str, Job] = {
    job.name: job
    for job in [
        Job(_SPECS["plan_year"], _year_key, _plan_year),
        Job(_SPECS["knowledge_day"], _knowledge_day_period, _knowledge_day),
        Job(_SPECS["knowledge_day_tally"], _knowledge_day_tally_period, _knowledge_day_tally),
        Job(_SPECS["scoring_quarter"], _scoring_quarter_period, _scoring_quarter),
        Job(
            _SPECS["proposals_half_year"],
            in_plan_months("review_committee", periods.half_key),
            _proposals_half_year,
        ),
        Job(
            _SPECS["theme_round"],
            in_plan_months("theme_proposals", periods.half_key),
            _theme_round,
        ),
        Job(
            _SPECS["theme_evaluation"],
            in_plan_months("review_committee", periods.half_key),
            _theme_evaluation,
        ),
        # The month whose reports it flags, not the month it runs in: a daily cron's run on
        # the 1st must not mark a month done before the reports are even due.
        Job(
            _SPECS["club_report_reminders"],
            clubs_calc.report_reminder_period,
            _club_report_reminders,
        ),
        Job(_SPECS["club_review"], in_plan_months("club_review", _year_key), _club_review),
        Job(_SPECS["retention"], _day_key, _retention),
        Job(_SPECS["contests_open_due"], _day_key, _contests_open_due),
    ]
}
assert set(JOBS) == set(_SPECS), "every scheduled job needs its runner"  # noqa: S101


# --- the runner ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobOutcome:
    """What happened when a job was asked to run."""

    job: str
    status: str  # done, skipped (already done or running), failed, not_applicable
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
    except Exception as exc:
        logger.exception("job %s for %s failed", job, period)
        run.status = JobStatus.FAILED
        run.finished_at = timezone.now()
        run.error = "".join(traceback.format_exception(exc))[-4000:]
        run.save(update_fields=["status", "finished_at", "error"])
        return JobOutcome(job=job, status="failed", period=period, detail=str(exc), run=run)
    return JobOutcome(job=job, status="done", period=period, run=run)
