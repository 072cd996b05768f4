"""common.queries.add_to_counter_row on proposals' monthly tally (common has no models of its own):
created on first use, incremented after, and two transactions that both find the row missing
end with both counts in it (PostgreSQL: the second create waits on the unique index until the
first commits, then adds by update)."""

from datetime import date

import pytest
from django.db import connection

from common.queries import add_to_counter_row
from common.tests.racing import second_while_first_is_open
from proposals.models import MonthlyTally

KEY = {"month": date(2026, 11, 1), "kind": "staff", "channel": "portal", "grade": ""}


def _cell():
    return MonthlyTally.objects.filter(**KEY)


@pytest.mark.django_db
def test_creates_then_increments():
    add_to_counter_row(_cell(), KEY, {"n": 1})
    assert _cell().get().n == 1
    add_to_counter_row(_cell(), KEY, {"n": 2})
    add_to_counter_row(_cell(), KEY, {"n": -1})
    assert _cell().get().n == 2
    assert MonthlyTally.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_adds_lose_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and a waiting unique index: PostgreSQL")
    # The second transaction's update sees no row (not committed); its create waits on the
    # unique index until the first commits, then fails and updates.
    second_while_first_is_open(
        lambda: add_to_counter_row(_cell(), KEY, {"n": 1}),
        lambda: add_to_counter_row(_cell(), KEY, {"n": 5}),
    )
    assert _cell().get().n == 6
    assert MonthlyTally.objects.count() == 1
