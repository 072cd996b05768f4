"""The missing-report flag runs on a real Celery worker, against the committed test data."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from clubs import calculations as calc
from clubs.models import MissingReportFlag

from .factories import ClubFactory, group_with_members

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_a_worker_flags_missing_reports_once(celery_worker_process: Callable) -> None:
    from clubs.tasks import flag_missing_reports_task

    today = timezone.localdate()
    group, *_ = group_with_members(club=ClubFactory(year=today.year), members=0)
    expected = len(
        calc.overdue_months(
            today.year, filed=set(), today=today, since=calc.club_period(today.year)[0]
        )
    )
    celery_worker_process()
    assert flag_missing_reports_task.delay().get(timeout=60) == expected
    assert flag_missing_reports_task.delay().get(timeout=60) == 0
    assert MissingReportFlag.objects.filter(group=group).count() == expected
