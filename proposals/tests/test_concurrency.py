"""Receipt numbers stay unique and gapless when residents submit at the same moment."""

import threading

import pytest
from django.db import connection

from proposals.models import Proposal

from .factories import resident_proposal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_submissions_get_distinct_consecutive_receipts() -> None:
    resident_proposal()  # the counter row exists; the race is on the increment
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            barrier.wait()
            resident_proposal(title=f"동시 제안 {i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(n[-5:]) for n in Proposal.objects.values_list("receipt_number", flat=True))
    assert numbers == list(range(1, 10))
