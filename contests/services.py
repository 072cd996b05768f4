"""Every write of the contests app. Other apps call ``round_create``, ``entry_create`` and
``prize_record``; the review pages and the admin call the rest. Each raises
``django.core.exceptions.ValidationError`` with a Korean message and stores nothing when the
input is wrong.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify
from org.models import Department, display_name
from org.selectors import department_of

from . import calculations as calc
from .models import (
    DEFAULT_CRITERIA,
    GRADE_ORDER,
    Assignment,
    AuditAction,
    AuditEntry,
    Award,
    AwardQuota,
    AwardRecipient,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Criterion,
    Entry,
    Grade,
    MemberKind,
    MemberRole,
    PrizeBudget,
    PrizePayment,
    Recusal,
    Result,
    Round,
    RoundKind,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
    StageEntry,
    StageStatus,
)

AWARD_SOURCE = "contests.award"
CASE_SOURCE = "contests.case"  # a department's best-practice case; source_id = department id


@dataclass(frozen=True)
class StageSpec:
    name: str
    committee_kind: str
    advance_count: int | None = None


@dataclass(frozen=True)
class QuotaSpec:
    grade: str
    count: int
    prize_won: int
    performance_points: Decimal = Decimal(0)


_WP, _PB, _RC = (
    CommitteeKind.WORKING_PANEL,
    CommitteeKind.PROMOTION_BOARD,
    CommitteeKind.REVIEW_COMMITTEE,
)
_PROPOSAL_STAGES = (
    StageSpec("실무평가단 1차 심사(후보 추천)", _WP),
    StageSpec("구민창안심사위원회 심사", _RC),
)
DEFAULT_STAGES: dict[str, tuple[StageSpec, ...]] = {
    RoundKind.HALF_YEAR_PROPOSALS: _PROPOSAL_STAGES,
    RoundKind.THEME_PROPOSALS: _PROPOSAL_STAGES,
    RoundKind.BEST_PRACTICE: (
        StageSpec("실무평가단 1차 심사", _WP, 10),
        StageSpec("창의구정추진단 본선 진출작 선정", _PB, 6),
        StageSpec("발표 심사", _PB),
    ),
    RoundKind.POLICY_CONTEST: (
        StageSpec("1차 심사", _WP, 12),
        StageSpec("2차 심사(발표작 선정)", _RC, 6),
        StageSpec("발표 심사", _RC),
    ),
    RoundKind.CLUB_REVIEW: (
        StageSpec("실무평가단 추천 심사", _WP),
        StageSpec("창의구정추진단 선정", _PB),
    ),
}
_PROPOSAL_QUOTAS = (
    QuotaSpec(Grade.GRAND, 1, 300_000, Decimal("2.0")),
    QuotaSpec(Grade.EXCELLENT, 2, 200_000, Decimal("1.0")),
    QuotaSpec(Grade.MERIT, 3, 100_000, Decimal("0.5")),
)
_CONTEST_QUOTAS = (
    QuotaSpec(Grade.GRAND, 1, 1_000_000),
    QuotaSpec(Grade.EXCELLENT, 2, 700_000),
    QuotaSpec(Grade.MERIT, 3, 500_000),
)
DEFAULT_QUOTAS: dict[str, tuple[QuotaSpec, ...]] = {
    RoundKind.HALF_YEAR_PROPOSALS: _PROPOSAL_QUOTAS,
    RoundKind.THEME_PROPOSALS: _PROPOSAL_QUOTAS,
    RoundKind.BEST_PRACTICE: _CONTEST_QUOTAS,
    RoundKind.POLICY_CONTEST: _CONTEST_QUOTAS,
    RoundKind.CLUB_REVIEW: (
        QuotaSpec(Grade.GRAND, 1, 500_000),
        QuotaSpec(Grade.EXCELLENT, 2, 300_000),
        QuotaSpec(Grade.MERIT, 8, 200_000),
    ),
}
GRADE_LABELS = dict(Grade.choices)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _today(at: datetime | None) -> date:
    return timezone.localdate(_now(at))


def _audit(
    *,
    actor: AbstractBaseUser | None,
    round: Round | None,
    action: str,
    obj: Model,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        round=round,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        before=before,
        after=after,
        at=_now(at),
    )


# --- Committees ------------------------------------------------------------------------------


def committee_for_kind(kind: str) -> Committee:
    """The committee of a kind, created empty (named by the kind) when there is none yet."""
    committee = Committee.objects.filter(kind=kind).order_by("id").first()
    if committee:
        return committee
    return Committee.objects.get_or_create(
        name=str(CommitteeKind(kind).label), defaults={"kind": kind}
    )[0]


@transaction.atomic
def committee_member_add(
    *,
    committee: Committee,
    user: AbstractBaseUser,
    role: str = MemberRole.MEMBER,
    kind: str = MemberKind.EX_OFFICIO,
    term_start: date,
    term_end: date | None = None,
) -> CommitteeMember:
    """Seat a member (idempotent per committee, user and term start). Appointed members
    (위촉직) serve 2 years when no end is given; renewal is a new seat from the new start."""
    if kind == MemberKind.APPOINTED and term_end is None:
        try:
            term_end = term_start.replace(year=term_start.year + 2)
        except ValueError:  # 29 February
            term_end = term_start.replace(year=term_start.year + 2, day=28)
        term_end = date.fromordinal(term_end.toordinal() - 1)
    if term_end is not None and term_end < term_start:
        raise ValidationError("임기 종료일이 시작일보다 빠를 수 없습니다.")
    member, _ = CommitteeMember.objects.update_or_create(
        committee=committee,
        user=user,
        term_start=term_start,
        defaults={"role": role, "kind": kind, "term_end": term_end},
    )
    return member


def member_is_active(member: CommitteeMember, on: date) -> bool:
    return member.term_start <= on and (member.term_end is None or member.term_end >= on)


def _active_members(committee: Committee, on: date) -> list[CommitteeMember]:
    members = committee.members.select_related("user__staff_profile__department")
    return [m for m in members if member_is_active(m, on)]


# --- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    kind: str,
    year: int,
    title: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    blind: bool = False,
    drop_extremes: bool = False,
    stages: Sequence[StageSpec] | None = None,
    quotas: Sequence[QuotaSpec] | None = None,
    criteria: Sequence[tuple[str, int, int]] = DEFAULT_CRITERIA,
    at: datetime | None = None,
) -> Round:
    """Create a round with its stages (each with the default rubric 창의성, 실시가능성,
    효과성·경제성, 적용범위, 노력도 unless ``criteria`` is given) and award quotas.

    Without ``stages`` / ``quotas`` the kind's defaults of SPEC §3–5 apply: proposals
    최우수 1×300,000 / 우수 2×200,000 / 장려 3×100,000 won with 성과포인트 2.0/1.0/0.5;
    club review 1×500,000 / 2×300,000 / 8×200,000; both contests 1×1,000,000 / 2×700,000 /
    3×500,000. Each stage is scored by the committee of its kind (created empty if missing).
    """
    if kind not in RoundKind.values:
        raise ValidationError("알 수 없는 심사 구분입니다.")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError("종료일이 시작일보다 빠를 수 없습니다.")
    if not title.strip():
        raise ValidationError("회차 제목을 입력하세요.")
    rnd = Round.objects.create(
        kind=kind,
        year=year,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        blind=blind,
        drop_extremes=drop_extremes,
        created_at=_now(at),
    )
    for order, spec in enumerate(stages or DEFAULT_STAGES[kind], start=1):
        stage = Stage.objects.create(
            round=rnd,
            order=order,
            name=spec.name,
            committee=committee_for_kind(spec.committee_kind),
            advance_count=spec.advance_count,
        )
        Criterion.objects.bulk_create(
            Criterion(stage=stage, order=i, name=n, weight=w, max_score=m)
            for i, (n, w, m) in enumerate(criteria, start=1)
        )
    _quotas_write(rnd, quotas or DEFAULT_QUOTAS[kind])
    return rnd


def _quotas_write(rnd: Round, quotas: Sequence[QuotaSpec]) -> None:
    for q in quotas:
        if q.count < 0 or q.prize_won < 0 or not isinstance(q.prize_won, int):
            raise ValidationError("시상 인원과 상금은 0 이상의 정수(원)여야 합니다.")
        AwardQuota.objects.update_or_create(
            round=rnd,
            grade=q.grade,
            defaults={
                "count": q.count,
                "prize_won": q.prize_won,
                "performance_points": q.performance_points,
            },
        )


@transaction.atomic
def round_quotas_set(
    *, round: Round, quotas: Sequence[QuotaSpec], by: AbstractBaseUser | None = None
) -> Round:
    """Replace the award quotas. Once entries exist, the awards cannot outnumber them."""
    entries = round.entries.count()
    if entries and calc.quotas_exceed_entries([(q.grade, q.count) for q in quotas], entries):
        raise ValidationError(
            f"시상 인원 합계({calc.quota_total((q.grade, q.count) for q in quotas)}명)가 "
            f"출품작 수({entries}건)보다 많습니다. 시상 인원을 줄이세요."
        )
    if round.confirmed_at:
        raise ValidationError("수상이 확정된 회차의 시상 기준은 바꿀 수 없습니다.")
    _quotas_write(round, quotas)
    return round


# --- Entries ---------------------------------------------------------------------------------


@transaction.atomic
def entry_create(
    *,
    round: Round,
    title: str,
    summary: str = "",
    owner: AbstractBaseUser | None = None,
    owner_name: str = "",
    department: Department | None = None,
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> Entry:
    """Put a source (a proposal, a club, a best-practice case, a resident's policy proposal)
    into a round's first stage. Idempotent per round + (source_type, source_id): calling it
    again returns the existing entry unchanged. If the first stage is already open the entry
    is assigned to its committee at once (with automatic recusal)."""
    key = {"round": round, "source_type": source_type, "source_id": source_id}
    existing = Entry.objects.filter(**key).first()
    if existing:
        return existing
    if round.confirmed_at:
        raise ValidationError("수상이 확정된 회차에는 출품작을 추가할 수 없습니다.")
    if not title.strip():
        raise ValidationError("출품작 제목을 입력하세요.")
    first = round.stages.order_by("order").first()
    if first and first.is_closed:
        raise ValidationError("첫 심사 단계가 마감된 회차에는 출품작을 추가할 수 없습니다.")
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                **key,
                title=title.strip()[:200],
                summary=summary,
                owner=owner,
                owner_name=owner_name or (display_name(owner) if owner else ""),
                department=department if department is not None else department_of(owner),
                created_at=_now(at),
            )
    except IntegrityError:  # a concurrent call created it first
        return Entry.objects.get(**key)
    if first:
        StageEntry.objects.get_or_create(stage=first, entry=entry)
        if first.is_open:
            _assign(first, [entry], _active_members(first.committee, _today(at)), at)
    return entry


@transaction.atomic
def case_submit(
    *,
    round: Round,
    department: Department | None,
    title: str,
    summary: str = "",
    file: File | None = None,
    at: datetime | None = None,
) -> Entry:
    """A department files its case 우수사례 for the best-practice contest: one per department
    per round, with its file, while the first stage has not started."""
    if round.kind != RoundKind.BEST_PRACTICE:
        raise ValidationError("창의행정 우수사례 경진대회 회차에만 사례를 제출할 수 있습니다.")
    if department is None:
        raise ValidationError("소속 부서가 있는 직원만 부서 사례를 제출할 수 있습니다.")
    first = round.stages.order_by("order").first()
    if round.confirmed_at or (first is not None and first.status != StageStatus.PENDING):
        raise ValidationError("사례 접수가 끝난 회차입니다.")
    if Entry.objects.filter(round=round, source_type=CASE_SOURCE, source_id=department.pk).exists():
        raise ValidationError(
            f"{department}의 사례가 이미 제출되었습니다. 부서당 한 건만 제출할 수 있습니다."
        )
    entry = entry_create(
        round=round,
        title=title,
        summary=summary,
        owner_name=str(department),
        department=department,
        source_type=CASE_SOURCE,
        source_id=department.pk,
        at=at,
    )
    if file is not None:
        entry.file = file
        entry.save(update_fields=["file"])
    return entry


def _auto_recusal_reason(entry: Entry, member: CommitteeMember) -> str | None:
    if entry.owner_id and entry.owner_id == member.user_id:
        return "본인 출품작(자동 회피)"
    dept = department_of(member.user)
    if dept is not None and entry.department_id == dept.id:
        return "소속 부서 출품작(자동 회피)"
    return None


def _assign(
    stage: Stage, entries: Iterable[Entry], members: Sequence[CommitteeMember], at: datetime | None
) -> None:
    assignments, recusals = [], []
    for entry in entries:
        for member in members:
            assignments.append(Assignment(stage=stage, entry=entry, member=member))
            reason = _auto_recusal_reason(entry, member)
            if reason:
                recusals.append(
                    Recusal(
                        stage=stage,
                        entry=entry,
                        member=member,
                        automatic=True,
                        reason=reason,
                        created_at=_now(at),
                    )
                )
    Assignment.objects.bulk_create(assignments, ignore_conflicts=True)
    Recusal.objects.bulk_create(recusals, ignore_conflicts=True)


# --- Stages ----------------------------------------------------------------------------------


def _locked_stage(stage: Stage) -> Stage:
    """Re-read the stage under a row lock: scoring and closing serialise on it, so no score
    slips in after the close."""
    return Stage.objects.select_for_update().select_related("round", "committee").get(pk=stage.pk)


@transaction.atomic
def stage_open(
    *, stage: Stage, by: AbstractBaseUser | None = None, at: datetime | None = None
) -> Stage:
    """Open a stage for scoring: every entry in it is assigned to every active member of its
    committee; members recuse automatically from their own and their department's entries.
    The earlier stages must be closed; the final stage needs at least as many entries as
    there are awards."""
    stage = _locked_stage(stage)
    if stage.status == StageStatus.OPEN:
        return stage
    if stage.status == StageStatus.CLOSED:
        raise ValidationError("이미 마감된 심사 단계입니다.")
    if stage.round.stages.filter(order__lt=stage.order).exclude(status=StageStatus.CLOSED).exists():
        raise ValidationError("앞 단계를 먼저 마감하세요.")
    entries = list(Entry.objects.filter(stage_entries__stage=stage).select_related("department"))
    if not entries:
        raise ValidationError("심사할 출품작이 없습니다.")
    is_final = not stage.round.stages.filter(order__gt=stage.order).exists()
    quotas = list(stage.round.quotas.values_list("grade", "count"))
    if is_final and calc.quotas_exceed_entries(quotas, len(entries)):
        raise ValidationError(
            f"시상 인원 합계({calc.quota_total(quotas)}명)가 심사 대상({len(entries)}건)보다 "
            "많습니다. 시상 기준을 고치세요."
        )
    members = _active_members(stage.committee, _today(at))
    if not members:
        raise ValidationError("심사할 수 있는(임기 중인) 위원이 없습니다.")
    if not stage.criteria.exists():
        raise ValidationError("평가항목을 먼저 정하세요.")
    _assign(stage, entries, members, at)
    stage.status, stage.opened_at = StageStatus.OPEN, _now(at)
    stage.save(update_fields=["status", "opened_at"])
    url = reverse("contests:review_list", args=[stage.pk])
    for member in members:
        notify(
            recipient=member.user,
            verb="심사 시작",
            title=f"{stage.round.title} · {stage.name}: 배정된 출품작을 심사해 주세요.",
            url=url,
            at=at,
        )
    _audit(actor=by, round=stage.round, action=AuditAction.STAGE_OPENED, obj=stage, at=at)
    return stage


def rounds_open_due(*, at: datetime | None = None) -> list[Stage]:
    """Open the first stage of every round whose start date has come (the schedule's job;
    also ``manage.py contests_open_due``). A round that cannot open yet (no entries, no
    members) is left pending and reported by the next run again. Returns the opened stages."""
    today = _today(at)
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
        except ValidationError:
            continue
    return opened


@transaction.atomic
def stage_close(
    *, stage: Stage, by: AbstractBaseUser | None = None, at: datetime | None = None
) -> list[Result]:
    """Close scoring and compute the results. Drafts that were never submitted do not count."""
    stage = _locked_stage(stage)
    if stage.status != StageStatus.OPEN:
        raise ValidationError("심사 중인 단계만 마감할 수 있습니다.")
    stage.status, stage.closed_at = StageStatus.CLOSED, _now(at)
    stage.save(update_fields=["status", "closed_at"])
    _audit(actor=by, round=stage.round, action=AuditAction.STAGE_CLOSED, obj=stage, at=at)
    return results_compute(stage=stage, by=by, at=at)


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
    *, stage: Stage, by: AbstractBaseUser | None = None, at: datetime | None = None
) -> list[Result]:
    """Weighted totals per member, the mean (optionally without the highest and lowest),
    disagreement, ranking; on a stage with an advance count, who advances (ties flagged);
    on the final stage, the grades by quota (ties flagged). Recomputing records changes."""
    stage = Stage.objects.select_related("round").get(pk=stage.pk)
    if stage.status != StageStatus.CLOSED:
        raise ValidationError("마감된 단계만 결과를 산출할 수 있습니다.")
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
    grades: dict = {}
    if is_final:
        quotas = sorted(
            rnd.quotas.values_list("grade", "count"), key=lambda q: GRADE_ORDER.index(q[0])
        )
        grades = calc.grades_by_quota(ranks, quotas)
    elif stage.advance_count is not None:
        advancing = calc.cut(ranks, stage.advance_count)
    existing = {r.entry_id: r for r in Result.objects.filter(stage=stage)}
    out: list[Result] = []
    changes: list[tuple[Result, dict | None, dict]] = []
    now = _now(at)
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
        [r for r, before, _ in changes if before is not None],
        ["mean", "sheet_count", "rank", "disagreement", "advances", "grade", "tie", "computed_at"],
        batch_size=200,
    )
    actor = by if by and by.is_authenticated else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            round=rnd,
            action=AuditAction.RESULT_COMPUTED,
            object_type=Result._meta.model_name,
            object_id=r.pk,
            before=before,
            after=after,
            at=now,
        )
        for r, before, after in changes
    )
    return out


def member_totals(*, stage: Stage) -> dict[int, dict[int, Decimal]]:
    """{entry id: {member id: weighted total}} over the stage's submitted sheets."""
    rows = (
        Score.objects.filter(sheet__stage=stage, sheet__status=SheetStatus.SUBMITTED)
        .order_by("sheet__entry_id", "sheet__member_id")
        .values_list(
            "sheet__entry_id",
            "sheet__member_id",
            "value",
            "criterion__max_score",
            "criterion__weight",
        )
    )
    grouped: dict[tuple[int, int], list[calc.CriterionScore]] = {}
    for entry_id, member_id, value, max_score, weight in rows:
        grouped.setdefault((entry_id, member_id), []).append(
            calc.CriterionScore(value, max_score, weight)
        )
    out: dict[int, dict[int, Decimal]] = {}
    for (entry_id, member_id), scores in grouped.items():
        out.setdefault(entry_id, {})[member_id] = calc.weighted_total(scores)
    return out


@transaction.atomic
def stage_advance(
    *,
    stage: Stage,
    by: AbstractBaseUser | None = None,
    include: Iterable[int] = (),
    at: datetime | None = None,
) -> list[Entry]:
    """Carry the advancing entries of a closed stage into the next stage. ``include`` names
    tied entries (ids) the committee decided to let through as well."""
    stage = Stage.objects.select_related("round").get(pk=stage.pk)
    if stage.status != StageStatus.CLOSED:
        raise ValidationError("마감된 단계만 다음 단계로 진출시킬 수 있습니다.")
    nxt = stage.round.stages.filter(order__gt=stage.order).order_by("order").first()
    if nxt is None:
        raise ValidationError("마지막 단계입니다. 수상을 확정하세요.")
    if nxt.status != StageStatus.PENDING:
        raise ValidationError("다음 단계가 이미 시작되었습니다.")
    include = set(include)
    results = list(Result.objects.filter(stage=stage).select_related("entry"))
    unknown = include - {r.entry_id for r in results if r.tie}
    if unknown:
        raise ValidationError("동점이 아닌 출품작은 추가로 진출시킬 수 없습니다.")
    going: list[Entry] = []
    for r in results:
        if r.advances or r.entry_id in include:
            if not r.advances:
                before = _result_snapshot(r)
                r.advances = True
                r.save(update_fields=["advances"])
                _audit(
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
        raise ValidationError("다음 단계로 진출할 출품작이 없습니다.")
    return going


# --- Scoring ---------------------------------------------------------------------------------


def member_for(
    *, stage: Stage, user: AbstractBaseUser, at: datetime | None = None
) -> CommitteeMember:
    """The user's seat on the stage's committee, active today; ValidationError otherwise."""
    seats = list(
        CommitteeMember.objects.filter(committee_id=stage.committee_id, user=user).select_related(
            "user__staff_profile__department"
        )
    )
    if not seats:
        raise ValidationError("이 심사위원회의 위원이 아닙니다.")
    today = _today(at)
    for seat in seats:
        if member_is_active(seat, today):
            return seat
    raise ValidationError("임기가 끝난 위원은 심사할 수 없습니다.")


def _parse_score(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError
    return int(text)


def _sheet_snapshot(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "status": sheet.status,
        "comment": sheet.comment,
        "scores": {
            s.criterion.name: {"value": s.value, "comment": s.comment}
            for s in sheet.scores.select_related("criterion").order_by("criterion__order")
        },
    }


@transaction.atomic
def score_sheet_save(
    *,
    stage: Stage,
    entry: Entry,
    user: AbstractBaseUser,
    scores: Mapping[int, object],
    comments: Mapping[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
    at: datetime | None = None,
) -> ScoreSheet:
    """Save a member's score sheet as a draft, or submit it (every criterion then needed).

    ``scores`` maps criterion id → score (int or digit string; blank = not yet scored).
    Refused, with nothing stored: a stage that is not open (closed: never changed again), a
    user who is not an active member, an entry not assigned or recused, a sheet already
    submitted (one score per member per entry per stage), a score above the maximum or
    below zero. Errors are a ValidationError keyed by criterion id (or ``__all__``)."""
    stage = _locked_stage(stage)
    if stage.status == StageStatus.CLOSED:
        raise ValidationError("마감된 심사 단계에는 점수를 입력하거나 고칠 수 없습니다.")
    if stage.status != StageStatus.OPEN:
        raise ValidationError("아직 시작하지 않은 심사 단계입니다.")
    member = member_for(stage=stage, user=user, at=at)
    if not Assignment.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ValidationError("배정되지 않은 출품작에는 점수를 매길 수 없습니다.")
    if Recusal.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ValidationError("회피한 출품작에는 점수를 매길 수 없습니다.")
    sheet = (
        ScoreSheet.objects.select_for_update()
        .filter(stage=stage, entry=entry, member=member)
        .first()
    )
    if sheet and sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(
            "이미 제출한 심사표입니다. 같은 출품작에 두 번 점수를 매길 수 없습니다."
        )
    criteria = {c.pk: c for c in stage.criteria.all()}
    comments = comments or {}
    errors: dict[str, list[str]] = {}
    values: dict[int, int] = {}
    for key in set(scores) | set(comments):
        if str(key) not in {str(cid) for cid in criteria}:
            errors["__all__"] = ["이 단계의 평가항목이 아닙니다."]
    for cid, crit in criteria.items():
        raw = scores.get(cid, scores.get(str(cid)))  # type: ignore[call-overload]
        try:
            value = _parse_score(raw)
        except ValueError:
            errors[str(cid)] = [f"「{crit.name}」 점수는 숫자(정수)로 입력하세요."]
            continue
        if value is None:
            if submit:
                errors[str(cid)] = [
                    f"「{crit.name}」 점수를 입력하세요. 제출하려면 모든 항목이 필요합니다."
                ]
            continue
        if value < 0 or value > crit.max_score:
            errors[str(cid)] = [
                f"「{crit.name}」 점수는 0점부터 {crit.max_score}점까지 입력할 수 있습니다"
                f"(입력: {value}점)."
            ]
            continue
        values[cid] = value
        note = comments.get(cid, comments.get(str(cid), "")) or ""  # type: ignore[call-overload]
        if len(note) > 500:
            errors[str(cid)] = [f"「{crit.name}」 의견은 500자까지 쓸 수 있습니다."]
    if errors:
        raise ValidationError(errors)
    now = _now(at)
    before = _sheet_snapshot(sheet) if sheet else None
    if sheet is None:
        try:
            with transaction.atomic():
                sheet = ScoreSheet.objects.create(
                    stage=stage, entry=entry, member=member, comment=comment, updated_at=now
                )
        except IntegrityError as exc:  # the same member in another tab, at the same moment
            raise ValidationError(
                "이미 제출한 심사표입니다. 같은 출품작에 두 번 점수를 매길 수 없습니다."
            ) from exc
    sheet.comment = comment
    sheet.updated_at = now
    if submit:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, now
    sheet.save()
    sheet.scores.exclude(criterion_id__in=values).delete()
    for cid, value in values.items():
        note = comments.get(cid, comments.get(str(cid), "")) or ""  # type: ignore[call-overload]
        Score.objects.update_or_create(
            sheet=sheet, criterion_id=cid, defaults={"value": value, "comment": note}
        )
    _audit(
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
    user: AbstractBaseUser,
    reason: str,
    at: datetime | None = None,
) -> Recusal:
    """A member recuses from an assigned entry, with a reason. A draft sheet is withdrawn;
    a submitted one cannot be (the score is already in)."""
    stage = _locked_stage(stage)
    if stage.status != StageStatus.OPEN:
        raise ValidationError("심사 중인 단계에서만 회피할 수 있습니다.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("회피 사유를 입력하세요.")
    member = member_for(stage=stage, user=user, at=at)
    if not Assignment.objects.filter(stage=stage, entry=entry, member=member).exists():
        raise ValidationError("배정되지 않은 출품작입니다.")
    existing = Recusal.objects.filter(stage=stage, entry=entry, member=member).first()
    if existing:
        return existing
    sheet = ScoreSheet.objects.filter(stage=stage, entry=entry, member=member).first()
    before = None
    if sheet:
        if sheet.status == SheetStatus.SUBMITTED:
            raise ValidationError("이미 제출한 심사표가 있어 회피할 수 없습니다.")
        before = _sheet_snapshot(sheet)
        sheet.delete()
    recusal = Recusal.objects.create(
        stage=stage, entry=entry, member=member, reason=reason[:200], created_at=_now(at)
    )
    _audit(
        actor=user,
        round=stage.round,
        action=AuditAction.RECUSED,
        obj=recusal,
        before=before,
        after={"entry": entry.pk, "reason": recusal.reason},
        at=at,
    )
    return recusal


# --- Awards and prize money ------------------------------------------------------------------


@transaction.atomic
def awards_confirm(
    *,
    round: Round,
    by: AbstractBaseUser,
    grades: Mapping[int, str] | None = None,
    at: datetime | None = None,
) -> list[Award]:
    """Confirm the awards of a round from its final stage's results.

    ``grades`` (entry id → grade value, or "" for none) is the committee's decision where
    the results flag a tie, or where it departs from the proposal. Each grade's count may not
    exceed its quota. Every award pays its prize through ``prize_record`` (year = round year,
    source ``("contests.award", award.pk)``) and carries the quota's performance points when
    the owner is a staff member. Apps reading the awards back (``awards_for_source``) must not
    record the same prize again: it is already in the budget ledger."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.confirmed_at:
        raise ValidationError("이미 수상이 확정된 회차입니다.")
    final = rnd.stages.order_by("-order").first()
    if final is None or final.status != StageStatus.CLOSED:
        raise ValidationError("마지막 심사 단계를 마감한 뒤에 수상을 확정할 수 있습니다.")
    grades = {int(k): v for k, v in (grades or {}).items()}
    results = list(
        Result.objects.filter(stage=final)
        .select_related("entry__owner", "entry__department")
        .order_by("rank", "entry_id")
    )
    by_entry = {r.entry_id: r for r in results}
    if set(grades) - set(by_entry):
        raise ValidationError("이 회차의 심사 대상이 아닌 출품작입니다.")
    if any(g not in Grade.values and g != "" for g in grades.values()):
        raise ValidationError("알 수 없는 등급입니다.")
    unresolved = [r.entry.title for r in results if r.tie and r.entry_id not in grades]
    if unresolved:
        raise ValidationError("동점인 출품작의 등급을 정해 주세요: " + ", ".join(unresolved))
    decided = {r.entry_id: grades.get(r.entry_id, r.grade) for r in results}
    quotas = {q.grade: q for q in rnd.quotas.all()}
    for grade in GRADE_ORDER:
        n = sum(1 for g in decided.values() if g == grade)
        limit = quotas[grade].count if grade in quotas else 0
        if n > limit:
            raise ValidationError(f"{GRADE_LABELS[grade]} 수상은 {limit}건까지입니다(선택: {n}건).")
    now = _now(at)
    awards: list[Award] = []
    for r in results:
        grade = decided[r.entry_id]
        if not grade:
            continue
        quota = quotas[grade]
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
                title=f"{rnd.title} {GRADE_LABELS[grade]}: {entry.title}"[:200],
                recipient=entry.owner,
                recipient_name=name or entry.title,
                source_type=AWARD_SOURCE,
                source_id=award.pk,
                at=now,
            )
        _audit(
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
        awards.append(award)
    rnd.confirmed_at, rnd.confirmed_by = now, by
    rnd.save(update_fields=["confirmed_at", "confirmed_by"])
    return awards


def _recipient_key(recipient: AbstractBaseUser | None, recipient_name: str) -> str:
    return f"user:{recipient.pk}" if recipient is not None else f"name:{recipient_name}"[:120]


@transaction.atomic
def prize_record(
    *,
    year: int,
    amount_won: int,
    title: str,
    recipient: AbstractBaseUser | None = None,
    recipient_name: str = "",
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> PrizePayment:
    """Record a prize paid from the year's budget (contest awards, proposal and club prizes,
    창의왕 50,000-won gift certificates). Idempotent per (source_type, source_id, recipient):
    recording again returns the existing row unchanged. ``amount_won`` is integer won — a
    float or a non-positive amount is refused."""
    if isinstance(amount_won, bool) or not isinstance(amount_won, int):
        raise ValidationError("금액은 원 단위 정수로 입력하세요.")
    if amount_won <= 0:
        raise ValidationError("금액은 0원보다 커야 합니다.")
    if recipient is None and not recipient_name.strip():
        raise ValidationError("수령자를 지정하세요.")
    name = recipient_name.strip() or (display_name(recipient) if recipient else "")
    key = {
        "source_type": source_type,
        "source_id": source_id,
        "recipient_key": _recipient_key(recipient, name),
    }
    existing = PrizePayment.objects.filter(**key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            payment = PrizePayment.objects.create(
                **key,
                year=year,
                amount_won=amount_won,
                title=title[:200],
                recipient=recipient,
                recipient_name=name[:100],
                paid_at=_now(at),
            )
    except IntegrityError:
        return PrizePayment.objects.get(**key)
    _audit(
        actor=None,
        round=None,
        action=AuditAction.PRIZE_RECORDED,
        obj=payment,
        after={"year": year, "amount_won": amount_won, "title": payment.title, "to": name},
        at=at,
    )
    return payment


@transaction.atomic
def budget_set(*, year: int, amount_won: int) -> PrizeBudget:
    """Set the year's prize budget (31,945,000 won in 2016)."""
    if isinstance(amount_won, bool) or not isinstance(amount_won, int) or amount_won < 0:
        raise ValidationError("예산은 0 이상의 원 단위 정수로 입력하세요.")
    budget, _ = PrizeBudget.objects.update_or_create(year=year, defaults={"amount_won": amount_won})
    return budget
