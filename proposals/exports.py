"""The exports of the proposals app: residents' proposals (CSV, streamed) and the 성과포인트
list for 총무과. Every cell goes through ``common.tables`` (text stays text, never a formula).

성과포인트 and the 서열명부 가점 are the contests app's: the awards it confirmed carry the
points of their quota, and the bonus is its ``roster_bonus``. This module only picks the proposals' awards
and adds the receipt number, so both HR exports give the same figures."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from common import periods
from common.tables import csv_rows
from contests.calculations import roster_bonus
from contests.selectors import performance_point_awards
from org.models import display_name

from .models import Channel, Evaluation, Proposal, ProposalStatus
from .services import SOURCE_TYPE

RESIDENT_HEADER = (
    "접수번호", "접수일", "경로", "성명", "휴대전화", "전자우편", "거주 동", "제목", "상태",
)  # fmt: skip
PERFORMANCE_HEADER = (
    "접수번호", "성명", "부서", "직원번호", "제목", "등급", "성과포인트", "서열명부 실적가점",
)  # fmt: skip


RESIDENT_COLUMNS = (
    "receipt_number", "received_date", "channel", "proposer_name", "phone", "email", "dong",
    "title", "status",
)  # fmt: skip
LINES_PER_CHUNK = 500  # a streamed chunk of ~50 kB rather than one network write per line


def resident_rows(rows: QuerySet[Proposal]) -> Iterator[Sequence[object]]:
    """One CSV row per resident proposal, read as plain values through a server-side cursor
    (the receipt date computed in SQL, in Asia/Seoul); the channel and status labels are
    translated once, not per row."""
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: str(label) for value, label in ProposalStatus.choices}
    # The date as text (YYYY-MM-DD, what the CSV shows): plain strings need no converter.
    received_date = Cast(TruncDate("received_at", tzinfo=periods.KST), output_field=CharField())
    values = rows.annotate(received_date=received_date).values_list(*RESIDENT_COLUMNS)
    for receipt, on, channel, name, phone, email, dong, title, status in values.iterator(
        chunk_size=5000
    ):
        yield (
            receipt, on, channels.get(channel, channel), name, phone, email, dong, title,
            statuses.get(status, status),
        )  # fmt: skip


def chunked(lines: Iterable[str], size: int = LINES_PER_CHUNK) -> Iterator[str]:
    """``size`` lines at a time, for a streamed response."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def resident_csv(rows: QuerySet[Proposal]) -> Iterator[str]:
    return chunked(csv_rows(RESIDENT_HEADER, resident_rows(rows)))


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


def staff_performance_rows(
    *, year: int | None = None, evaluation: Evaluation | None = None
) -> list[PerformanceRow]:
    """Staff proposals' confirmed awards of a year (the contests round's year; by default the
    evaluation's, else this year), or of one evaluation: 성과포인트 and the 서열명부 가점, as
    contests' own 성과포인트 명부 computes them. Residents carry no points and are not listed."""
    if year is None:
        year = evaluation.period_end.year if evaluation else timezone.localdate().year
    awards = performance_point_awards(year=year).filter(entry__source_type=SOURCE_TYPE)
    if evaluation is not None:
        awards = awards.filter(round_id=evaluation.contests_round_id or 0)
    awards_list = list(awards)
    receipts = dict(
        Proposal.objects.filter(pk__in=[a.entry.source_id for a in awards_list]).values_list(
            "pk", "receipt_number"
        )
    )
    out = []
    for award in awards_list:
        owner = award.entry.owner
        if owner is None:  # performance_point_awards lists staff owners only
            continue
        profile = getattr(owner, "staff_profile", None)
        points = Decimal(award.performance_points)
        out.append(
            PerformanceRow(
                receipt_number=receipts.get(award.entry.source_id, ""),
                name=display_name(owner),
                department=str(profile.department) if profile and profile.department else "",
                employee_number=(profile.employee_number or "") if profile else "",
                title=award.entry.title,
                grade=award.get_grade_display(),
                performance_points=float(points),
                roster_bonus=float(roster_bonus(points)),
            )
        )
    return out


def performance_csv(rows: list[PerformanceRow]) -> Iterator[str]:
    return csv_rows(
        PERFORMANCE_HEADER,
        (
            [r.receipt_number, r.name, r.department, r.employee_number, r.title, r.grade,
             f"{r.performance_points:.1f}", f"{r.roster_bonus:.2f}"]
            for r in rows
        ),
    )  # fmt: skip
