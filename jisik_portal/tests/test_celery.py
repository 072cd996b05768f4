from collections.abc import Callable

import pytest

from org.models import Bureau, Department
from org.tasks import health_ping

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_a_real_worker_runs_a_task_through_redis(celery_worker_process: Callable) -> None:
    bureau = Bureau.objects.create(name="기획재정국")
    Department.objects.create(bureau=bureau, name="기획예산과")
    Department.objects.create(bureau=bureau, name="전산정보과")
    celery_worker_process()
    result = health_ping.delay()
    # The worker read the committed rows of the test database through its own connection.
    assert result.get(timeout=30) == 2
