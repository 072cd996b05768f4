"""common.queries.add_to_rows on scoring's roll-ups (common has no models of its own): one
statement creates the missing rows and adds to the existing ones, returns the values after
the change in the order asked, converted as the ORM's are (SQLite gives decimals as floats),
and two transactions adding to a row nobody has yet lose nothing (PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.queries import add_to_rows
from common.tests.racing import second_while_first_is_open
from scoring.models import UserMonth, UserYear

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

MONTH = date(2026, 11, 1)
RETURNING = ("view_points", "comment_points", "proposals")


def _month(user: User) -> dict[str, object]:
    return {"user_id": user.pk, "month": MONTH}


def test_creates_then_adds_in_one_statement_each() -> None:
    user = User.objects.create(username="rows")
    with CaptureQueriesContext(connection) as first:
        created = add_to_rows(
            UserMonth, [_month(user)], {"view_points": Decimal("0.1"), "proposals": 1},
            returning=RETURNING,
        )  # fmt: skip
    assert len(first.captured_queries) == 1
    assert created == [(Decimal("0.1"), Decimal(0), 1)]
    for _ in range(2):
        after = add_to_rows(
            UserMonth, [_month(user)], {"view_points": Decimal("0.1"), "proposals": 1},
            returning=RETURNING,
        )  # fmt: skip
    # 0.1 three times is 0.3 exactly (SQLite adds them as floats; the converter rounds).
    assert after == [(Decimal("0.3"), Decimal(0), 3)]
    assert isinstance(after[0][0], Decimal)
    row = UserMonth.objects.get(user=user, month=MONTH)
    assert (row.view_points, row.comment_points, row.approvals, row.proposals) == (
        Decimal("0.3"), Decimal(0), 0, 3,
    )  # fmt: skip
    assert row.department_id is None  # defaulted on insert, never assigned


def test_assign_sets_outright_and_rows_come_back_in_the_order_asked() -> None:
    user = User.objects.create(username="order")
    add_to_rows(UserYear, [{"user_id": user.pk, "year": 2026, "half": 0}], {"total": Decimal(5)})
    keys = [{"user_id": user.pk, "year": 2026, "half": h} for h in (2, 0, 1)]
    after = add_to_rows(UserYear, keys, {"total": Decimal(1)}, returning=("total",))
    assert after == [(Decimal(1),), (Decimal(6),), (Decimal(1),)]
    assert sorted(UserYear.objects.values_list("half", "total")) == [
        (0, Decimal(6)), (1, Decimal(1)), (2, Decimal(1)),
    ]  # fmt: skip
    add_to_rows(UserMonth, [_month(user)], {"approvals": 1}, assign={"department_id": None})
    assert add_to_rows(UserMonth, [_month(user)], {"approvals": -1}, returning=("approvals",)) == [
        (0,)
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_adds_lose_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and a waiting unique index: PostgreSQL")
    user = User.objects.create(username="race")
    after: list[tuple] = []
    # The second insert waits on the unique index until the first commits, then updates.
    second_while_first_is_open(
        lambda: add_to_rows(UserMonth, [_month(user)], {"proposals": 1}),
        lambda: after.extend(
            add_to_rows(UserMonth, [_month(user)], {"proposals": 5}, returning=("proposals",))
        ),
    )
    assert after == [(6,)]
    assert UserMonth.objects.get(user=user).proposals == 6
