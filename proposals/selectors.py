"""Reads of the proposals app: lists, the status lookup, duplicates, statistics, HR export."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from board.textsim import DUPLICATE_THRESHOLD, normalized_similarity
from org.models import display_name

from . import calculations as calc
from .calculations import Status
from .models import (
    BenchmarkCase,
    Channel,
    Evaluation,
    HistoricalStatistic,
    PersonalDataAccess,
    Proposal,
    ProposalEvent,
    ProposerKind,
    ThemeRound,
    ThemeTask,
)


def proposal_list(
    *,
    kind: str = "",
    status: str = "",
    channel: str = "",
    author: AbstractBaseUser | None = None,
) -> QuerySet[Proposal]:
    """Proposals for the staff/admin list; one query whatever the page size."""
    rows = Proposal.objects.select_related(
        "author", "department", "theme_task__round", "linked_to", "similar_to"
    ).defer("normalized_text", "current_problem", "content", "expected_effect", "answer")
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if author is not None:
        rows = rows.filter(author=author)
    return rows.order_by("-received_at", "-id")


def is_overdue(proposal: Proposal, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return calc.is_overdue(
        status=proposal.status,
        received_on=proposal.received_on,
        paused_days=proposal.paused_days,
        paused_since=proposal.paused_since,
        today=today,
    )


def decision_due(proposal: Proposal, today: date | None = None) -> date:
    today = today or timezone.localdate()
    paused = calc.paused_days_total(proposal.paused_days, proposal.paused_since, today)
    return calc.decision_due(proposal.received_on, paused)


def overdue_proposals(*, today: date | None = None) -> list[Proposal]:
    """Proposals still without a review result after their deadline (처리기한 경과)."""
    today = today or timezone.localdate()
    open_rows = proposal_list().filter(status__in=[Status.RECEIVED, Status.REVIEWING])
    # A month plus pauses: anything received within the last month cannot be overdue.
    cutoff = calc.add_months(today, -1)
    bound = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=timezone.get_current_timezone())
    return [p for p in open_rows.filter(received_at__lt=bound) if is_overdue(p, today)]


def proposal_detail(*, pk: int) -> Proposal:
    return (
        Proposal.objects.select_related(
            "author", "department", "theme_task__round", "linked_to", "registered_by",
            "evaluation",
        )
        .prefetch_related(
            Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
            Prefetch("linked", queryset=Proposal.objects.only("id", "receipt_number", "title",
                                                             "linked_to", "link_kind")),
        )
        .get(pk=pk)
    )  # fmt: skip


def proposal_by_receipt(*, receipt_number: str, contact: str) -> Proposal | None:
    """The status lookup of the public page: the receipt number and the contact given must
    both match a resident proposal, else None (never tell which one was wrong)."""
    if calc.parse_receipt(receipt_number) is None:
        return None
    proposal = (
        Proposal.objects.filter(
            receipt_number=receipt_number.strip().upper(),
            kind=ProposerKind.RESIDENT,
            anonymized_at__isnull=True,
        )
        .prefetch_related("events")
        .first()
    )
    if proposal is None:
        return None
    if not calc.contact_matches(given=contact, phone=proposal.phone, email=proposal.email):
        return None
    return proposal


@dataclass(frozen=True)
class DuplicateCandidate:
    proposal: Proposal
    score: float
    adopted: bool


ADOPTED_STATES = (Status.ADOPTED, Status.AWARDED, Status.IMPLEMENTED)
# The SQLite path compares in Python against this many recent proposals.
SQLITE_DUPLICATE_SCAN = 20_000


def duplicate_candidates(*, proposal: Proposal, limit: int = 5) -> list[DuplicateCandidate]:
    """Earlier-received proposals, and adopted ones of any time, that look like this one
    (board.textsim, Korean-aware: nouns compared, particles and spacing ignored). The earlier
    one keeps the priority.

    PostgreSQL: pg_trgm's ``%`` on the stored key through a GIN index (migration 0005).
    SQLite: the same measure in Python over the most recent proposals."""
    if not proposal.normalized_text:
        return []
    key = proposal.normalized_text
    rows = (
        Proposal.objects.exclude(pk=proposal.pk)
        .filter(Q(received_at__lte=proposal.received_at) | Q(status__in=ADOPTED_STATES))
        .only("id", "receipt_number", "title", "status", "kind", "received_at", "normalized_text")
    )
    if connection.vendor == "postgresql":
        found = [
            DuplicateCandidate(p, p.score, p.status in ADOPTED_STATES)
            for p in rows.annotate(score=TrigramSimilarity("normalized_text", key))
            .filter(normalized_text__trigram_similar=key, score__gte=DUPLICATE_THRESHOLD)
            .order_by("-score", "received_at")[:limit]
        ]
        return found
    found = []
    for other in rows.order_by("-received_at")[:SQLITE_DUPLICATE_SCAN]:
        score = normalized_similarity(key, other.normalized_text)
        if score >= DUPLICATE_THRESHOLD:
            found.append(DuplicateCandidate(other, score, other.status in ADOPTED_STATES))
    found.sort(key=lambda c: (-c.score, c.proposal.received_at))
    return found[:limit]


def access_log(*, limit: int = 200) -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.select_related("actor", "proposal").order_by("-at", "-id")[
        :limit
    ]


# --- Theme rounds and benchmarking ------------------------------------------------------------


def theme_rounds() -> QuerySet[ThemeRound]:
    return ThemeRound.objects.annotate(
        task_count=Count("tasks", distinct=True),
        proposal_count=Count("tasks__proposals", distinct=True),
    ).order_by("-opens_on")


def theme_round_detail(*, pk: int) -> ThemeRound:
    return ThemeRound.objects.prefetch_related(
        Prefetch(
            "tasks",
            queryset=ThemeTask.objects.select_related("department").annotate(
                proposal_count=Count("proposals")
            ),
        )
    ).get(pk=pk)


def open_theme_tasks(*, today: date | None = None) -> QuerySet[ThemeTask]:
    today = today or timezone.localdate()
    return ThemeTask.objects.select_related("round", "department").filter(
        round__opens_on__lte=today, round__closes_on__gte=today
    )


def benchmark_cases(*, department_id: int | None = None) -> QuerySet[BenchmarkCase]:
    rows = BenchmarkCase.objects.select_related("department", "registered_by", "reviewed_by")
    if department_id:
        rows = rows.filter(department_id=department_id)
    return rows.order_by("-registered_at", "-id")


# --- Statistics ----------------------------------------------------------------------------------


@dataclass
class HalfYearStats:
    """Proposals of one half-year (half 0: a year known only as a total, e.g. 2014)."""

    year: int
    half: int
    total: int
    residents: int | None
    staff: int | None
    by_channel: dict[str, int] = field(default_factory=dict)
    awards: dict[str, int | None] = field(default_factory=dict)
    source: str = "live"  # "history": figures from before the portal

    @property
    def label(self) -> str:
        return f"{self.year}년 " + {0: "연간", 1: "상반기", 2: "하반기"}[self.half]


def half_year_statistics(*, year: int) -> list[HalfYearStats]:
    """Per half-year of ``year``: proposals by proposer (resident / staff) and channel,
    awards per grade. Seeded history (HistoricalStatistic) wins for the halves it covers;
    other halves are counted from the proposals. A year known only as a total (2014) gives
    one entry with half 0. Three queries whatever the data size."""
    return statistics_by_year(years=[year])[0][1]


def _history_stats(h: HistoricalStatistic) -> HalfYearStats:
    awards = {"grand": h.grand, "excellent": h.excellent, "merit": h.merit}
    return HalfYearStats(h.year, h.half, h.total, h.residents, h.staff, {}, awards, "history")


def statistics_by_year(*, years: list[int]) -> list[tuple[int, list[HalfYearStats]]]:
    """:func:`half_year_statistics` for many years in three queries: the live counts are one
    grouped scan over the received-at index for the whole span."""
    years = sorted(set(years))
    if not years:
        return []
    history: dict[int, dict[int, HistoricalStatistic]] = defaultdict(dict)
    for h in HistoricalStatistic.objects.filter(year__in=years):
        history[h.year][h.half] = h
    tz = timezone.get_current_timezone()
    in_span = Proposal.objects.filter(
        received_at__gte=datetime(years[0], 1, 1, tzinfo=tz),
        received_at__lt=datetime(years[-1] + 1, 1, 1, tzinfo=tz),
    )
    counts: dict[tuple[int, int], dict[tuple[str, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for row in (
        in_span.values("received_at__year", "received_at__month", "kind", "channel")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["received_at__year"], 1 if row["received_at__month"] <= 6 else 2)
        counts[key][(row["kind"], row["channel"])] += row["n"]
    awards: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        in_span.exclude(grade="")
        .values("received_at__year", "received_at__month", "grade")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["received_at__year"], 1 if row["received_at__month"] <= 6 else 2)
        awards[key][row["grade"]] += row["n"]
    result: list[tuple[int, list[HalfYearStats]]] = []
    for year in years:
        known = history.get(year, {})
        if 0 in known and not ({1, 2} & known.keys()):
            result.append((year, [_history_stats(known[0])]))
            continue
        halves = []
        for half in (1, 2):
            if half in known:
                halves.append(_history_stats(known[half]))
                continue
            by_kind: dict[str, int] = defaultdict(int)
            by_channel: dict[str, int] = defaultdict(int)
            for (kind, channel), n in counts[(year, half)].items():
                by_kind[kind] += n
                by_channel[channel] += n
            halves.append(
                HalfYearStats(
                    year=year,
                    half=half,
                    total=sum(by_kind.values()),
                    residents=by_kind[ProposerKind.RESIDENT],
                    staff=by_kind[ProposerKind.STAFF],
                    by_channel={c.value: by_channel.get(c.value, 0) for c in Channel},
                    awards={g: awards[(year, half)].get(g, 0) for g in calc.GRADE_ORDER},
                )
            )
        result.append((year, halves))
    return result


def year_totals(*, years: list[int]) -> list[tuple[int, int, int | None]]:
    """(year, total, change from the year before) for year-over-year comparison."""
    return totals_of(statistics_by_year(years=years))


def totals_of(per_year: list[tuple[int, list[HalfYearStats]]]) -> list[tuple[int, int, int | None]]:
    """Year totals and their change, from statistics already loaded."""
    out: list[tuple[int, int, int | None]] = []
    previous: int | None = None
    for year, halves in sorted(per_year, key=lambda item: item[0]):
        total = sum(s.total for s in halves)
        out.append((year, total, None if previous is None else total - previous))
        previous = total
    return out


def statistics_years(*, today: date | None = None) -> list[int]:
    """The years to show: those of the seeded history, those with proposals, and this year
    (years with nothing in between are left out rather than shown as drops to zero)."""
    today = today or timezone.localdate()
    years = set(HistoricalStatistic.objects.values_list("year", flat=True))
    years.update(d.year for d in Proposal.objects.dates("received_at", "year"))
    years.add(today.year)
    return sorted(years)


# --- HR export --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceRow:
    receipt_number: str
    name: str
    department: str
    employee_number: str
    title: str
    grade: str
    performance_points: float
    roster_bonus: float


def staff_performance_rows(*, evaluation: Evaluation | None = None, year: int | None = None
                           ) -> list[PerformanceRow]:  # fmt: skip
    """Staff proposals awarded a grade: 성과포인트 and the 서열명부 bonus (10%) for 총무과.
    Residents get no performance points and are not listed."""
    rows = Proposal.objects.filter(kind=ProposerKind.STAFF).exclude(grade="")
    if evaluation is not None:
        rows = rows.filter(evaluation=evaluation)
    if year is not None:
        rows = rows.filter(received_at__year=year)
    rows = rows.select_related("author__staff_profile__department").order_by("received_at")
    out = []
    for p in rows:
        incentive = calc.incentive_for(p.grade, is_staff=True)
        profile = getattr(p.author, "staff_profile", None)
        out.append(
            PerformanceRow(
                receipt_number=p.receipt_number,
                name=display_name(p.author),
                department=str(profile.department) if profile and profile.department else "",
                employee_number=(profile.employee_number or "") if profile else "",
                title=p.title,
                grade=str(calc.GRADE_LABELS.get(p.grade, p.grade)),
                performance_points=incentive.performance_points,
                roster_bonus=incentive.roster_bonus,
            )
        )
    return out
