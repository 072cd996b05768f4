"""Reads of the contests app: what other apps ask (awards of a source, the budget) and
what the review, results and budget pages show."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import ServiceError
from org.models import Department

from . import calculations as calc
from .models import (
    CASE_SOURCE,
    GRADE_ORDER,
    Assignment,
    AuditAction,
    AuditEntry,
    Award,
    AwardQuota,
    Committee,
    CommitteeMember,
    Criterion,
    Entry,
    Grade,
    PrizeBudget,
    PrizePayment,
    Recusal,
    Result,
    Round,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
    StageStatus,
)


def active_members(committee: Committee, on: date) -> list[CommitteeMember]:
    """The committee's members whose term covers ``on``."""
    members = committee.members.select_related("user__staff_profile__department")
    return [m for m in members if m.is_active_on(on)]


def member_for(
    *, stage: Stage, user: AbstractBaseUser | AnonymousUser, on: date | None = None
) -> CommitteeMember:
    """The user's seat on the stage's committee, active on the day (today by default);
    a ServiceError when the user has none."""
    if user.pk is None:
        raise ServiceError(_("이 심사위원회의 위원이 아닙니다."), code="forbidden")
    seats = list(
        CommitteeMember.objects.filter(
            committee_id=stage.committee_id, user_id=user.pk
        ).select_related("user__staff_profile__department")
    )
    if not seats:
        raise ServiceError(_("이 심사위원회의 위원이 아닙니다."), code="forbidden")
    day = on or timezone.localdate()
    for seat in seats:
        if seat.is_active_on(day):
            return seat
    raise ServiceError(_("임기가 끝난 위원은 심사할 수 없습니다."), code="forbidden")


def member_totals(
    *, stage: Stage, entry_ids: list[int] | None = None
) -> dict[int, dict[int, Decimal]]:
    """{entry id: {member id: weighted total}} over the stage's submitted sheets (of the
    given entries only, when ``entry_ids`` is given), on the stage's rubric.

    The rubric (a few criteria) is read on its own and the scores without joining it: on a
    page of 50 entries × 10 members the join probed the criterion once per score (2,500
    times), half of the statement's time (6.1 -> 3.2 ms on the bench). A (criterion, value)
    pair comes back thousands of times but has at most a few hundred kinds: one
    ``CriterionScore`` each."""
    rubric = {
        pk: (max_score, weight)
        for pk, max_score, weight in Criterion.objects.filter(stage_id=stage.pk).values_list(
            "id", "max_score", "weight"
        )
    }
    scores = Score.objects.filter(sheet__stage_id=stage.pk, sheet__status=SheetStatus.SUBMITTED)
    if entry_ids is not None:
        scores = scores.filter(sheet__entry_id__in=entry_ids)
    rows = scores.order_by("sheet__entry_id", "sheet__member_id", "criterion_id").values_list(
        "sheet__entry_id", "sheet__member_id", "criterion_id", "value"
    )
    kinds: dict[tuple[int, int], calc.CriterionScore] = {}
    grouped: dict[tuple[int, int], list[calc.CriterionScore]] = {}
    for entry_id, member_id, criterion_id, value in rows:
        score = kinds.get((criterion_id, value))
        if score is None:
            max_score, weight = rubric[criterion_id]
            score = kinds[criterion_id, value] = calc.CriterionScore(value, max_score, weight)
        grouped.setdefault((entry_id, member_id), []).append(score)
    out: dict[int, dict[int, Decimal]] = {}
    for (entry_id, member_id), criterion_scores in grouped.items():
        out.setdefault(entry_id, {})[member_id] = calc.weighted_total(criterion_scores)
    return out


def awards_for_source(*, source_type: str, source_id: int) -> QuerySet[Award]:
    """The confirmed awards won by a source (e.g. ``("proposals.proposal", 42)``) in any
    round, with round, entry and recipients loaded. Empty when it won nothing."""
    return (
        Award.objects.filter(entry__source_type=source_type, entry__source_id=source_id)
        .select_related("round", "entry")
        .prefetch_related("recipients__user")
        .order_by("-round__year", "round_id")
    )


@dataclass(frozen=True)
class BudgetSummary:
    year: int
    budget_won: int  # 0 when no budget is set for the year
    spent_won: int
    left_won: int
    payments: int


def budget_summary(*, year: int) -> BudgetSummary:
    """The year's prize budget, what the recorded prizes spent, and what is left (integer
    won; ``left_won`` goes negative when prizes overrun the budget)."""
    budget = PrizeBudget.objects.filter(year=year).values_list("amount_won", flat=True).first()
    agg = PrizePayment.objects.filter(year=year).aggregate(
        spent=Coalesce(Sum("amount_won"), 0), n=Count("id")
    )
    budget_won = int(budget or 0)
    spent = int(agg["spent"])
    return BudgetSummary(year, budget_won, spent, budget_won - spent, agg["n"])


def award_counts(*, years: list[int]) -> dict[tuple[int, str], int]:
    """{(round year, grade): confirmed awards} of every kind of round, in one query."""
    rows = (
        Award.objects.filter(round__year__in=years)
        .values("round__year", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["round__year"], row["grade"]): row["n"] for row in rows}


def payments_for_year(*, year: int) -> QuerySet[PrizePayment]:
    return (
        PrizePayment.objects.filter(year=year)
        .select_related("recipient")
        .order_by("-paid_at", "-id")
    )


# --- Committees ------------------------------------------------------------------------------


@dataclass
class CommitteeView:
    committee: Committee
    members: list[CommitteeMember]
    active: list[CommitteeMember]
    problems: list[str] = field(default_factory=list)


def _seat(m: CommitteeMember) -> calc.Seat:
    profile = getattr(m.user, "staff_profile", None)
    dept = profile.department if profile else None
    years = None
    if m.term_end:
        years = (m.term_end - m.term_start).days / 365.25
    return calc.Seat(
        role=m.role,
        kind=m.kind,
        position=profile.position if profile else None,
        bureau=dept.bureau.name if dept else None,
        term_years=years,
    )


def committees_overview(*, on: date | None = None) -> list[CommitteeView]:
    """Every committee with its members, who is active on the day, and the composition
    problems (``calc.composition_problems``, counted over the active members)."""
    on = on or timezone.localdate()
    members = CommitteeMember.objects.select_related(
        "user__staff_profile__department__bureau"
    ).order_by("role", "id")
    out = []
    for c in Committee.objects.prefetch_related(Prefetch("members", queryset=members)):
        all_members = list(c.members.all())
        active = [m for m in all_members if m.is_active_on(on)]
        out.append(
            CommitteeView(
                c,
                all_members,
                active,
                calc.composition_problems(c.kind, [_seat(m) for m in active]),
            )
        )
    return out


# --- Rounds and review -----------------------------------------------------------------------


def rounds_list() -> QuerySet[Round]:
    return Round.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.select_related("committee").order_by("order"))
    ).annotate(entry_count=Count("entries", distinct=True))


def stage_progress(*, round: Round) -> dict[int, tuple[int, int, int]]:
    """{stage id: (assignments, submitted sheets, recusals)}: counts only, no scores."""

    def per_stage(qs: QuerySet[Any]) -> dict[int, int]:
        return dict(qs.values("stage_id").annotate(n=Count("id")).values_list("stage_id", "n"))

    assigned = per_stage(Assignment.objects.filter(stage__round=round))
    submitted = per_stage(
        ScoreSheet.objects.filter(stage__round=round, status=SheetStatus.SUBMITTED)
    )
    recused = per_stage(Recusal.objects.filter(stage__round=round))
    return {
        sid: (assigned.get(sid, 0), submitted.get(sid, 0), recused.get(sid, 0))
        for sid in set(assigned) | set(submitted) | set(recused)
    }


def rounds_accepting_cases() -> list[Round]:
    """Best-practice contests whose first stage has not started: departments file cases."""
    rounds = Round.objects.filter(kind="best_practice", confirmed_at__isnull=True).prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("order"))
    )
    return [r for r in rounds if r.stages.all() and r.stages.all()[0].status == StageStatus.PENDING]


def open_stages_for(user: User | AnonymousUser) -> list[Stage]:
    """Open stages whose committee has the user as an active member."""
    if user.pk is None:
        return []
    today = timezone.localdate()
    seats = CommitteeMember.objects.filter(user_id=user.pk, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    return list(
        Stage.objects.filter(status=StageStatus.OPEN, committee__members__in=seats)
        .select_related("round", "committee")
        .distinct()
        .order_by("round__year", "round_id", "order")
    )


def closed_stages_for(user: User | AnonymousUser, limit: int = 20) -> list[Stage]:
    """Recently closed stages the user sat on (their results are open to the committee)."""
    if user.pk is None:
        return []
    return list(
        Stage.objects.filter(status=StageStatus.CLOSED, assignments__member__user_id=user.pk)
        .select_related("round", "committee")
        .distinct()
        .order_by("-closed_at")[:limit]
    )


@dataclass
class ReviewRow:
    entry: Entry
    sheet: ScoreSheet | None
    recusal: Recusal | None


def review_queue(*, stage: Stage, member: CommitteeMember) -> list[ReviewRow]:
    """The member's assigned entries in the stage with their own sheet and recusal only —
    never another member's scores."""
    assignments = (
        Assignment.objects.filter(stage=stage, member=member)
        .select_related("entry__owner", "entry__department")
        .order_by("entry_id")
    )
    sheets = {s.entry_id: s for s in ScoreSheet.objects.filter(stage=stage, member=member)}
    recusals = {r.entry_id: r for r in Recusal.objects.filter(stage=stage, member=member)}
    return [
        ReviewRow(a.entry, sheets.get(a.entry_id), recusals.get(a.entry_id)) for a in assignments
    ]


def own_sheet(*, stage: Stage, entry: Entry, member: CommitteeMember) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(stage=stage, entry=entry, member=member)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )


@dataclass
class ResultRow:
    result: Result
    totals: list[tuple[CommitteeMember, Decimal | None, str]]  # member, total, note


def stage_results(
    *,
    stage: Stage,
    results: list[Result] | None = None,
    members: list[CommitteeMember] | None = None,
) -> list[ResultRow]:
    """The results of a closed stage (or the given page of them) with each member's weighted
    total (— for recused or unsubmitted), in the order of ``members`` (``stage_members``
    when not given). Refused while the stage is not closed: nobody sees scores of an open
    stage."""
    if stage.status != StageStatus.CLOSED:
        raise ServiceError(
            _("심사가 마감된 뒤에 결과와 다른 위원의 점수를 볼 수 있습니다."), code="state"
        )
    if results is None:
        results = list(
            stage_result_rows(stage=stage).select_related("entry__owner", "entry__department")
        )
    totals, recused = _closed_stage_cells(stage, [r.entry_id for r in results])
    if members is None:
        members = stage_members(stage=stage)
    # The notes translated once, not once per cell (500 cells on a page).
    recused_note, missing_note = _("회피"), _("미제출")
    rows = []
    for r in results:
        per = []
        entry_totals = totals.get(r.entry_id, {})
        for m in members:
            t = entry_totals.get(m.pk)
            note = (
                recused_note
                if (r.entry_id, m.pk) in recused
                else ("" if t is not None else missing_note)
            )
            per.append((m, t, note))
        rows.append(ResultRow(r, per))
    return rows


# The members' totals of a closed stage are kept this long (a safety net: see below).
CELLS_SECONDS = 60 * 60
# Change the number when what is kept changes shape.
_CELLS_PREFIX = "contests:cells:1"


def _closed_stage_cells(
    stage: Stage, entry_ids: list[int]
) -> tuple[dict[int, dict[int, Decimal]], set[tuple[int, int]]]:
    """``member_totals`` of the given entries and their recusals (entry id, member id), kept
    in the cache (Redis in production) under the stage's close: every reader of a results
    page asks for the same 50 entries × 10 members, and their 2,500 scores were a third of
    the page's time at city scale (issue 14).

    The scores, sheets, recusals and rubric of a closed stage cannot change: the services
    refuse them unless the stage is open, and the admin has no score pages and a read-only
    rubric once a stage opens. Changing them means reopening the stage, which clears
    ``closed_at``, and closing it again gives a new one: the key never comes back, so a kept
    value is never stale. What changes without the services (raw SQL on a closed stage) is
    seen within ``CELLS_SECONDS``."""
    closed = stage.closed_at.isoformat() if stage.closed_at else "-"
    digest = hashlib.blake2b(",".join(map(str, entry_ids)).encode(), digest_size=12).hexdigest()
    key = f"{_CELLS_PREFIX}:{stage.pk}:{closed}:{digest}"
    kept = cache.get(key)
    if kept is not None:
        return cast(tuple[dict[int, dict[int, Decimal]], set[tuple[int, int]]], kept)
    totals = member_totals(stage=stage, entry_ids=entry_ids)
    recused = set(
        Recusal.objects.filter(stage_id=stage.pk, entry_id__in=entry_ids).values_list(
            "entry_id", "member_id"
        )
    )
    cache.set(key, (totals, recused), CELLS_SECONDS)
    return totals, recused


def stage_members(*, stage: Stage) -> list[CommitteeMember]:
    """The members given entries in the stage (seats of its committee, a few), found with one
    EXISTS per seat rather than a DISTINCT over every assignment of a city-wide stage."""
    assigned = Assignment.objects.filter(stage_id=stage.pk, member_id=OuterRef("pk"))
    return list(
        CommitteeMember.objects.filter(committee_id=stage.committee_id)
        .filter(Exists(assigned))
        .select_related("user")
        .order_by("role", "id")
    )


@dataclass(frozen=True)
class SheetRow:
    entry_id: int
    member_id: int
    entry_title: str
    member_name: str
    comment: str
    submitted_at: datetime | None
    values: dict[int, int]  # criterion id -> score


def submitted_sheets(*, stage: Stage) -> list[SheetRow]:
    """The stage's submitted sheets as plain rows (the export of a city-wide stage reads
    30,000 scores: values, not model instances)."""
    values: dict[int, dict[int, int]] = {}
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet__stage=stage, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet_id", "criterion_id", "value"):
        values.setdefault(sheet_id, {})[criterion_id] = value
    sheets = (
        ScoreSheet.objects.filter(stage=stage, status=SheetStatus.SUBMITTED)
        .order_by("entry_id", "member_id")
        .values_list(
            "id",
            "entry_id",
            "member_id",
            "entry__title",
            "member__user__last_name",
            "member__user__first_name",
            "member__user__username",
            "comment",
            "submitted_at",
        )
    )
    return [
        SheetRow(
            eid, mid, title, f"{last}{first}".strip() or username, comment, at, values.get(sid, {})
        )  # fmt: skip
        for sid, eid, mid, title, last, first, username, comment, at in sheets
    ]


def round_awards(*, round: Round) -> QuerySet[Award]:
    """The round's awards, best grade first (최우수, 우수, 장려)."""
    return (
        Award.objects.filter(round=round)
        .select_related("entry__department", "entry__owner")
        .prefetch_related("recipients")
        .order_by(grade_ordering(), "id")
    )


def audit_for_round(*, round: Round) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(round=round).select_related("actor").order_by("-at", "-id")


def performance_point_awards(*, year: int) -> QuerySet[Award]:
    """Awards of the year that carry performance points 성과포인트 (staff owners only), for
    the 총무과 roster (counted at ``calc.ROSTER_BONUS_RATE`` as the 서열명부 실적가점)."""
    return (
        Award.objects.filter(round__year=year, performance_points__gt=0, entry__owner__isnull=False)
        .select_related("round", "entry__owner__staff_profile__department")
        .order_by("entry__owner__last_name", "entry__owner__first_name", "round_id")
    )


def grade_ordering() -> Case:
    """SQL ordering of grades best first (최우수, 우수, 장려), not alphabetical."""
    return Case(
        *(When(grade=g, then=Value(i)) for i, g in enumerate(GRADE_ORDER)),
        default=Value(len(GRADE_ORDER)),
        output_field=IntegerField(),
    )


# --- Round page ------------------------------------------------------------------------------


@dataclass
class StageRow:
    stage: Stage
    assigned: int
    submitted: int
    recused: int


def round_stages(*, round: Round) -> list[StageRow]:
    """The round's stages in order with their progress counts (never scores)."""
    stages = round.stages.select_related("committee").prefetch_related("criteria").order_by("order")
    progress = stage_progress(round=round)
    return [StageRow(s, *progress.get(s.pk, (0, 0, 0))) for s in stages]


def round_entries(*, round: Round) -> QuerySet[Entry]:
    return Entry.objects.filter(round=round).select_related("owner", "department").order_by("id")


def round_quotas(*, round: Round) -> list[AwardQuota]:
    return sorted(round.quotas.all(), key=lambda q: calc.grade_position(q.grade))


@dataclass(frozen=True)
class StageCounts:
    """What closing a stage means, in numbers: sheets expected (assignments less recusals),
    submitted, drafts that will not count, and members who have not submitted everything."""

    expected: int
    submitted: int
    drafts: int
    recused: int
    members_missing: int

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted, 0)


def stage_counts(*, stage: Stage) -> StageCounts:
    assigned = Assignment.objects.filter(stage=stage).count()
    recusals = Recusal.objects.filter(stage=stage)
    recused = recusals.count()
    sheets = dict(
        ScoreSheet.objects.filter(stage=stage)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    done = Count("member_id", filter=Q(status=SheetStatus.SUBMITTED))
    per_member = dict(
        ScoreSheet.objects.filter(stage=stage)
        .values("member_id")
        .annotate(n=done)
        .values_list("member_id", "n")
    )
    owed = dict(
        Assignment.objects.filter(stage=stage)
        .exclude(
            Exists(
                Recusal.objects.filter(
                    stage=stage, entry_id=OuterRef("entry_id"), member_id=OuterRef("member_id")
                )
            )
        )
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    missing = sum(1 for mid, n in owed.items() if per_member.get(mid, 0) < n)
    return StageCounts(
        expected=assigned - recused,
        submitted=sheets.get(SheetStatus.SUBMITTED, 0),
        drafts=sheets.get(SheetStatus.DRAFT, 0),
        recused=recused,
        members_missing=missing,
    )


def final_results(*, stage: Stage) -> list[Result]:
    return list(
        Result.objects.filter(stage=stage)
        .select_related("entry__owner", "entry__department")
        .order_by("rank", "entry_id")
    )


@dataclass(frozen=True)
class AwardsSummary:
    """What confirming will record: awards per grade and the prize money in all."""

    per_grade: list[tuple[str, int, int]]  # label, count, prize money
    count: int
    prize_won: int


def awards_summary(*, grades: dict[int, str], quotas: list[AwardQuota]) -> AwardsSummary:
    prizes = {q.grade: q.prize_won for q in quotas}
    per_grade = []
    for grade in GRADE_ORDER:
        n = sum(1 for g in grades.values() if g == grade)
        if n:
            per_grade.append((str(Grade(grade).label), n, n * prizes.get(grade, 0)))
    return AwardsSummary(
        per_grade, sum(n for _l, n, _p in per_grade), sum(p for _l, _n, p in per_grade)
    )


def department_case(*, round: Round, department: Department | None) -> Entry | None:
    """The case the department filed in the round, if any."""
    if department is None:
        return None
    return Entry.objects.filter(
        round=round, source_type=CASE_SOURCE, source_id=department.pk
    ).first()


# --- Results pages ---------------------------------------------------------------------------


def stage_result_rows(*, stage: Stage) -> QuerySet[Result]:
    """A closed stage's results in rank order (to paginate), with their entries (the page
    shows the title; the export adds owner and department)."""
    return (
        Result.objects.filter(stage=stage)
        .select_related("entry")
        .order_by(F("rank").asc(nulls_last=True), "entry_id")
    )


def stages_for_results() -> QuerySet[Stage]:
    """Stages with their round and committee and, in the same statement, what the results
    page asks of them besides the rows: ``has_tie`` (a result of the stage is tied) and
    ``next_status``, the status of the round's next stage (None on the final stage)."""
    following = Stage.objects.filter(
        round_id=OuterRef("round_id"), order__gt=OuterRef("order")
    ).order_by("order")
    return Stage.objects.select_related("round", "committee").annotate(
        has_tie=Exists(Result.objects.filter(stage_id=OuterRef("pk"), tie=True)),
        next_status=Subquery(following.values("status")[:1]),
    )


# --- The audit log in words ------------------------------------------------------------------

SCORE_ACTIONS = frozenset(
    {AuditAction.SCORE_SAVED, AuditAction.SCORE_SUBMITTED, AuditAction.RECUSED}
)
OBJECT_LABELS = {
    m._meta.model_name: m._meta.verbose_name
    for m in (ScoreSheet, Recusal, Stage, Result, Award, PrizePayment, Entry)
}
VALUE_LABELS = {
    "status": gettext_lazy("상태"),
    "comment": gettext_lazy("종합 의견"),
    "mean": gettext_lazy("평균"),
    "rank": gettext_lazy("순위"),
    "advances": gettext_lazy("다음 단계 진출"),
    "grade": gettext_lazy("등급"),
    "proposed_grade": gettext_lazy("제안 등급"),
    "tie": gettext_lazy("동점"),
    "entry": gettext_lazy("출품작 번호"),
    "prize_won": gettext_lazy("상금(원)"),
    "performance_points": gettext_lazy("성과포인트"),
    "reason": gettext_lazy("사유"),
    "closed_at": gettext_lazy("마감 일시"),
    "title": gettext_lazy("제목"),
    "summary": gettext_lazy("요지"),
    "file": gettext_lazy("파일"),
    "year": gettext_lazy("연도"),
    "amount_won": gettext_lazy("금액(원)"),
    "to": gettext_lazy("수령자"),
}
_STATUS_LABELS = {**dict(SheetStatus.choices), **dict(StageStatus.choices)}


def _word(key: str, value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return str(_("예") if value else _("아니오"))
    if key in ("grade", "proposed_grade"):
        return str(Grade(value).label) if value in Grade.values else str(value)
    if key == "status":
        return str(_STATUS_LABELS.get(value, value))
    if isinstance(value, int) and key in ("prize_won", "amount_won"):
        return f"{value:,}"
    return str(value)


def audit_lines(values: Any) -> list[str]:
    """An audit entry's before/after values as Korean lines: one per criterion for a score
    sheet ("창의성: 9점 — 의견"), "label: value" for the rest. Pure (no database)."""
    if not isinstance(values, dict):
        return [] if values in (None, "") else [str(values)]
    lines: list[str] = []
    for name, score in (values.get("scores") or {}).items():
        text = _("%(name)s: %(value)s점") % {"name": name, "value": score.get("value")}
        if score.get("comment"):
            text += f" — {score['comment']}"
        lines.append(text)
    for key, value in values.items():
        if key == "scores":
            continue
        lines.append(f"{VALUE_LABELS.get(key, key)}: {_word(key, value)}")
    return lines


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    object_label: str
    hidden: bool
    before: list[str]
    after: list[str]


def audit_rows(entries: Iterable[AuditEntry], *, show_scores: bool) -> list[AuditRow]:
    """The page's audit entries in words; score values hidden unless ``show_scores`` (the
    rule ``contests.view_audit_values``: no open stage in the round)."""
    rows = []
    for a in entries:
        hidden = not show_scores and a.action in SCORE_ACTIONS
        rows.append(
            AuditRow(
                a,
                f"{OBJECT_LABELS.get(a.object_type, a.object_type)} #{a.object_id}",
                hidden,
                [] if hidden else audit_lines(a.before),
                [] if hidden else audit_lines(a.after),
            )
        )
    return rows


def rounds_in_progress(*, limit: int = 5) -> list[Round]:
    """Rounds with a stage open for scoring now, soonest end first (the home page)."""
    return list(
        Round.objects.filter(stages__status=StageStatus.OPEN, confirmed_at__isnull=True)
        .distinct()
        .order_by("ends_on", "pk")[:limit]
    )
