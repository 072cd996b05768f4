"""What each scheduled job does: the period it covers and the service it calls.

A job's period names what it is about ("2026-Q3" for the quarter it ranks, "2026-03" for a
knowledge day), so the ``JobRun`` log holds one row per job and period and a second run —
a retried task, beat and cron both firing, an admin re-running the command — does nothing.

Jobs of other apps call their service when that app provides it; until then the job reports
itself unavailable and nothing is logged, so it runs once the service lands.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module

from . import calculations as calc
from .schedule import JOB_SPECS, JobSpec
from .selectors import optional_model


class JobUnavailable(Exception):
    """The app that does this job's work doesn't provide its service (yet)."""


class JobNotApplicable(Exception):
    """The job has nothing to do on this date (e.g. a knowledge day job outside its months)."""


Runner = Callable[..., dict]


@dataclass(frozen=True)
class Job:
    spec: JobSpec
    period_for: Callable[[date], str]
    run: Runner  # run(*, at: datetime, day: date, period: str) -> dict (JSON) result

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label


def provider(dotted: str) -> Callable[..., object]:
    """The named function of another app, or JobUnavailable."""
    module_name, _, attr = dotted.rpartition(".")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise JobUnavailable(dotted) from exc
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise JobUnavailable(dotted)
    return fn


# --- the programme's own jobs ----------------------------------------------------------------


def _plan_year(*, at: datetime, day: date, period: str) -> dict:
    from .services import plan_year_ensure

    plan, created = plan_year_ensure(year=day.year)
    return {"year": plan.year, "created": created, "activities": plan.activities.count()}


def in_plan_months(code: str, key: Callable[[date], str]) -> Callable[[date], str]:
    """A period function that applies only in the months the year's plan gives the activity
    (the 구민창안심사위원회 in May and November...), so a daily cron line is safe."""

    def period_for(day: date) -> str:
        from .selectors import activity_months

        if day.month not in activity_months(year=day.year, code=code):
            raise JobNotApplicable(f"{day:%Y-%m}: no {code} this month in the {day.year} plan")
        return key(day)

    return period_for


def _knowledge_day_period(day: date) -> str:
    return in_plan_months("knowledge_day", calc.month_key)(day)


def _knowledge_day(*, at: datetime, day: date, period: str) -> dict:
    from .services import knowledge_day_announce

    return {"notified": knowledge_day_announce(day=day, at=at)}


def _knowledge_day_tally_period(day: date) -> str:
    return _knowledge_day_period(calc.previous_month(day))


def _knowledge_day_tally(*, at: datetime, day: date, period: str) -> dict:
    from .selectors import knowledge_registered

    month = calc.previous_month(day)
    return knowledge_registered(year=month.year, month=month.month)


# --- jobs whose work lives in other apps --------------------------------------------------------


def _scoring_quarter_period(day: date) -> str:
    year, quarter = calc.previous_quarter(day)
    return f"{year}-Q{quarter}"


def _scoring_quarter(*, at: datetime, day: date, period: str) -> dict:
    """The quarterly 창의왕 round: freeze the quarter just ended, propose the top 3."""
    year, quarter = calc.previous_quarter(day)
    rnd = provider("scoring.services.quarter_round_run")(year=year, quarter=quarter, at=at)
    return {"round": getattr(rnd, "pk", None), "year": year, "quarter": quarter}


def _proposals_half_year(*, at: datetime, day: date, period: str) -> dict:
    """The half-year evaluation for the 구민창안심사위원회 sitting of May or November: the
    proposals recommended since the last sitting (Nov 1 – Apr 30, May 1 – Oct 31)."""
    start, end = calc.half_year_collection(day)
    half = "상반기" if calc.half_of(day.month) == 1 else "하반기"
    evaluation = provider("proposals.services.evaluation_create")(
        title=f"{day.year}년 {half} 제안 심사",
        period_start=start,
        period_end=end,
        actor=None,
        at=at,
    )
    return {"evaluation": evaluation.pk, "period_start": str(start), "period_end": str(end)}


def _theme_round(*, at: datetime, day: date, period: str) -> dict:
    """Open the month's 맞춤형 테마제안 round (April, October) for departments' tasks."""
    opens, closes = calc.month_span(day)
    rnd = provider("proposals.services.theme_round_create")(
        title=f"{day.year}년 {day.month}월 맞춤형 테마제안",
        opens_on=opens,
        closes_on=closes,
        actor=None,
        at=at,
    )
    return {"theme_round": rnd.pk}


def _theme_evaluation(*, at: datetime, day: date, period: str) -> dict:
    """At the committee's sitting, hand every closed theme round not yet evaluated to its own
    evaluation (theme proposals are judged apart from the half-year ones)."""
    theme_round = optional_model("proposals", "ThemeRound")
    create = provider("proposals.services.evaluation_create")
    if theme_round is None:
        raise JobUnavailable("proposals.ThemeRound")
    rounds = theme_round.objects.filter(closes_on__lt=day, evaluation__isnull=True).order_by(
        "opens_on", "pk"
    )
    created = [
        create(
            title=f"{rnd.title} 심사"[:100],
            period_start=rnd.opens_on,
            period_end=rnd.closes_on,
            actor=None,
            theme_round=rnd,
            at=at,
        ).pk
        for rnd in rounds
    ]
    return {"evaluations": len(created)}


def _club_report_reminders(*, at: datetime, day: date, period: str) -> dict:
    """Flag monthly club reports overdue (past the 5th) to group officers and admins."""
    return {"flagged": provider("clubs.services.missing_reports_flag")(at=at)}


def _club_review(*, at: datetime, day: date, period: str) -> dict:
    """Open November's club performance review (a contests round, one entry per club)."""
    from django.contrib.auth import get_user_model

    opener = (
        get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    )
    if opener is None:
        raise RuntimeError("no active superuser to open the club review as")
    review = provider("clubs.services.review_open")(year=day.year, opened_by=opener, at=at)
    return {"review": review.pk}


def _retention(*, at: datetime, day: date, period: str) -> dict:
    """Blank residents' personal data whose retention period has ended."""
    return {"anonymized": provider("proposals.services.personal_data_anonymize_expired")(at=at)}


def _contests_open_due(*, at: datetime, day: date, period: str) -> dict:
    """Open the first stage of every round whose start date has come."""
    return {"opened": len(provider("contests.services.rounds_open_due")(at=at))}


_SPECS = {spec.name: spec for spec in JOB_SPECS}
JOBS: dict[str, Job] = {
    job.name: job
    for job in [
        Job(_SPECS["plan_year"], lambda d: f"{d.year}", _plan_year),
        Job(_SPECS["knowledge_day"], _knowledge_day_period, _knowledge_day),
        Job(_SPECS["knowledge_day_tally"], _knowledge_day_tally_period, _knowledge_day_tally),
        Job(_SPECS["scoring_quarter"], _scoring_quarter_period, _scoring_quarter),
        Job(
            _SPECS["proposals_half_year"],
            in_plan_months("review_committee", calc.half_key),
            _proposals_half_year,
        ),
        Job(_SPECS["theme_round"], in_plan_months("theme_proposals", calc.half_key), _theme_round),
        Job(
            _SPECS["theme_evaluation"],
            in_plan_months("review_committee", calc.half_key),
            _theme_evaluation,
        ),
        Job(_SPECS["club_report_reminders"], calc.month_key, _club_report_reminders),
        Job(
            _SPECS["club_review"],
            in_plan_months("club_review", lambda d: f"{d.year}"),
            _club_review,
        ),
        Job(_SPECS["retention"], lambda d: d.isoformat(), _retention),
        Job(_SPECS["contests_open_due"], lambda d: d.isoformat(), _contests_open_due),
    ]
}
assert set(JOBS) == set(_SPECS), "every scheduled job needs its runner"  # noqa: S101
