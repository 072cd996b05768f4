"""Stages 심사 단계: opening (assignment and automatic recusal), closing, reopening, the
results of a closed stage, and carrying the advancing entries on."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from common.errors import ServiceError
from common.periods import local_date
from notifications.services import notification_send

from .. import calculations as calc
from ..models import AuditAction, AuditEntry, Entry, Result, Stage, StageEntry, StageStatus
from ..selectors import active_members, member_totals
from .audit import actor_of, audit_record, now_or
from .entries import assign

UserOrNone = User | AnonymousUser | None


def locked_stage(stage: Stage) -> Stage:
    """Re-read the stage under a row lock: scoring and closing serialise on it, so no score
    slips in after the close."""
    return Stage.objects.select_for_update().select_related("round", "committee").get(pk=stage.pk)


@transaction.atomic
def stage_open(*, stage: Stage, by: UserOrNone = None, at: datetime | None = None) -> Stage:
    """Open a stage for scoring: every entry in it is assigned to every active member of its
    committee; members recuse automatically from their own and their department's entries.
    The earlier stages must be closed; the final stage needs at least as many entries as
    there are awards."""
    stage = locked_stage(stage)
    if stage.status == StageStatus.OPEN:
        return stage
    if stage.status == StageStatus.CLOSED:
        raise ServiceError(_("이미 마감된 심사 단계입니다."), code="closed")
    if stage.round.stages.filter(order__lt=stage.order).exclude(status=StageStatus.CLOSED).exists():
        raise ServiceError(_("앞 단계를 먼저 마감하세요."), code="state")
    entries = list(Entry.objects.filter(stage_entries__stage=stage).select_related("department"))
    if not entries:
        raise ServiceError(_("심사할 출품작이 없습니다."), code="state")
    is_final = not stage.round.stages.filter(order__gt=stage.order).exists()
    quotas = list(stage.round.quotas.values_list("grade", "count"))
    if is_final and calc.quotas_exceed_entries(quotas, len(entries)):
        raise ServiceError(
            _(
                "시상 인원 합계(%(total)s명)가 심사 대상(%(entries)s건)보다 많습니다. "
                "시상 기준을 고치세요."
            )
            % {"total": calc.quota_total(quotas), "entries": len(entries)},
            code="quota",
        )
    members = active_members(stage.committee, local_date(now_or(at)))
    if not members:
        raise ServiceError(_("심사할 수 있는(임기 중인) 위원이 없습니다."), code="state")
    if not stage.criteria.exists():
        raise ServiceError(_("평가항목을 먼저 정하세요."), code="state")
    assign(stage, entries, members, at)
    stage.status, stage.opened_at = StageStatus.OPEN, now_or(at)
    stage.save(update_fields=["status", "opened_at"])
    url = reverse("contests:review_list", args=[stage.pk])
    for member in members:
        notification_send(
            recipient=member.user,
            verb="contests.stage_opened",
            title=_("%(round)s · %(stage)s: 배정된 출품작을 심사해 주세요.")
            % {"round": stage.round.title, "stage": stage.name},
            url=url,
            at=at,
        )
    audit_record(actor=by, round=stage.round, action=AuditAction.STAGE_OPENED, obj=stage, at=at)
    return stage


def rounds_open_due(*, at: datetime | None = None) -> list[Stage]:
    """Open the first stage of every round whose start date has come (the schedule's job).
    A round that cannot open yet (no entries, no members) is left pending and reported by the
    next run again. Returns the opened stages."""
    today = local_date(now_or(at))
    opened: list[Stage] = []
    due = Stage.objects.filter(
        order=1,
        status=StageStatus.PENDING,
        round__starts_on__lte=today,
        round__confirmed_at__isnull=True,
    ).select_related("round")
    for stage in due:
        try:
            with transaction.atomic():
                opened.append(stage_open(stage=stage, at=at))
        except ServiceError:
            continue
    return opened


@transaction.atomic
def stage_close(*, stage: Stage, by: UserOrNone = None, at: datetime | None = None) -> list[Result]:
    """Close scoring and compute the results. Drafts that were never submitted do not count."""
    stage = locked_stage(stage)
    if stage.status != StageStatus.OPEN:
        raise ServiceError(_("심사 중인 단계만 마감할 수 있습니다."), code="state")
    stage.status, stage.closed_at = StageStatus.CLOSED, now_or(at)
    stage.save(update_fields=["status", "closed_at"])
    audit_record(actor=by, round=stage.round, action=AuditAction.STAGE_CLOSED, obj=stage, at=at)
    return results_compute(stage=stage, by=by, at=at)


@transaction.atomic
def stage_reopen(*, stage: Stage, by: User, reason: str, at: datetime | None = None) -> Stage:
    """Reopen a closed stage (an admin's correction, with a reason in the audit log): members
    who had not submitted may score again. Refused once the next stage has started or the
    awards are confirmed; the results are computed again at the next close."""
    stage = locked_stage(stage)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("다시 여는 사유를 입력하세요."), code="invalid", field="reason")
    if stage.status != StageStatus.CLOSED:
        raise ServiceError(_("마감된 단계만 다시 열 수 있습니다."), code="state")
    if stage.round.confirmed_at:
        raise ServiceError(
            _("수상이 확정된 회차의 심사 단계는 다시 열 수 없습니다."), code="confirmed"
        )
    if (
        stage.round.stages.filter(order__gt=stage.order)
        .exclude(status=StageStatus.PENDING)
        .exists()
    ):
        raise ServiceError(
            _("다음 단계가 이미 시작되어 이 단계를 다시 열 수 없습니다."), code="state"
        )
    nxt = stage.round.stages.filter(order__gt=stage.order).order_by("order").first()
    if nxt is not None:
        # What the closed stage carried on is taken back: the next close decides again.
        StageEntry.objects.filter(stage=nxt).delete()
    before = {
        "status": stage.status,
        "closed_at": stage.closed_at.isoformat() if stage.closed_at else None,
    }
    stage.status, stage.closed_at = StageStatus.OPEN, None
    stage.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=by,
        round=stage.round,
        action=AuditAction.STAGE_REOPENED,
        obj=stage,
        before=before,
        after={"status": stage.status, "reason": reason[:500]},
        at=at,
    )
    return stage


def _result_snapshot(r: Result) -> dict[str, Any]:
    return {
        "mean": str(r.mean) if r.mean is not None else None,
        "rank": r.rank,
        "advances": r.advances,
        "grade": r.grade,
        "tie": r.tie,
    }


@transaction.atomic
def results_compute(
    *, stage: Stage, by: UserOrNone = None, at: datetime | None = None
) -> list[Result]:
    """Weighted totals per member, the mean (optionally without the highest and lowest),
    disagreement, ranking; on a stage with an advance count, who advances (ties flagged);
    on the final stage, the grades by quota (ties flagged). Recomputing records changes."""
    stage = Stage.objects.select_related("round").get(pk=stage.pk)
    if stage.status != StageStatus.CLOSED:
        raise ServiceError(_("마감된 단계만 결과를 산출할 수 있습니다."), code="state")
    rnd = stage.round
    totals = member_totals(stage=stage)
    entry_ids = list(StageEntry.objects.filter(stage=stage).values_list("entry_id", flat=True))
    means = {
        eid: calc.mean_score(list(totals.get(eid, {}).values()), drop_extremes=rnd.drop_extremes)
        for eid in entry_ids
    }
    ranks = calc.rank(list(means.items()))
    is_final = not rnd.stages.filter(order__gt=stage.order).exists()
    advancing: calc.Cut | None = None
    grades: dict[Any, calc.GradeProposal] = {}
    if is_final:
        quotas = sorted(
            rnd.quotas.values_list("grade", "count"), key=lambda q: calc.grade_position(q[0])
        )
        grades = calc.grades_by_quota(ranks, quotas)
    elif stage.advance_count is not None:
        advancing = calc.cut(ranks, stage.advance_count)
    existing = {r.entry_id: r for r in Result.objects.filter(stage=stage)}
    out: list[Result] = []
    changes: list[tuple[Result, dict[str, Any] | None, dict[str, Any]]] = []
    now = now_or(at)
    for eid in entry_ids:
        member_values = list(totals.get(eid, {}).values())
        result = existing.get(eid) or Result(stage=stage, entry_id=eid, computed_at=now)
        before = _result_snapshot(result) if result.pk else None
        result.mean = means[eid]
        result.sheet_count = len(member_values)
        result.rank = ranks.get(eid)
        result.disagreement = calc.disagrees(member_values, rnd.disagreement_threshold)
        if is_final:
            g = grades.get(eid, calc.GradeProposal(None, False))
            result.grade, result.tie, result.advances = g.grade or "", g.tie, False
        elif advancing is not None:
            result.advances = eid in advancing.selected
            result.tie = eid in advancing.tied
            result.grade = ""
        else:
            result.advances, result.tie, result.grade = result.mean is not None, False, ""
        result.computed_at = now
        after = _result_snapshot(result)
        if before != after:
            changes.append((result, before, after))
        out.append(result)
    # In bulk: a city-wide stage has hundreds of entries.
    Result.objects.bulk_create([r for r in out if r.pk is None])
    # Only rows whose values changed are written again (bulk_update is costly per row).
    Result.objects.bulk_update(
        [r for r, before, _after in changes if before is not None],
        ["mean", "sheet_count", "rank", "disagreement", "advances", "grade", "tie", "computed_at"],
        batch_size=200,
    )
    actor = actor_of(by)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            round=rnd,
            action=AuditAction.RESULT_COMPUTED,
            object_type=Result._meta.model_name or "",
            object_id=r.pk,
            before=before,
            after=after,
            at=now,
        )
        for r, before, after in changes
    )
    return out


@transaction.atomic
def stage_advance(
    *,
    stage: Stage,
    by: UserOrNone = None,
    include: Iterable[int] = (),
    at: datetime | None = None,
) -> list[Entry]:
    """Carry the advancing entries of a closed stage into the next stage. ``include`` names
    tied entries (ids) the committee decided to let through as well."""
    stage = Stage.objects.select_related("round").get(pk=stage.pk)
    if stage.status != StageStatus.CLOSED:
        raise ServiceError(_("마감된 단계만 다음 단계로 진출시킬 수 있습니다."), code="state")
    nxt = stage.round.stages.filter(order__gt=stage.order).order_by("order").first()
    if nxt is None:
        raise ServiceError(_("마지막 단계입니다. 수상을 확정하세요."), code="state")
    if nxt.status != StageStatus.PENDING:
        raise ServiceError(_("다음 단계가 이미 시작되었습니다."), code="state")
    chosen = set(include)
    results = list(Result.objects.filter(stage=stage).select_related("entry"))
    if chosen - {r.entry_id for r in results if r.tie}:
        raise ServiceError(_("동점이 아닌 출품작은 추가로 진출시킬 수 없습니다."), code="invalid")
    going: list[Entry] = []
    for r in results:
        if r.advances or r.entry_id in chosen:
            if not r.advances:
                before = _result_snapshot(r)
                r.advances = True
                r.save(update_fields=["advances"])
                audit_record(
                    actor=by,
                    round=stage.round,
                    action=AuditAction.ADVANCED,
                    obj=r,
                    before=before,
                    after=_result_snapshot(r),
                    at=at,
                )
            StageEntry.objects.get_or_create(stage=nxt, entry=r.entry)
            going.append(r.entry)
    if not going:
        raise ServiceError(_("다음 단계로 진출할 출품작이 없습니다."), code="state")
    return going
