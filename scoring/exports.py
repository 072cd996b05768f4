"""The Excel export of a quarter's ranking, through the one writer (common.tables): write-only
sheets, so 50,000 rows stay small in memory, and no cell can start a formula."""

from django.utils.translation import gettext as _

from common import periods
from common.tables import XlsxWorkbook
from org.models import display_name

from .models import QuarterRound, RoundEntry
from .selectors import period_ranking


def headers() -> list[str]:
    return [
        _("순위"), _("이름"), _("아이디"), _("부서"), _("승인"), _("추가의견(상한 적용)"),
        _("지식조회(상한 적용)"), _("합계"), _("창의왕 대상"), _("창의왕"),
    ]  # fmt: skip


def ranking_workbook(
    *,
    year: int,
    quarter: int | None = None,
    half: int | None = None,
    month: int | None = None,
    title: str = "",
) -> bytes:
    """A quarter whose round ran: the frozen round (the official record); else the live
    ranking of the period."""
    book = XlsxWorkbook()
    title = title or periods.period(year=year, quarter=quarter, half=half, month=month).key
    ws = book.sheet(title)
    rnd = (
        QuarterRound.objects.filter(year=year, quarter=quarter).first()
        if quarter is not None
        else None
    )
    status = rnd.get_status_display() if rnd else _("실시간 집계(미확정)")
    ws.row([_("%(title)s 창의왕 점수") % {"title": title}, status])
    ws.header(headers())
    eligible, excluded, king = _("대상"), _("제외(제안 미제출)"), _("창의왕")
    if rnd is not None:
        winners = set(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        entries = RoundEntry.objects.filter(round=rnd).select_related("user").order_by("position")
        for e in entries.iterator(chunk_size=5000):
            ws.row([
                e.rank, display_name(e.user), e.user.get_username(), e.department,
                float(e.approval_points), float(e.comment_points), float(e.view_points),
                float(e.total), eligible if e.eligible else excluded,
                king if e.user_id in winners else "",
            ])  # fmt: skip
        return book.save()
    for r in period_ranking(year=year, quarter=quarter, half=half, month=month):
        user = r.user
        ws.row([
            r.rank, display_name(user) if user else "", user.get_username() if user else "",
            r.department, float(r.approval), float(r.comment), float(r.view), float(r.total),
            eligible if r.eligible else excluded, "",
        ])  # fmt: skip
    return book.save()
