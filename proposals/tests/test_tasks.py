"""Retention anonymization on a real Celery worker, against committed test data."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from proposals.models import Proposal

from .factories import resident_proposal

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_a_worker_anonymizes_expired_personal_data_once(celery_worker_process: Callable) -> None:
    from proposals.tasks import anonymize_expired_personal_data

    old = resident_proposal(
        proposer_name="김민수", at=timezone.now() - timedelta(days=365 * 3 + 10)
    )
    kept = resident_proposal(proposer_name="이영희")
    celery_worker_process()
    assert anonymize_expired_personal_data.delay().get(timeout=60) == 1
    assert anonymize_expired_personal_data.delay().get(timeout=60) == 0
    old.refresh_from_db()
    assert (old.proposer_name, old.phone) == ("(익명 처리)", "")
    assert Proposal.objects.get(pk=kept.pk).proposer_name == "이영희"
