from datetime import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Notification
from org.roles import Role
from org.tests.factories import staff_user
from programme import jobs
from programme.jobs import job_run
from programme.models import JobRun, JobStatus, PlanYear
from programme.schedule import JOB_NAMES, beat_schedule
from programme.tasks import run_job

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.mark.smoke
def test_a_job_runs_once_per_period() -> None:
    first = job_run(job="plan_year", at=seoul(2027, 1, 1, 0, 10))
    assert first.status == "done" and first.period == "2027"
    assert first.run.result == {"year": 2027, "created": True, "activities": 11}
    again = job_run(job="plan_year", at=seoul(2027, 1, 1, 0, 11))
    assert again.status == "skipped"
    assert JobRun.objects.filter(job="plan_year").count() == 1
    assert PlanYear.objects.filter(year=2027).count() == 1


def test_force_runs_a_done_period_again_in_the_same_log_row() -> None:
    job_run(job="plan_year", at=seoul(2027, 1, 1))
    forced = job_run(job="plan_year", at=seoul(2027, 1, 2), force=True)
    assert forced.status == "done"
    run = JobRun.objects.get(job="plan_year", period="2027")
    assert run.attempts == 2 and run.result["created"] is False


def test_the_knowledge_day_job_tells_staff_once_and_only_in_its_months() -> None:
    a, b = staff_user(), staff_user()
    staff_user(is_active=False)
    outside = job_run(job="knowledge_day", at=seoul(2026, 4, 1, 8))
    assert outside.status == "not_applicable"
    assert not JobRun.objects.exists()
    done = job_run(job="knowledge_day", at=seoul(2026, 3, 1, 8))
    assert done.status == "done" and done.period == "2026-03"
    assert done.run.result == {"notified": 2}
    job_run(job="knowledge_day", at=seoul(2026, 3, 1, 9))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {a.pk, b.pk}
    assert Notification.objects.filter(verb="programme.knowledge_day").count() == 2
    assert "3월은 지식등록의 날" in Notification.objects.first().title


def test_only_staff_are_told() -> None:
    staff_user(roles=[Role.WORKING_PANEL])  # a panel member without the staff role
    assert job_run(job="knowledge_day", at=seoul(2026, 6, 1)).run.result == {"notified": 0}


def test_the_tally_counts_the_knowledge_day_month_just_ended() -> None:
    outcome = job_run(job="knowledge_day_tally", at=seoul(2026, 4, 1, 0, 30))
    assert outcome.status == "done" and outcome.period == "2026-03"
    assert set(outcome.run.result) == {"registered", "approved"}
    assert job_run(job="knowledge_day_tally", at=seoul(2026, 5, 1)).status == "not_applicable"


def test_a_failing_job_is_logged_and_runs_again_next_time() -> None:
    with mock.patch("programme.services.plan_year_ensure", side_effect=RuntimeError("boom")):
        failed = job_run(job="plan_year", at=seoul(2028, 1, 1))
    assert failed.status == "failed"
    run = JobRun.objects.get(job="plan_year", period="2028")
    assert run.status == JobStatus.FAILED and "boom" in run.error
    # The failed run's work rolled back; the next run does it and is logged in the same row.
    assert not PlanYear.objects.filter(year=2028).exists()
    assert job_run(job="plan_year", at=seoul(2028, 1, 1)).status == "done"
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and run.attempts == 2 and run.error == ""


@pytest.mark.parametrize(
    ("job", "at", "period"),
    [
        ("scoring_quarter", seoul(2026, 1, 1, 2), "2025-Q4"),
        ("scoring_quarter", seoul(2026, 10, 1, 2), "2026-Q3"),
        ("proposals_half_year", seoul(2026, 5, 1), "2026-H1"),
        ("proposals_half_year", seoul(2026, 11, 1), "2026-H2"),
        ("theme_round", seoul(2026, 10, 1), "2026-H2"),
        # The month whose reports it flags (due on the 5th of the next month).
        ("club_report_reminders", seoul(2026, 2, 25), "2026-01"),
        ("club_report_reminders", seoul(2026, 6, 1), "2026-04"),
        ("club_report_reminders", seoul(2026, 6, 6), "2026-05"),
        ("club_review", seoul(2026, 11, 1), "2026"),
        ("retention", seoul(2026, 11, 27, 3, 30), "2026-11-27"),
    ],
)
def test_each_job_covers_its_period(job: str, at: datetime, period: str) -> None:
    assert jobs.JOBS[job].period_for(at.date()) == period


def test_every_job_is_on_the_beat_schedule_through_one_task() -> None:
    schedule = beat_schedule()
    assert sorted(e["args"][0] for e in schedule.values()) == sorted(JOB_NAMES)
    assert {e["task"] for e in schedule.values()} == {"programme.run_job"}
    crontab = schedule["programme.knowledge_day"]["schedule"]
    assert crontab.month_of_year == {3, 6, 9} and crontab.day_of_month == {1}
    assert schedule["programme.club_report_reminders"]["schedule"].day_of_month == {6}
    fast = beat_schedule(every_seconds=3, only=["plan_year"])
    assert list(fast) == ["programme.plan_year"]
    assert fast["programme.plan_year"]["schedule"].total_seconds() == 3


def test_the_task_runs_the_job_in_process_without_a_broker() -> None:
    result = run_job.delay("plan_year", seoul(2029, 1, 1).isoformat()).get()
    assert result == {"job": "plan_year", "period": "2029", "status": "done"}


def test_each_job_has_a_management_command() -> None:
    out = StringIO()
    call_command("job_plan_year", "--date", "2030-01-01", stdout=out)
    assert "plan_year 2030: done" in out.getvalue()
    call_command("job_plan_year", "--date", "2030-01-01", stdout=out)
    assert "plan_year 2030: skipped" in out.getvalue()
    out = StringIO()
    call_command("run_job", "--list", stdout=out)
    for name in JOB_NAMES:
        assert name in out.getvalue()
    with pytest.raises(CommandError):
        call_command("job_knowledge_day", "--date", "2026-13-01")


@pytest.mark.parametrize("name", JOB_NAMES)
def test_the_command_of_each_job_runs_that_job(name: str) -> None:
    from django.core.management import load_command_class

    assert load_command_class("programme", f"job_{name}").job == name


# --- the jobs wired to the other apps' services (each runs once per period) ---------------------


def test_the_quarterly_round_freezes_the_quarter_just_ended() -> None:
    from scoring.models import QuarterRound

    outcome = job_run(job="scoring_quarter", at=seoul(2026, 10, 1, 2))
    assert outcome.status == "done", outcome.detail
    assert outcome.run.result["year"] == 2026 and outcome.run.result["quarter"] == 3
    assert QuarterRound.objects.filter(year=2026, quarter=3).count() == 1
    assert job_run(job="scoring_quarter", at=seoul(2026, 10, 1, 3)).status == "skipped"


def test_the_theme_round_opens_for_the_month() -> None:
    from proposals.models import ThemeRound

    outcome = job_run(job="theme_round", at=seoul(2026, 4, 1, 7))
    assert outcome.status == "done", outcome.detail
    rnd = ThemeRound.objects.get()
    assert rnd.title == "2026년 4월 맞춤형 테마제안"
    assert (rnd.opens_on.isoformat(), rnd.closes_on.isoformat()) == ("2026-04-01", "2026-04-30")
    assert job_run(job="theme_round", at=seoul(2026, 4, 2)).status == "skipped"
    assert ThemeRound.objects.count() == 1


def test_the_half_year_evaluation_takes_the_proposals_since_the_last_sitting() -> None:
    from proposals.models import Evaluation

    outcome = job_run(job="proposals_half_year", at=seoul(2026, 11, 1, 7))
    assert outcome.status == "done", outcome.detail
    evaluation = Evaluation.objects.get()
    assert evaluation.title == "2026년 하반기 제안 심사"
    assert (str(evaluation.period_start), str(evaluation.period_end)) == (
        "2026-05-01",
        "2026-10-31",
    )
    assert job_run(job="proposals_half_year", at=seoul(2026, 11, 2)).status == "skipped"


def test_retention_and_report_reminders_run_once_a_period() -> None:
    first = job_run(job="retention", at=seoul(2026, 11, 27, 3, 30))
    assert first.status == "done" and first.run.result == {"anonymized": 0}
    assert job_run(job="retention", at=seoul(2026, 11, 27, 4)).status == "skipped"
    assert job_run(job="retention", at=seoul(2026, 11, 28, 3, 30)).status == "done"
    reminders = job_run(job="club_report_reminders", at=seoul(2026, 6, 6, 9))
    assert reminders.status == "done" and reminders.run.result == {"flagged": 0}


def test_the_club_review_without_clubs_is_logged_as_failed() -> None:
    from org.tests.factories import UserFactory

    UserFactory(is_superuser=True)
    outcome = job_run(job="club_review", at=seoul(2026, 11, 1, 7))
    assert outcome.status == "failed"
    assert "학습동아리가 없습니다" in JobRun.objects.get(job="club_review").error


@pytest.mark.parametrize(
    ("job", "at"),
    [
        ("proposals_half_year", seoul(2026, 1, 1)),
        ("theme_round", seoul(2026, 5, 1)),
        ("club_review", seoul(2026, 10, 1)),
    ],
)
def test_a_job_of_certain_months_does_nothing_in_others(job: str, at: datetime) -> None:
    assert job_run(job=job, at=at).status == "not_applicable"
    assert not JobRun.objects.exists()


def test_the_months_follow_the_plan_an_admin_changed() -> None:
    from programme.models import PlanActivity

    PlanActivity.objects.filter(plan__year=2026, code="theme_proposals").update(months=[3, 9])
    assert job_run(job="theme_round", at=seoul(2026, 4, 1)).status == "not_applicable"
    assert job_run(job="theme_round", at=seoul(2026, 3, 1)).status == "done"


def test_closed_theme_rounds_go_to_their_own_evaluation_at_the_sitting() -> None:
    from proposals.models import Evaluation

    job_run(job="theme_round", at=seoul(2026, 4, 1, 7))
    assert job_run(job="theme_evaluation", at=seoul(2026, 4, 20)).status == "not_applicable"
    outcome = job_run(job="theme_evaluation", at=seoul(2026, 5, 1, 7, 30))
    assert outcome.status == "done" and outcome.run.result == {"evaluations": 1}
    evaluation = Evaluation.objects.get()
    assert evaluation.title == "2026년 4월 맞춤형 테마제안 심사"
    assert evaluation.theme_round.title == "2026년 4월 맞춤형 테마제안"
    assert job_run(job="theme_evaluation", at=seoul(2026, 5, 2)).status == "skipped"
    # A forced re-run finds no round left to evaluate.
    forced = job_run(job="theme_evaluation", at=seoul(2026, 5, 2), force=True)
    assert forced.run.result == {"evaluations": 0} and Evaluation.objects.count() == 1


def test_the_contests_job_opens_due_rounds_once_a_day() -> None:
    outcome = job_run(job="contests_open_due", at=seoul(2026, 5, 2, 6))
    assert outcome.status == "done", outcome.detail
    assert outcome.run.result == {"opened": 0}
    assert job_run(job="contests_open_due", at=seoul(2026, 5, 2, 7)).status == "skipped"
    assert job_run(job="contests_open_due", at=seoul(2026, 5, 3, 6)).status == "done"


def test_a_daily_reminder_run_on_the_1st_leaves_the_6th_its_month() -> None:
    """Issue 12 #14: with cron firing every day, the 1st must not mark the month done."""
    from clubs.models import MissingReportFlag
    from clubs.tests.factories import ClubFactory, group_with_members

    group, *_ = group_with_members(club=ClubFactory(year=2026), members=0)
    first = job_run(job="club_report_reminders", at=seoul(2026, 6, 1, 9))
    assert first.status == "done" and first.period == "2026-04"
    flagged_by_the_1st = set(MissingReportFlag.objects.values_list("month", flat=True))
    assert max(flagged_by_the_1st).month == 4  # May's report is not due yet
    for day in (2, 3, 4, 5):
        assert job_run(job="club_report_reminders", at=seoul(2026, 6, day, 9)).status == "skipped"
    sixth = job_run(job="club_report_reminders", at=seoul(2026, 6, 6, 9))
    assert sixth.status == "done" and sixth.period == "2026-05"
    assert sixth.run.result == {"flagged": 1}
    assert MissingReportFlag.objects.filter(group=group, month__month=5).count() == 1
    assert job_run(job="club_report_reminders", at=seoul(2026, 6, 7, 9)).status == "skipped"


# --- one entry point per job: what the per-app twins (tasks, commands) were tested for -----------


def test_the_reminder_command_flags_missing_reports_for_a_given_date() -> None:
    from clubs.models import MissingReportFlag
    from clubs.tests.factories import group_with_members

    group, _, _secretary, _ = group_with_members(members=0)
    out = StringIO()
    call_command("job_club_report_reminders", "--date", "2026-04-06", stdout=out)
    assert "{'flagged': 2}" in out.getvalue()  # February and March
    out = StringIO()
    call_command("job_club_report_reminders", "--date", "2026-04-06", stdout=out)
    assert "skipped" in out.getvalue()
    forced = job_run(job="club_report_reminders", at=seoul(2026, 4, 6, 9), force=True)
    assert forced.run.result == {"flagged": 0}
    assert MissingReportFlag.objects.filter(group=group).count() == 2


def test_the_task_runs_the_reminders_for_today() -> None:
    from datetime import date

    from django.utils import timezone

    from clubs import calculations as clubs_calc
    from clubs.models import MissingReportFlag
    from clubs.tests.factories import ClubFactory, group_with_members

    today = timezone.localdate()
    group_with_members(club=ClubFactory(year=today.year), members=0)
    # No `at`: today decides; every month of this year's club past its due date is owed.
    result = run_job.apply(args=["club_report_reminders"]).get()
    assert result["status"] == "done"
    expected = clubs_calc.overdue_months(
        today.year, filed=set(), today=today, since=date(today.year, 2, 1)
    )
    run = JobRun.objects.get(job="club_report_reminders")
    assert run.result == {"flagged": len(expected)}
    assert MissingReportFlag.objects.count() == len(expected)


def test_the_task_and_the_command_run_the_same_quarter_round() -> None:
    from scoring.models import QuarterRound
    from scoring.tests.test_rounds import people

    people(3)
    result = run_job.delay("scoring_quarter", seoul(2026, 4, 1, 2).isoformat()).get()
    assert result == {"job": "scoring_quarter", "period": "2026-Q1", "status": "done"}
    round_id = JobRun.objects.get(job="scoring_quarter").result["round"]
    assert QuarterRound.objects.get(pk=round_id).winners.count() == 3
    out = StringIO()
    call_command("job_scoring_quarter", "--period", "2026-Q1", "--force", stdout=out)
    assert "scoring_quarter 2026-Q1: done" in out.getvalue()
    assert QuarterRound.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("job_scoring_quarter", "--date", "2026")


def test_a_given_period_picks_the_quarter_the_round_is_for() -> None:
    from scoring.models import QuarterRound

    outcome = job_run(job="scoring_quarter", at=seoul(2026, 10, 1, 2), period="2026-Q1")
    assert outcome.status == "done" and outcome.run.result["quarter"] == 1
    assert QuarterRound.objects.filter(year=2026, quarter=1).count() == 1


def test_the_retention_task_and_command_anonymize_once() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from proposals.models import Proposal
    from proposals.tests.factories import resident_proposal

    resident_proposal(at=timezone.now() - timedelta(days=365 * 4))
    assert run_job.delay("retention").get()["status"] == "done"
    assert JobRun.objects.get(job="retention").result == {"anonymized": 1}
    out = StringIO()
    call_command("job_retention", "--force", stdout=out)
    assert "{'anonymized': 0}" in out.getvalue()
    assert Proposal.objects.filter(anonymized_at__isnull=False).count() == 1
