"""Reads of the contests app: what other apps ask (awards of a source, the budget) and
what the review, results and budget pages show."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import calculations as calc
from .models import (
    Assignment,
    AuditEntry,
    Award,
    Committee,
    CommitteeMember,
    Entry,
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
from .services import member_is_active, member_totals


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
    problems against SPEC §5 (counted over the active members)."""
    on = on or timezone.localdate()
    members = CommitteeMember.objects.select_related(
        "user__staff_profile__department__bureau"
    ).order_by("role", "id")
    out = []
    for c in Committee.objects.prefetch_related(Prefetch("members", queryset=members)):
        all_members = list(c.members.all())
        active = [m for m in all_members if member_is_active(m, on)]
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

    def per_stage(qs: QuerySet) -> dict[int, int]:
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


def open_stages_for(user: AbstractBaseUser) -> list[Stage]:
    """Open stages whose committee has the user as an active member."""
    today = timezone.localdate()
    seats = CommitteeMember.objects.filter(user=user, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    return list(
        Stage.objects.filter(status=StageStatus.OPEN, committee__members__in=seats)
        .select_related("round", "committee")
        .distinct()
        .order_by("round__year", "round_id", "order")
    )


def closed_stages_for(user: AbstractBaseUser, limit: int = 20) -> list[Stage]:
    """Recently closed stages the user sat on (their results are open to the committee)."""
    return list(
        Stage.objects.filter(status=StageStatus.CLOSED, assignments__member__user=user)
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


def stage_results(*, stage: Stage) -> list[ResultRow]:
    """The results of a closed stage with each member's weighted total (— for recused or
    unsubmitted). Callers check the stage is closed before showing this."""
    totals = member_totals(stage=stage)
    members = list(
        CommitteeMember.objects.filter(assignments__stage=stage)
        .select_related("user")
        .distinct()
        .order_by("role", "id")
    )
    recused = set(Recusal.objects.filter(stage=stage).values_list("entry_id", "member_id"))
    rows = []
    for r in (
        Result.objects.filter(stage=stage)
        .select_related("entry__owner", "entry__department")
        .order_by("rank", "entry_id")
    ):
        per = []
        for m in members:
            t = totals.get(r.entry_id, {}).get(m.pk)
            note = "회피" if (r.entry_id, m.pk) in recused else ("" if t is not None else "미제출")
            per.append((m, t, note))
        rows.append(ResultRow(r, per))
    return rows


def stage_members(*, stage: Stage) -> list[CommitteeMember]:
    return list(
        CommitteeMember.objects.filter(assignments__stage=stage)
        .select_related("user")
        .distinct()
        .order_by("role", "id")
    )


def submitted_sheets(*, stage: Stage) -> QuerySet[ScoreSheet]:
    return (
        ScoreSheet.objects.filter(stage=stage, status=SheetStatus.SUBMITTED)
        .select_related("entry", "member__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("entry_id", "member_id")
    )


def round_awards(*, round: Round) -> QuerySet[Award]:
    return (
        Award.objects.filter(round=round)
        .select_related("entry__department", "entry__owner")
        .prefetch_related("recipients")
        .order_by("grade", "id")
    )


def audit_for_round(*, round: Round) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(round=round).select_related("actor").order_by("-at", "-id")


def performance_point_awards(*, year: int) -> QuerySet[Award]:
    """Awards of the year that carry performance points 성과포인트 (staff owners only), for
    the 총무과 roster; counted at 10% as the 서열명부 실적가점."""
    return (
        Award.objects.filter(round__year=year, performance_points__gt=0, entry__owner__isnull=False)
        .select_related("round", "entry__owner__staff_profile__department")
        .order_by("entry__owner__last_name", "entry__owner__first_name", "round_id")
    )
