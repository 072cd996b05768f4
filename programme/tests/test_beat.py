"""A real Celery worker with beat on Redis runs a scheduled job (the production path)."""

import time
from collections.abc import Callable

import pytest
from django.utils import timezone

from programme.models import JobRun, JobStatus

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_beat_fires_a_scheduled_job_that_a_real_worker_runs_once(
    celery_worker_process: Callable,
) -> None:
    year = str(timezone.localdate().year)
    # The real schedule, with the crontab replaced by a two-second interval for this test.
    celery_worker_process(
        beat=True,
        env={"PROGRAMME_BEAT_EVERY_SECONDS": "2", "PROGRAMME_BEAT_ONLY": "plan_year"},
    )
    deadline = time.monotonic() + 60
    run = None
    while time.monotonic() < deadline:
        run = JobRun.objects.filter(job="plan_year", period=year).first()
        if run and run.status == JobStatus.DONE:
            break
        time.sleep(0.5)
    assert run is not None, "beat did not run the scheduled job within 60 s"
    assert run.status == JobStatus.DONE
    assert run.result["year"] == int(year)
    # Beat keeps firing every two seconds; the log keeps one row for the period.
    time.sleep(5)
    assert JobRun.objects.filter(job="plan_year").count() == 1
    run.refresh_from_db()
    assert run.attempts == 1
