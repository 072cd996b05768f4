"""The Excel export of a quarter (openpyxl, write-only so 50,000 rows stay small in memory)."""

from openpyxl import Workbook

from .models import QuarterRound, RoundEntry
from .selectors import quarter_ranking

HEADERS = ["순위", "이름", "아이디", "부서", "승인", "추가의견(상한 적용)", "지식조회(상한 적용)",
           "합계", "창의왕 대상", "창의왕"]  # fmt: skip


def ranking_workbook(*, year: int, quarter: int) -> Workbook:
    """The frozen round if it ran (the official record), else the live ranking."""
    from org.models import display_name

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{year}년 {quarter}분기")
    rnd = QuarterRound.objects.filter(year=year, quarter=quarter).first()
    status = rnd.get_status_display() if rnd else "실시간 집계(미확정)"
    ws.append([f"{year}년 {quarter}분기 창의왕 점수", status])
    ws.append(HEADERS)
    if rnd is not None:
        winners = set(rnd.winners.filter(active=True).values_list("user_id", flat=True))
        entries = RoundEntry.objects.filter(round=rnd).select_related("user").order_by("position")
        for e in entries.iterator(chunk_size=5000):
            ws.append([
                e.rank, display_name(e.user), e.user.get_username(), e.department,
                float(e.approval_points), float(e.comment_points), float(e.view_points),
                float(e.total), "대상" if e.eligible else "제외(제안 미제출)",
                "창의왕" if e.user_id in winners else "",
            ])  # fmt: skip
        return wb
    for r in quarter_ranking(year=year, quarter=quarter):
        ws.append([
            r.rank, display_name(r.user), r.user.get_username(), r.department,
            float(r.approval), float(r.comment), float(r.view), float(r.total),
            "대상" if r.eligible else "제외(제안 미제출)", "",
        ])  # fmt: skip
    return wb
