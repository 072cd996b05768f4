"""Reads of the proposals app: lists, the status lookup, duplicates, statistics, HR export."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    CharField,
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from board.textsim import similar
from common import periods
from common.queries import union_of_slices
from contests.models import GRADE_ORDER

from . import calculations as calc
from .calculations import Status
from .models import (
    BenchmarkCase,
    Channel,
    HistoricalStatistic,
    MonthlyTally,
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
    author: User | None = None,
) -> QuerySet[Proposal]:
    """Proposals for the staff/admin list, newest first: one query whatever the page size,
    reading only the columns the list shows (``LIST_COLUMNS``) through an index in the list's
    order (a filter's own: ``proposals_status_recent``, ``_kind_recent``, ``_channel_recent``)."""
    rows = Proposal.objects.select_related("author", "similar_to").only(*LIST_COLUMNS)
    rows = _filtered(rows, kind=kind, status=status, channel=channel, author=author)
    return rows.order_by("-received_at", "-id")


# What a list row shows: receipt, title, proposer (masked name or the author's name), channel,
# date, status, the processing clock, the 연결됨 / 중복 의심 badges.
LIST_COLUMNS = (
    "id", "receipt_number", "title", "kind", "channel", "received_at", "status", "paused_days",
    "paused_since", "proposer_name", "linked_to", "author__first_name", "author__last_name",
    "author__username", "similar_to__receipt_number",
)  # fmt: skip


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


# Counts stop here on the lists: "10,000+" is as useful as 200,000 and costs no full scan.
LIST_COUNT_CAP = 10_000
OVERDUE_COUNT_CAP = 1_000
OPEN_STATES = (Status.RECEIVED, Status.REVIEWING)


def _filtered(
    rows: QuerySet[Proposal], *, kind: str, status: str, channel: str,
    author: User | None,
) -> QuerySet[Proposal]:  # fmt: skip
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if author is not None:
        rows = rows.filter(author=author)
    return rows


def proposal_count(
    *, kind: str = "", status: str = "", channel: str = "",
    author: User | None = None, cap: int = LIST_COUNT_CAP,
) -> int:  # fmt: skip
    """How many proposals the list holds, counted up to ``cap`` (a LIMITed subquery, so the
    cost does not grow with the table)."""
    rows = _filtered(Proposal.objects.all(), kind=kind, status=status, channel=channel,
                     author=author)  # fmt: skip
    return rows.order_by().values("pk")[:cap].count()


@dataclass(frozen=True)
class OverdueSummary:
    """The overdue banner: how many (up to a cap; ``capped`` when more) and the oldest few."""

    count: int
    capped: bool
    first: list[Proposal]


def _overdue_candidates(today: date) -> tuple[QuerySet[Proposal], QuerySet[Proposal]]:
    """(never paused and past the deadline — exact in SQL; once paused — checked in Python)."""
    open_rows = Proposal.objects.filter(status__in=OPEN_STATES)
    before = periods.local_midnight(calc.overdue_bound(today))
    plain = open_rows.filter(paused_days=0, received_at__lt=before)
    paused = open_rows.filter(paused_days__gt=0, received_at__lt=before)
    return plain, paused


# What the banner shows (receipt, title) and what the clock needs.
OVERDUE_COLUMNS = (
    "id", "receipt_number", "title", "status", "received_at", "paused_days", "paused_since",
)  # fmt: skip


def overdue_summary(*, today: date | None = None, limit: int = 5,
                              cap: int = OVERDUE_COUNT_CAP) -> OverdueSummary:  # fmt: skip
    """Proposals still without a review result after their deadline (처리기한 경과): a capped
    count and the ``limit`` oldest, reading a bounded number of rows whatever the table's size,
    in ONE statement (the home page's budget): a UNION ALL of the oldest never-paused overdue
    (carrying their capped count; none of them means a count of 0) and the paused candidates
    (up to the cap, their clock checked in Python)."""
    today = today or timezone.localdate()
    plain, paused = _overdue_candidates(today)
    sql, params = plain.order_by().values("pk")[: cap + 1].query.sql_with_params()
    # sql is Django-compiled with its params apart: nothing of the user is in the string.
    plain_count = RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608, S611
    zero = Value(0, output_field=IntegerField())

    def part(rows: QuerySet[Proposal], kind: str, count: Expression) -> QuerySet[Proposal]:
        return (
            rows.only(*OVERDUE_COLUMNS)
            .annotate(overdue_part=Value(kind, output_field=CharField()), plain_count=count)
            .order_by("received_at", "id")
        )

    rows: list[Any] = union_of_slices(
        [part(plain, "plain", plain_count)[:limit], part(paused, "paused", zero)[: cap + 1]]
    )
    first_plain = [r for r in rows if r.overdue_part == "plain"]
    paused_rows = sorted(
        (r for r in rows if r.overdue_part == "paused" and is_overdue(r, today)),
        key=lambda p: (p.received_at, p.pk),
    )
    count = (first_plain[0].plain_count if first_plain else 0) + len(paused_rows)
    first = sorted(first_plain + paused_rows[:limit], key=lambda p: (p.received_at, p.pk))[:limit]
    return OverdueSummary(count=min(count, cap), capped=count > cap, first=first)


def overdue_proposals(*, today: date | None = None) -> list[Proposal]:
    """Every overdue proposal, newest first (jobs and tests; pages use overdue_summary)."""
    today = today or timezone.localdate()
    plain, paused = _overdue_candidates(today)
    rows = list(plain.select_related("author")) + [
        p for p in paused.select_related("author") if is_overdue(p, today)
    ]
    return sorted(rows, key=lambda p: (p.received_at, p.pk), reverse=True)


def proposal_detail_queryset() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "author", "department", "theme_task__round", "linked_to", "registered_by", "evaluation",
    ).prefetch_related(
        Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
        Prefetch("linked", queryset=Proposal.objects.only("id", "receipt_number", "title",
                                                         "linked_to", "link_kind")),
    )  # fmt: skip


def proposal_detail(*, pk: int) -> Proposal:
    return proposal_detail_queryset().get(pk=pk)


def resident_export_rows() -> QuerySet[Proposal]:
    """Residents' proposals not yet anonymized, for the personal-data export (newest first).
    The export reads it as plain values (``exports.resident_rows``) and logs it in one
    statement (``services.personal_data_export_record``)."""
    return Proposal.objects.filter(kind=ProposerKind.RESIDENT, anonymized_at=None).order_by(
        "-received_at", "-id"
    )


# Every character Python's str.strip() removes (all of them are below U+3001).
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


class Strip(Func):
    """``str.strip()`` in SQL: trims every character Python counts as whitespace
    (``BTRIM`` on PostgreSQL, ``TRIM`` on SQLite)."""

    function = "BTRIM"
    output_field = CharField()

    def __init__(self, expression: Expression | F) -> None:
        super().__init__(expression, Value(_WHITESPACE))

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="TRIM", **extra_context)


def export_log_source(rows: QuerySet[Proposal]) -> QuerySet[Any, tuple[int, str, str]]:
    """What the export log needs of each resident proposal of ``rows``, as the columns
    ``log_id``, ``log_receipt`` and ``log_name`` (the name stripped as ``mask_name`` strips
    it), for an ``INSERT … SELECT`` (``services.personal_data_export_record``)."""
    return (
        rows.filter(kind=ProposerKind.RESIDENT)
        .order_by()
        .annotate(log_id=F("pk"), log_receipt=F("receipt_number"),
                  log_name=Strip(F("proposer_name")))
        .values_list("log_id", "log_receipt", "log_name")
    )  # fmt: skip


def recent_same_submission(
    *, title: str, content: str, phone: str, email: str, at: datetime | None = None
) -> Proposal | None:
    """A repeated submission (the same text from the same contact within a day) is not stored
    twice: the person gets the receipt number they already have. (Two copies released at the
    same instant are caught by the form's one-time token, not by this read.)"""
    at = at or timezone.now()
    return (
        Proposal.objects.filter(
            kind=ProposerKind.RESIDENT,
            channel=Channel.WEB,
            title=title.strip(),
            content=content.strip(),
            phone=phone.strip(),
            email=email.strip(),
            received_at__gte=at - timedelta(days=1),
        )
        .only("receipt_number")
        .first()
    )


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
# board.SimilarityWord's name for proposals (the trigger of board migration 0013 writes it).
SIMILARITY_SOURCE = "proposals.proposal"


def duplicate_candidates(*, proposal: Proposal, limit: int = 5) -> list[DuplicateCandidate]:
    """Earlier-received proposals, and adopted ones of any time, that look like this one
    (board.textsim, Korean-aware: nouns compared, particles and spacing ignored). The earlier
    one keeps the priority.

    ``board.textsim.similar``, the board's own lookup: on PostgreSQL the newest proposals of
    each noun of the key, through the word index the database keeps (board migration 0013),
    walked from this proposal's receipt back and from today back (later adopted ones)."""
    if not proposal.normalized_text:
        return []
    rows = (
        Proposal.objects.exclude(pk=proposal.pk)
        .filter(Q(received_at__lte=proposal.received_at) | Q(status__in=ADOPTED_STATES))
        .only("id", "receipt_number", "title", "status", "kind", "received_at", "normalized_text")
    )
    found = similar(
        rows,
        source=SIMILARITY_SOURCE,
        keys={"normalized_text": proposal.normalized_text},
        at_field="received_at",
        untils=(proposal.received_at, None),
        limit=limit,
        earliest_first=True,
    )
    return [DuplicateCandidate(p, score, p.status in ADOPTED_STATES) for p, score in found]


def access_log(*, limit: int = 200) -> QuerySet[PersonalDataAccess]:
    """The newest ``limit`` entries, read through ``proposals_access_recent`` (an export's
    133,000 rows share one instant: the index's id order spares sorting them)."""
    return (
        PersonalDataAccess.objects.select_related("actor")
        .only("id", "at", "subject", "action", "detail", "actor__username",
              "actor__first_name", "actor__last_name")
        .order_by("-at", "-id")[:limit]
    )  # fmt: skip


# --- Theme rounds and benchmarking ------------------------------------------------------------


def theme_rounds() -> QuerySet[ThemeRound]:
    return ThemeRound.objects.annotate(
        task_count=Count("tasks", distinct=True),
        proposal_count=Count("tasks__proposals", distinct=True),
    ).order_by("-opens_on")


def theme_rounds_to_evaluate(*, before: date) -> QuerySet[ThemeRound]:
    """Theme rounds closed before ``before`` that no evaluation takes yet, oldest first."""
    return ThemeRound.objects.filter(closes_on__lt=before, evaluation__isnull=True).order_by(
        "opens_on", "pk"
    )


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


def historical_statistics(*, before_year: int | None = None) -> QuerySet[HistoricalStatistic]:
    """THE figures from before the portal (SPEC §3: 2014–2015), oldest first; half 0 is a
    year known only as a total. The dashboard and the statistics page both read this."""
    rows = HistoricalStatistic.objects.order_by("year", "half")
    if before_year is not None:
        rows = rows.filter(year__lt=before_year)
    return rows


def _history_stats(h: HistoricalStatistic) -> HalfYearStats:
    awards = {"grand": h.grand, "excellent": h.excellent, "merit": h.merit}
    return HalfYearStats(h.year, h.half, h.total, h.residents, h.staff, {}, awards, "history")


def statistics_by_year(*, years: list[int]) -> list[tuple[int, list[HalfYearStats]]]:
    """:func:`half_year_statistics` for many years in two queries: the history, and the
    monthly summary of the span."""
    years = sorted(set(years))
    if not years:
        return []
    history: dict[int, dict[int, HistoricalStatistic]] = defaultdict(dict)
    for h in HistoricalStatistic.objects.filter(year__in=years):
        history[h.year][h.half] = h
    # From the monthly summary (MonthlyTally): a few hundred rows whatever the table's size.
    cells = MonthlyTally.objects.filter(
        month__gte=date(years[0], 1, 1), month__lt=date(years[-1] + 1, 1, 1)
    ).values_list("month", "kind", "channel", "grade", "n")
    counts: dict[tuple[int, int], dict[tuple[str, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    awards: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, kind, channel, grade, n in cells:
        key = (month.year, periods.half_of(month))  # month: the 1st of the month
        if grade:
            awards[key][grade] += n
        else:
            counts[key][(kind, channel)] += n
    result: list[tuple[int, list[HalfYearStats]]] = []
    channel_values = Channel.values  # once: an enum's values are rebuilt on every read
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
                    by_channel={c: by_channel.get(c, 0) for c in channel_values},
                    awards={g: awards[(year, half)].get(g, 0) for g in GRADE_ORDER},
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
    years.update(d.year for d in MonthlyTally.objects.filter(n__gt=0).dates("month", "year"))
    years.add(today.year)
    return sorted(years)


def theme_rounds_open(*, today: date | None = None) -> list[ThemeRound]:
    """맞춤형 테마제안 rounds taking proposals today, closing soonest first."""
    today = today or timezone.localdate()
    return list(
        ThemeRound.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
            "closes_on", "pk"
        )
    )


# --- 채택 제안: the public page of adopted ideas ----------------------------------------------------

PUBLIC_SUMMARY_CHARS = 200


@dataclass(frozen=True)
class PublishedProposal:
    """What the public page shows of an adopted proposal: no name, no contact, no address."""

    pk: int
    title: str
    summary: str
    dong: str
    received_on: date
    department: str
    stage: str
    implemented_on: date | None
    planned_on: date | None


def published_adopted(*, query: str = "") -> QuerySet[Proposal]:
    """Adopted proposals whose proposer agreed to publication (``publish_if_adopted``), newest
    first, optionally matching ``query`` in the title or the content."""
    rows = (
        Proposal.objects.filter(publish_if_adopted=True, status__in=ADOPTED_STATES)
        .select_related("department")
        .only(
            "id", "title", "content", "dong", "received_at", "status", "proposer_name",
            "implemented_on", "planned_on", "department__name", "anonymized_at",
        )
        .order_by("-received_at", "-id")
    )  # fmt: skip
    query = query.strip()[:100]
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(content__icontains=query))
    return rows


def published_view(p: Proposal, *, full: bool = False) -> PublishedProposal:
    """The public fields of one proposal; the text goes through the same redaction as
    anonymization (phones, e-mails, addresses, the proposer's name). ``full``: the whole
    redacted text (the idea's own public page), else a summary for the list."""
    names = [] if p.anonymized_at else [p.proposer_name]
    summary = calc.redact(p.content, names)
    if not full and len(summary) > PUBLIC_SUMMARY_CHARS:
        summary = summary[:PUBLIC_SUMMARY_CHARS].rstrip() + "…"
    return PublishedProposal(
        pk=p.pk,
        title=calc.redact(p.title, names),
        summary=summary,
        dong=p.dong,
        received_on=p.received_on,
        department=p.department.name if p.department else "",
        stage=str(calc.STATUS_LABELS.get(p.status, p.status)),
        implemented_on=p.implemented_on,
        planned_on=p.planned_on,
    )
