"""Awards 시상: confirming a round's grades from its final stage, with their prizes."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError

from .. import calculations as calc
from ..models import (
    AuditAction,
    Award,
    AwardQuota,
    AwardRecipient,
    Grade,
    Result,
    Round,
    StageStatus,
)
from .audit import audit_record, now_or
from .budget import prize_record

AWARD_SOURCE = "contests.award"


@transaction.atomic
def awards_confirm(
    *,
    round: Round,
    by: User,
    grades: Mapping[int, str] | None = None,
    at: datetime | None = None,
) -> list[Award]:
    """Confirm the awards of a round from its final stage's results.

    ``grades`` (entry id → grade value, or "" for none) is the committee's decision where
    the results flag a tie, or where it departs from the proposal; ``calc.check_awards``
    decides what is allowed. Every award pays its prize through ``prize_record`` (year =
    round year, source ``("contests.award", award.pk)``) and carries the quota's performance
    points when the owner is a staff member. Apps reading the awards back
    (``awards_for_source``) must not record the same prize again. The round's row lock makes
    two confirmations at once store one set of awards: the second is refused."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.confirmed_at:
        raise ServiceError(_("이미 수상이 확정된 회차입니다."), code="confirmed")
    final = rnd.stages.order_by("-order").first()
    if final is None or final.status != StageStatus.CLOSED:
        raise ServiceError(
            _("마지막 심사 단계를 마감한 뒤에 수상을 확정할 수 있습니다."), code="state"
        )
    results = list(
        Result.objects.filter(stage=final)
        .select_related("entry__owner", "entry__department")
        .order_by("rank", "entry_id")
    )
    quotas = {q.grade: q for q in rnd.quotas.all()}
    decided = calc.check_awards(
        [calc.ResultFacts(r.entry_id, r.entry.title, r.grade, r.tie) for r in results],
        {int(k): v for k, v in (grades or {}).items()},
        {grade: q.count for grade, q in quotas.items()},
    )
    now = now_or(at)
    awards = [
        _award_store(rnd, r, decided[r.entry_id], quotas[decided[r.entry_id]], by, now)
        for r in results
        if decided[r.entry_id]
    ]
    rnd.confirmed_at, rnd.confirmed_by = now, by
    rnd.save(update_fields=["confirmed_at", "confirmed_by"])
    return awards


def _award_store(
    rnd: Round, r: Result, grade: str, quota: AwardQuota, by: User, now: datetime
) -> Award:
    entry = r.entry
    award = Award.objects.create(
        round=rnd,
        entry=entry,
        grade=grade,
        prize_won=quota.prize_won,
        performance_points=quota.performance_points if entry.owner_id else Decimal(0),
        confirmed_by=by,
        confirmed_at=now,
    )
    name = entry.owner_label or (str(entry.department) if entry.department_id else "")
    AwardRecipient.objects.create(award=award, user=entry.owner, name=name or entry.title)
    if quota.prize_won > 0:
        prize_record(
            year=rnd.year,
            amount_won=quota.prize_won,
            title=f"{rnd.title} {Grade(grade).label}: {entry.title}"[:200],
            recipient=entry.owner,
            recipient_name=name or entry.title,
            source_type=AWARD_SOURCE,
            source_id=award.pk,
            at=now,
        )
    audit_record(
        actor=by,
        round=rnd,
        action=AuditAction.AWARD_CONFIRMED,
        obj=award,
        before={"proposed_grade": r.grade, "tie": r.tie},
        after={
            "entry": entry.pk,
            "grade": grade,
            "prize_won": award.prize_won,
            "performance_points": str(award.performance_points),
        },
        at=now,
    )
    return award
