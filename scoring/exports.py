"""The Excel export of a quarter's ranking, through the one writer (common.tables): write-only
sheets, so 50,000 rows stay small in memory, and no cell can start a formula."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from common import periods
from common.tables import XlsxWorkbook, csv_rows
from downloads import registry
from org.models import display_name

from .models import QuarterRound, RoundEntry
from .selectors import period_ranking


def headers() -> list[str]:
    return [
        _("순위"), _("이름"), _("아이디"), _("부서"), _("승인"), _("추가의견(상한 적용)"),
        _("지식조회(상한 적용)"), _("합계"), _("창의왕 대상"), _("창의왕"),
    ]  # fmt: skip


def ranking_lines(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
) -> tuple[str, Iterator[list[Any]]]:
    """(status, rows) of a ranking: a quarter whose round ran gives the frozen round (the
    official record), read as plain values; anything else the live ranking of the period."""
    rnd = (
        QuarterRound.objects.filter(year=year, quarter=quarter).first()
        if quarter is not None
        else None
    )
    eligible, excluded, king = _("대상"), _("제외(제안 미제출)"), _("창의왕")
    if rnd is not None:
        winners = set(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        entries = (
            RoundEntry.objects.filter(round=rnd)
            .order_by("position")
            .values_list(
                "rank", "user__last_name", "user__first_name", "user__username", "department",
                "approval_points", "comment_points", "view_points", "total", "eligible", "user_id",
            )
        )  # fmt: skip
        frozen = (
            [
                rank, f"{last}{first}".strip() or username, username, dept, float(a), float(c),
                float(v), float(t), eligible if ok else excluded, king if uid in winners else "",
            ]
            for rank, last, first, username, dept, a, c, v, t, ok, uid in entries.iterator(
                chunk_size=5000
            )
        )  # fmt: skip
        return rnd.get_status_display(), frozen
    live = (
        [
            r.rank, display_name(r.user) if r.user else "", r.user.get_username() if r.user else "",
            r.department, float(r.approval), float(r.comment), float(r.view), float(r.total),
            eligible if r.eligible else excluded, "",
        ]
        for r in period_ranking(year=year, quarter=quarter, half=half, month=month)
    )  # fmt: skip
    return _("실시간 집계(미확정)"), live


def ranking_workbook(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
    title: str = "",
    progress: registry.Progress | None = None,
) -> bytes:
    """The ranking as an Excel workbook (write-only: constant memory)."""
    book = XlsxWorkbook()
    title = title or periods.period(year=year, quarter=quarter, half=half, month=month).key
    ws = book.sheet(title)
    status, lines = ranking_lines(year=year, quarter=quarter, half=half, month=month)
    rows = list(lines)
    ws.row([_("%(title)s 창의왕 점수") % {"title": title}, status])
    ws.header(headers())
    for done, row in enumerate(rows, start=1):
        ws.row(row)
        if progress is not None:
            progress(done, len(rows))
    return book.save()


@registry.register(
    "scoring.ranking_xlsx",
    label=_("창의왕 점수 엑셀"),
    perm="scoring.export_ranking",
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
def ranking_workbook_download(
    params: Mapping[str, Any], progress: registry.Progress
) -> tuple[str, bytes]:
    """The background build of the ranking workbook (50,000 people take ~10 s)."""
    kwargs = {k: params.get(k) for k in ("quarter", "half", "month")}
    year = int(params["year"])
    key = periods.period(year=year, **kwargs).key
    content = ranking_workbook(
        year=year, **kwargs, title=str(params.get("title", "")), progress=progress
    )
    return f"changuiwang-{key}.xlsx", content


def ranking_csv(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
) -> Iterator[str]:
    """The ranking as CSV lines for a streamed response (UTF-8 with a BOM for Excel)."""
    _status, rows = ranking_lines(year=year, quarter=quarter, half=half, month=month)
    return csv_rows(headers(), rows)
