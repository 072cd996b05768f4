"""The quarterly round on a real Celery worker over the real Redis broker."""

from datetime import datetime

import pytest

from common import periods
from org.tests.factories import staff_user
from scoring.models import QuarterRound, RoundEntry
from scoring.tests.factories import record

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_worker_runs_the_quarterly_round_once(celery_worker_process: object) -> None:
    at = datetime(2026, 2, 10, 10, tzinfo=periods.KST)
    users = [staff_user() for _ in range(4)]
    for i, u in enumerate(users):
        record(u, "proposal_submitted", at)
        for _ in range(i + 1):
            record(u, "approval", at, area="club")
    app = celery_worker_process()
    # The one entry point of scheduled work (issue 11 #6): the scoring_quarter job on 1 April.
    job = {"job": "scoring_quarter", "at": datetime(2026, 4, 1, 2, tzinfo=periods.KST).isoformat()}
    result = app.send_task("programme.run_job", kwargs=job)
    assert result.get(timeout=180)["period"] == "2026-Q1"
    round_id = QuarterRound.objects.get(year=2026, quarter=1).pk
    again = app.send_task("programme.run_job", kwargs=job)
    again.get(timeout=180)
    assert QuarterRound.objects.get(year=2026, quarter=1).pk == round_id
    rnd = QuarterRound.objects.get(pk=round_id)
    assert QuarterRound.objects.count() == 1 and RoundEntry.objects.count() == 4
    assert [w.user_id for w in rnd.winners.order_by("place")] == [u.pk for u in users[::-1][:3]]
