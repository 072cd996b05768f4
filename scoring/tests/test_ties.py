"""A tie at the last prize place of the 창의왕 round is the office's decision."""

from datetime import datetime

import pytest

from common import periods
from common.errors import ServiceError
from contests.models import PrizePayment
from notifications.models import Notification
from org.tests.factories import portal_admin, staff_user
from scoring.models import QuarterRound, RoundEvent
from scoring.services import (
    round_confirm,
    round_recompute,
    round_run,
    round_tie_settle,
)
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db
KST = periods.KST
MARCH = datetime(2026, 3, 10, 12, tzinfo=KST)
AFTER_Q1 = datetime(2026, 4, 1, 2, tzinfo=KST)


def tie_at_third() -> tuple[list, list]:
    """Two clear leaders (30 and 20 club approval points) and two people tied at 10."""
    leaders = [staff_user(), staff_user()]
    tied = [staff_user(), staff_user()]
    for user, approvals in zip(leaders + tied, (3, 2, 1, 1), strict=True):
        record(user, "proposal_submitted", MARCH)
        for _ in range(approvals):
            record(user, "approval", MARCH, area="club")
    return leaders, tied


def test_a_tie_at_3rd_place_is_flagged_and_blocks_confirmation() -> None:
    leaders, tied = tie_at_third()
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    assert [w.user for w in rnd.winners.filter(active=True).order_by("place")] == leaders
    assert set(rnd.entries.filter(tied=True).values_list("user_id", flat=True)) == {
        u.pk for u in tied
    }
    assert rnd.tie_open
    assert "동점(1자리)" in rnd.events.get().note
    with pytest.raises(ServiceError) as refused:
        round_confirm(round=rnd, by=portal_admin())
    assert refused.value.code == "tie_open"
    rnd.refresh_from_db()
    assert rnd.status == QuarterRound.Status.PROPOSED
    assert not PrizePayment.objects.exists() and not Notification.objects.exists()


def test_the_admin_chooses_one_of_the_tied_with_a_reason_then_confirms() -> None:
    admin = portal_admin()
    leaders, (c, d) = tie_at_third()
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    for kwargs, code in [
        ({"chosen": [d], "reason": " "}, "reason_required"),
        ({"chosen": [c, d], "reason": "사유"}, "wrong_count"),
        ({"chosen": [leaders[0]], "reason": "사유"}, "not_tied"),
        ({"chosen": [d], "award_all": True, "reason": "사유"}, "award_all_with_choice"),
    ]:
        with pytest.raises(ServiceError) as refused:
            round_tie_settle(round=rnd, by=admin, **kwargs)
        assert refused.value.code == code
    (third,) = round_tie_settle(round=rnd, chosen=[d], reason="제안 채택 건수가 많음", by=admin)
    assert (third.place, third.user) == (3, d)
    rnd.refresh_from_db()
    assert not rnd.tie_open and rnd.tie_settled_by == admin
    event = rnd.events.get(action=RoundEvent.Action.TIE_SETTLED)
    assert event.by == admin and "제안 채택 건수가 많음" in event.note
    assert "10점(승인 10)" in event.note  # the tied people's points are in the record
    with pytest.raises(ServiceError) as again:
        round_tie_settle(round=rnd, chosen=[c], reason="다시", by=admin)
    assert again.value.code == "no_tie"
    round_confirm(round=rnd, by=admin)
    paid = set(PrizePayment.objects.values_list("recipient_id", flat=True))
    assert paid == {leaders[0].pk, leaders[1].pk, d.pk}


def test_awarding_all_tied_records_the_prize_and_tells_each_of_them() -> None:
    admin = portal_admin()
    leaders, tied = tie_at_third()
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    created = round_tie_settle(
        round=rnd, chosen=[], award_all=True, reason="공동 3위 모두 시상", by=admin
    )
    assert [(w.place, w.user) for w in created] == [(3, tied[0]), (4, tied[1])]
    round_confirm(round=rnd, by=admin)
    everyone = {u.pk for u in leaders + tied}
    assert set(PrizePayment.objects.values_list("recipient_id", flat=True)) == everyone
    assert PrizePayment.objects.filter(amount_won=50_000).count() == 4
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == everyone


def test_a_recompute_asks_for_the_decision_again() -> None:
    admin = portal_admin()
    tie_at_third()
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    round_tie_settle(round=rnd, chosen=[], award_all=True, reason="모두", by=admin)
    round_recompute(round=rnd, by=admin, reason="늦은 승인 반영")
    rnd.refresh_from_db()
    assert rnd.tie_open and rnd.tie_settled_at is None and rnd.tie_reason == ""
    assert rnd.winners.count() == 2


def test_the_winner_is_told_with_a_link_to_the_rounds_page() -> None:
    admin = portal_admin()
    winner = staff_user()
    record(winner, "proposal_submitted", MARCH)
    rnd = round_run(year=2026, quarter=1, at=AFTER_Q1)
    round_confirm(round=rnd, by=admin)
    note = Notification.objects.get(recipient=winner)
    assert note.verb == "scoring.prize_confirmed"
    assert "2026년 1분기 창의왕" in note.title and "50,000원" in note.title
    assert note.url == "/scoring/leaderboard/?period=quarter&year=2026&quarter=1"
