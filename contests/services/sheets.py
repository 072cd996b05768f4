"""Score sheets 심사표 and recusal 회피: a member's own scoring of an assigned entry."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import ServiceError
from common.periods import local_date
from org.selectors import department_of

from .. import calculations as calc
from ..models import (
    Assignment,
    AuditAction,
    CommitteeMember,
    Entry,
    Recusal,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
    StageStatus,
)
from ..selectors import member_for
from .audit import audit_record, now_or
from .stages import locked_stage

ALREADY_SUBMITTED = gettext_lazy(
    "이미 제출한 심사표입니다. 같은 출품작에 두 번 점수를 매길 수 없습니다."
)


def _sheet_snapshot(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "status": sheet.status,
        "comment": sheet.comment,
        "scores": {
            s.criterion.name: {"value": s.value, "comment": s.comment}
            for s in sheet.scores.select_related("criterion").order_by("criterion__order")
        },
    }


def _same_as_stored(sheet: ScoreSheet, check: calc.SheetCheck, comment: str) -> bool:
    stored = {s.criterion_id: (s.value, s.comment) for s in sheet.scores.all()}
    typed = {cid: (value, check.notes[cid]) for cid, value in check.values.items()}
    return not check.errors and stored == typed and sheet.comment == comment


def _check_may_score(stage: Stage, entry: Entry, member: CommitteeMember) -> None:
    """The stage is open, the entry is the member's to score, and no conflict arose since the
    stage opened (a member who moved into the entry's department is refused at the save)."""
    if not Assignment.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ServiceError(
            _("배정되지 않은 출품작에는 점수를 매길 수 없습니다."), code="not_assigned"
        )
    if Recusal.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ServiceError(_("회피한 출품작에는 점수를 매길 수 없습니다."), code="recused")
    dept = department_of(member.user)
    reason = calc.conflict_reason(
        entry_owner_id=entry.owner_id,
        entry_department_id=entry.department_id,
        member_user_id=member.user_id,
        member_department_id=dept.pk if dept else None,
    )
    if reason:
        raise ServiceError(
            _("이해관계가 있는 출품작(%(reason)s)이라 점수를 매길 수 없습니다. 회피하세요.")
            % {"reason": reason},
            code="conflict_of_interest",
        )


@transaction.atomic
def score_sheet_save(
    *,
    stage: Stage,
    entry: Entry,
    user: User,
    scores: Mapping[int, object] | Mapping[str, object],
    comments: Mapping[int, str] | Mapping[str, str] | None = None,
    comment: str = "",
    submit: bool = False,
    at: datetime | None = None,
) -> ScoreSheet:
    """Save a member's score sheet as a draft, or submit it (every criterion then needed).

    ``scores`` maps criterion id → score (int or digit string; blank = not yet scored); the
    sheet is checked by ``calc.check_score_sheet``. Refused, with nothing stored: a stage that
    is not open, a user who is not an active member, an entry not assigned, recused or in
    conflict, a sheet already submitted with other values. Two identical submissions at once
    serialise on the stage's row lock: the first stores, the second gets the same sheet back."""
    stage = locked_stage(stage)
    if stage.status == StageStatus.CLOSED:
        raise ServiceError(
            _("마감된 심사 단계에는 점수를 입력하거나 고칠 수 없습니다."), code="closed"
        )
    if stage.status != StageStatus.OPEN:
        raise ServiceError(_("아직 시작하지 않은 심사 단계입니다."), code="state")
    member = member_for(stage=stage, user=user, on=local_date(now_or(at)))
    _check_may_score(stage, entry, member)
    sheet = (
        ScoreSheet.objects.select_for_update()
        .filter(stage=stage, entry=entry, member=member)
        .first()
    )
    criteria = [calc.CriterionRule(c.pk, c.name, c.max_score) for c in stage.criteria.all()]
    check = calc.check_score_sheet(criteria, scores, comments, submit=submit)
    if sheet and sheet.status == SheetStatus.SUBMITTED:
        if submit and _same_as_stored(sheet, check, comment):
            return sheet  # the same submission again (a double click): stored once
        raise ServiceError(ALREADY_SUBMITTED, code="conflict")
    check.raise_if_invalid()
    return _sheet_store(stage, entry, member, sheet, check, comment, submit, user, at)


def _sheet_store(
    stage: Stage,
    entry: Entry,
    member: CommitteeMember,
    sheet: ScoreSheet | None,
    check: calc.SheetCheck,
    comment: str,
    submit: bool,
    user: User,
    at: datetime | None,
) -> ScoreSheet:
    now = now_or(at)
    before = _sheet_snapshot(sheet) if sheet else None
    if sheet is None:
        try:
            with transaction.atomic():
                sheet = ScoreSheet.objects.create(
                    stage=stage, entry=entry, member=member, comment=comment, updated_at=now
                )
        except IntegrityError as exc:  # the same member in another tab, at the same moment
            raise ServiceError(ALREADY_SUBMITTED, code="conflict") from exc
    sheet.comment = comment
    sheet.updated_at = now
    if submit:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, now
    sheet.save()
    sheet.scores.exclude(criterion_id__in=check.values).delete()
    for cid, value in check.values.items():
        Score.objects.update_or_create(
            sheet=sheet, criterion_id=cid, defaults={"value": value, "comment": check.notes[cid]}
        )
    audit_record(
        actor=user,
        round=stage.round,
        action=AuditAction.SCORE_SUBMITTED if submit else AuditAction.SCORE_SAVED,
        obj=sheet,
        before=before,
        after=_sheet_snapshot(sheet),
        at=at,
    )
    return sheet


@transaction.atomic
def recusal_declare(
    *,
    stage: Stage,
    entry: Entry,
    user: User,
    reason: str,
    at: datetime | None = None,
) -> Recusal:
    """A member recuses from an assigned entry, with a reason. A draft sheet is withdrawn;
    a submitted one cannot be (the score is already in)."""
    stage = locked_stage(stage)
    if stage.status != StageStatus.OPEN:
        raise ServiceError(_("심사 중인 단계에서만 회피할 수 있습니다."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("회피 사유를 입력하세요."), code="invalid", field="reason")
    member = member_for(stage=stage, user=user, on=local_date(now_or(at)))
    if not Assignment.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ServiceError(_("배정되지 않은 출품작입니다."), code="not_assigned")
    existing = Recusal.objects.filter(stage=stage, entry=entry, member=member).first()
    if existing:
        return existing
    sheet = ScoreSheet.objects.filter(stage=stage, entry=entry, member=member).first()
    before = None
    if sheet:
        if sheet.status == SheetStatus.SUBMITTED:
            raise ServiceError(_("이미 제출한 심사표가 있어 회피할 수 없습니다."), code="conflict")
        before = _sheet_snapshot(sheet)
        sheet.delete()
    recusal = Recusal.objects.create(
        stage=stage, entry=entry, member=member, reason=reason[:200], created_at=now_or(at)
    )
    audit_record(
        actor=user,
        round=stage.round,
        action=AuditAction.RECUSED,
        obj=recusal,
        before=before,
        after={"entry": entry.pk, "reason": recusal.reason},
        at=at,
    )
    return recusal
