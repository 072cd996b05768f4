"""Scheduled jobs on a real Celery worker through the one task, ``programme.run_job``,
against committed test data (the per-app tasks these replace were tested the same way)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from clubs import calculations as clubs_calc
from clubs.models import MissingReportFlag
from clubs.tests.factories import ClubFactory, group_with_members
from programme.models import JobRun
from programme.tasks import run_job
from proposals.models import Proposal
from proposals.tests.factories import resident_proposal

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_a_worker_flags_missing_reports_once(celery_worker_process: Callable) -> None:
    today = timezone.localdate()
    group, *_ = group_with_members(club=ClubFactory(year=today.year), members=0)
    expected = len(
        clubs_calc.overdue_months(
            today.year, filed=set(), today=today, since=clubs_calc.club_period(today.year)[0]
        )
    )
    celery_worker_process()
    assert run_job.delay("club_report_reminders").get(timeout=60)["status"] == "done"
    assert run_job.delay("club_report_reminders").get(timeout=60)["status"] == "skipped"
    assert JobRun.objects.get(job="club_report_reminders").result == {"flagged": expected}
    assert MissingReportFlag.objects.filter(group=group).count() == expected


def test_a_worker_anonymizes_expired_personal_data_once(celery_worker_process: Callable) -> None:
    old = resident_proposal(
        proposer_name="김민수", at=timezone.now() - timedelta(days=365 * 3 + 10)
    )
    kept = resident_proposal(proposer_name="이영희")
    celery_worker_process()
    assert run_job.delay("retention").get(timeout=60)["status"] == "done"
    assert run_job.delay("retention").get(timeout=60)["status"] == "skipped"
    assert JobRun.objects.get(job="retention").result == {"anonymized": 1}
    old.refresh_from_db()
    assert (old.proposer_name, old.phone) == ("(익명 처리)", "")
    assert Proposal.objects.get(pk=kept.pk).proposer_name == "이영희"
