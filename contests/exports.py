"""Exports: score sheets and results (Excel), the minutes sheet 심사 회의록 (Excel), and the
award certificate 표창장 (PDF in NanumGothic, Debian fonts-nanum)."""

from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from org.models import display_name

from . import selectors
from .models import Award, Recusal, Round, SheetStatus, Stage

FONT_PATH = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
FONT_BOLD_PATH = Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")
BOLD = Font(bold=True)


def _header(ws: Worksheet, titles: list[str]) -> None:
    ws.append(titles)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for i, title in enumerate(titles, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(title) * 2 + 2)


def _save(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _result_rows(ws: Worksheet, stage: Stage) -> None:
    _header(
        ws,
        [
            "순위",
            "출품작",
            "제안자",
            "부서",
            "평균(100점)",
            "심사 위원 수",
            "편차 큼",
            "진출",
            "등급(안)",
            "동점",
        ],
    )
    for row in selectors.stage_results(stage=stage):
        r = row.result
        ws.append(
            [
                r.rank,
                r.entry.title,
                r.entry.owner_label,
                str(r.entry.department or ""),
                float(r.mean) if r.mean is not None else None,
                r.sheet_count,
                "예" if r.disagreement else "",
                "예" if r.advances else "",
                r.get_grade_display() if r.grade else "",
                "결정 필요" if r.tie else "",
            ]
        )


def scores_workbook(*, stage: Stage) -> bytes:
    """The stage's submitted score sheets, one row per member and entry, and the results."""
    wb = Workbook()
    ws = wb.active
    ws.title = "심사표"
    criteria = list(stage.criteria.order_by("order"))
    _header(
        ws,
        ["출품작", "위원"]
        + [f"{c.name}({c.max_score}점, 가중치 {c.weight})" for c in criteria]
        + ["가중 합계(100점)", "종합 의견", "제출 일시"],
    )
    totals = selectors.member_totals(stage=stage)
    for sheet in selectors.submitted_sheets(stage=stage):
        values = {s.criterion_id: s.value for s in sheet.scores.all()}
        total = totals.get(sheet.entry_id, {}).get(sheet.member_id)
        ws.append(
            [sheet.entry.title, display_name(sheet.member.user)]
            + [values.get(c.pk) for c in criteria]
            + [
                float(total) if total is not None else None,
                sheet.comment,
                timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")
                if sheet.submitted_at
                else "",
            ]
        )
    _result_rows(wb.create_sheet("결과"), stage)
    return _save(wb)


def minutes_workbook(*, round: Round) -> bytes:
    """회의록: per stage who scored, who recused and why, the results; then the awards."""
    wb = Workbook()
    ws = wb.active
    ws.title = "회의록"
    ws.append([round.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["구분", round.get_kind_display(), "연도", round.year])
    ws.append([])
    for stage in round.stages.select_related("committee").order_by("order"):
        ws.append(
            [f"{stage.order}. {stage.name}", str(stage.committee), stage.get_status_display()]
        )
        ws[ws.max_row][0].font = BOLD
        _header(ws, ["위원", "직책", "제출 심사표", "회피"])
        submitted: dict[int, int] = {}
        for member_id in stage.sheets.filter(status=SheetStatus.SUBMITTED).values_list(
            "member_id", flat=True
        ):
            submitted[member_id] = submitted.get(member_id, 0) + 1
        recusals: dict[int, list[Recusal]] = {}
        for rec in Recusal.objects.filter(stage=stage).select_related("entry"):
            recusals.setdefault(rec.member_id, []).append(rec)
        for m in selectors.stage_members(stage=stage):
            ws.append(
                [
                    display_name(m.user),
                    m.get_role_display(),
                    submitted.get(m.pk, 0),
                    "; ".join(f"{r.entry.title}: {r.reason}" for r in recusals.get(m.pk, [])),
                ]
            )
        if stage.is_closed:
            ws.append([])
            _result_rows(ws, stage)
        ws.append([])
    ws.append(["수상"])
    ws[ws.max_row][0].font = BOLD
    _header(ws, ["등급", "출품작", "수상자", "상금(원)", "성과포인트"])
    for award in selectors.round_awards(round=round):
        ws.append(
            [
                award.get_grade_display(),
                award.entry.title,
                ", ".join(r.name for r in award.recipients.all()),
                award.prize_won,
                float(award.performance_points),
            ]
        )
    return _save(wb)


def certificate_pdf(*, award: Award) -> bytes:
    """A 표창장 on A4 in NanumGothic: grade, recipient, entry, date, issuer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(FONT_PATH)))
        pdfmetrics.registerFont(TTFont("NanumGothicBold", str(FONT_BOLD_PATH)))
    out = BytesIO()
    width, height = A4
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"표창장 {award.entry.title}")
    c.setLineWidth(3)
    c.rect(36, 36, width - 72, height - 72)
    c.setFont("NanumGothicBold", 40)
    c.drawCentredString(width / 2, height - 150, "표 창 장")
    from reportlab.lib.utils import simpleSplit

    names = ", ".join(r.name for r in award.recipients.all())
    is_department = award.entry.owner_id is None and award.entry.department_id is not None
    c.setFont("NanumGothic", 13)
    c.drawString(90, height - 200, f"제 {award.round.year}-{award.pk}호")
    y = height - 250
    c.setFont("NanumGothic", 16)
    for label, value in (
        ("부    문", award.round.get_kind_display()),
        ("등    급", award.get_grade_display()),
        ("부서명" if is_department else "성    명", names),
        ("제    목", award.entry.title),
    ):
        lines = simpleSplit(value, "NanumGothic", 16, width - 290)
        c.drawString(90, y, label)
        for line in lines or [""]:
            c.drawString(190, y, line)
            y -= 28
    # 최우수·우수·장려 all end in a vowel: the particle is 로.
    sentence = (
        f"{'위 부서는' if is_department else '위 사람은'} 창의구정 추진에 적극 참여하여 "
        f"「{award.round.title}」에서 {award.get_grade_display()}로 선정되었으므로 "
        "이에 표창합니다."
    )
    y -= 40
    c.setFont("NanumGothic", 16)
    for line in simpleSplit(sentence, "NanumGothic", 16, width - 180):
        c.drawString(90, y, line)
        y -= 30
    day = timezone.localtime(award.confirmed_at)
    c.setFont("NanumGothic", 15)
    c.drawCentredString(width / 2, 220, f"{day.year}년 {day.month}월 {day.day}일")
    c.setFont("NanumGothicBold", 22)
    c.drawCentredString(width / 2, 160, "서울특별시 중구청장")
    c.showPage()
    c.save()
    return out.getvalue()


ROSTER_BONUS_RATE = Decimal("0.1")  # 성과포인트 counts at 10% in the 서열명부 (최우수 2.0 → 0.2)


def performance_points_workbook(*, year: int) -> bytes:
    """성과포인트 명부 for 총무과: one row per award to a staff member, and per-person totals."""
    wb = Workbook()
    ws = wb.active
    ws.title = "수상별"
    _header(ws, ["직원", "부서", "회차", "등급", "출품작", "성과포인트", "서열명부 가점"])
    totals: dict[int, list] = {}
    for award in selectors.performance_point_awards(year=year):
        owner = award.entry.owner
        profile = getattr(owner, "staff_profile", None)
        dept = str(profile.department) if profile and profile.department else ""
        ws.append(
            [
                display_name(owner),
                dept,
                award.round.title,
                award.get_grade_display(),
                award.entry.title,
                float(award.performance_points),
                float(award.performance_points * ROSTER_BONUS_RATE),
            ]
        )
        row = totals.setdefault(owner.pk, [display_name(owner), dept, Decimal(0)])
        row[2] += award.performance_points
    per_person = wb.create_sheet("직원별 합계")
    _header(per_person, ["직원", "부서", "성과포인트 합계", "서열명부 가점"])
    for name, dept, points in totals.values():
        per_person.append([name, dept, float(points), float(points * ROSTER_BONUS_RATE)])
    return _save(wb)
