"""The quarterly 창의왕 round: freeze, propose, replace, recompute, confirm."""

from datetime import datetime
from decimal import Decimal as D

import pytest

from common import periods
from common.errors import ServiceError
from contests.models import PrizePayment
from notifications.models import Notification
from org.tests.factories import portal_admin, staff_user
from scoring.models import QuarterRound, RoundEntry, RoundEvent, RoundWinner
from scoring.services import (
    round_confirm,
    round_recompute,
    round_run,
    round_winner_replace,
)
from scoring.tests.factories import record

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
KST = periods.KST
MARCH = datetime(2026, 3, 10, 12, tzinfo=KST)
AFTER_Q1 = datetime(2026, 4, 1, 2, tzinfo=KST)


def people(n: int, eligible: bool = True) -> list:
    """n people, the first with the most approval points (club approvals, 10 each)."""
    users = [staff_user() for _ in range(n)]
    for i, u in enumerate(users):
        if eligible:
            record(u, "proposal_submitted", MARCH)
        for _ in range(n - i):
            record(u, "approval", MARCH, area="club")
    return users


def test_the_round_freezes_the_ranking_and_proposes_the_top_3_eligible() -> None:
    top_ineligible = people(1, eligible=False)[0]
    for _ in range(20):
        record(top_ineligible, "approval", MARCH)
    a, b, c, d = people(4)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    assert rnd.status == QuarterRound.Status.PROPOSED
    entries = list(rnd.entries.order_by("position"))
    assert [e.user_id for e in entries] == [top_ineligible.pk, a.pk, b.pk, c.pk, d.pk]
    assert [e.rank for e in entries] == [None, 1, 2, 3, 4]
    assert entries[1].department  # department as it was, kept in the record
    winners = rnd.winners.filter(active=True).order_by("place")
    assert [(w.place, w.user_id) for w in winners] == [(1, a.pk), (2, b.pk), (3, c.pk)]
    assert rnd.events.get().action == RoundEvent.Action.COMPUTED


def test_running_the_round_twice_changes_nothing() -> None:
    people(4)
    first = round_run(year=2026, quarter=1, at=AFTER_Q1)
    counts = (RoundEntry.objects.count(), RoundWinner.objects.count(), RoundEvent.objects.count())
    second = round_run(year=2026, quarter=1, at=datetime(2026, 4, 2, tzinfo=KST))
    assert second.pk == first.pk and second.computed_at == first.computed_at
    assert (
        RoundEntry.objects.count(),
        RoundWinner.objects.count(),
        RoundEvent.objects.count(),
    ) == counts
    assert QuarterRound.objects.count() == 1


def test_later_ledger_edits_do_not_change_the_frozen_round() -> None:
    a, b = people(2)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    for _ in range(10):
        record(b, "approval", MARCH)  # a late approval dated in Q1
    entry = rnd.entries.get(user=b)
    assert entry.total == D(10) and entry.rank == 2
    assert rnd.winners.get(place=1).user == a


def test_a_recompute_is_explicit_and_logged() -> None:
    admin = portal_admin()
    a, b = people(2)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    for _ in range(10):
        record(b, "approval", MARCH)
    with pytest.raises(ServiceError):
        round_recompute(round=rnd, by=admin, reason=" ")
    round_recompute(round=rnd, by=admin, reason="늦게 승인된 글 반영")
    assert rnd.entries.get(user=b).rank == 1
    assert rnd.winners.get(place=1, active=True).user == b
    event = rnd.events.get(action=RoundEvent.Action.RECOMPUTED)
    assert event.by == admin and "늦게 승인된 글 반영" in event.note


def test_an_unfinished_quarter_cannot_be_frozen() -> None:
    with pytest.raises(ServiceError):
        round_run(year=2026, quarter=2, at=datetime(2026, 6, 30, 23, tzinfo=KST))
    assert not QuarterRound.objects.exists()


def test_an_admin_replaces_one_winner_with_a_reason_among_the_eligible() -> None:
    admin = portal_admin()
    a, b, c, d = people(4)
    outsider = people(1, eligible=False)[0]
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    second = rnd.winners.get(place=2)
    with pytest.raises(ServiceError):  # no reason
        round_winner_replace(winner=second, user=d, reason="", by=admin)
    with pytest.raises(ServiceError):  # not eligible
        round_winner_replace(winner=second, user=outsider, reason="사유", by=admin)
    with pytest.raises(ServiceError):  # already a winner
        round_winner_replace(winner=second, user=a, reason="사유", by=admin)
    new = round_winner_replace(winner=second, user=d, reason="징계 처분으로 제외", by=admin)
    assert new.place == 2 and new.user == d
    second.refresh_from_db()
    assert not second.active and second.replaced_reason == "징계 처분으로 제외"
    assert set(rnd.winners.filter(active=True).values_list("user_id", flat=True)) == {
        a.pk, c.pk, d.pk,
    }  # fmt: skip
    assert rnd.events.filter(action=RoundEvent.Action.REPLACED, by=admin).exists()


def test_confirming_notifies_the_winners_once_and_records_the_awards() -> None:
    admin = portal_admin()
    a, b, c, d = people(4)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    round_confirm(round=rnd, by=admin)
    round_confirm(round=rnd, by=admin)  # twice: nothing more
    rnd.refresh_from_db()
    assert rnd.status == QuarterRound.Status.CONFIRMED and rnd.confirmed_by == admin
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {a.pk, b.pk, c.pk}
    assert Notification.objects.count() == 3
    assert all(w.notified_at and w.prize_won == 50_000 for w in rnd.winners.all())
    assert rnd.events.filter(action=RoundEvent.Action.CONFIRMED).count() == 1
    payments = PrizePayment.objects.filter(source_type="scoring.roundwinner")
    assert sorted(payments.values_list("recipient_id", "amount_won", "year")) == sorted(
        (u.pk, 50_000, 2026) for u in (a, b, c)
    )
    assert all(w.prize_recorded_at for w in rnd.winners.all())
    with pytest.raises(ServiceError):
        round_recompute(round=rnd, by=admin, reason="재집계")
    with pytest.raises(ServiceError):
        round_winner_replace(winner=rnd.winners.get(place=1), user=d, reason="x", by=admin)


def test_a_quarter_with_fewer_than_3_eligible_proposes_fewer() -> None:
    people(1)
    people(2, eligible=False)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    assert rnd.winners.count() == 1
