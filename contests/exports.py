"""Exports: score sheets and results (Excel), the minutes sheet 심사 회의록 (Excel), the
performance points roster (Excel), all through ``common.tables`` (text stays text: a comment
typed as ``=HYPERLINK(...)`` is never a formula), and the award certificate 표창장 (PDF in
NanumGothic, the font the portal brings in static/fonts)."""

from collections.abc import Mapping
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from common import fonts
from common.errors import ServiceError
from common.tables import Sheet, XlsxWorkbook
from downloads import registry
from org.models import display_name

from . import calculations as calc
from . import selectors
from .models import Award, Recusal, Round, SheetStatus, Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _widths(titles: list[str]) -> list[float]:
    return [max(10, len(title) * 2 + 2) for title in titles]


def _result_header() -> list[str]:
    return [
        _("순위"),
        _("출품작"),
        _("제안자"),
        _("부서"),
        _("평균(100점)"),
        _("심사 위원 수"),
        _("편차 큼"),
        _("진출"),
        _("등급(안)"),
        _("동점"),
    ]


def _result_rows(ws: Sheet, stage: Stage) -> None:
    ws.header(_result_header())
    yes = _("예")
    for row in selectors.stage_results(stage=stage):
        r = row.result
        ws.row(
            [
                r.rank,
                r.entry.title,
                r.entry.owner_label,
                str(r.entry.department or ""),
                float(r.mean) if r.mean is not None else None,
                r.sheet_count,
                yes if r.disagreement else "",
                yes if r.advances else "",
                r.get_grade_display() if r.grade else "",
                _("결정 필요") if r.tie else "",
            ]
        )


def scores_workbook(*, stage: Stage, progress: registry.Progress | None = None) -> bytes:
    """The closed stage's submitted score sheets, one row per member and entry, and the
    results (``selectors.stage_results`` refuses an open stage). ``progress(done, total)``
    is told after each score sheet row."""
    book = XlsxWorkbook()
    ws = book.sheet(_("심사표"))
    criteria = list(stage.criteria.order_by("order"))
    titles = (
        [_("출품작"), _("위원")]
        + [
            _("%(name)s(%(max)s점, 가중치 %(weight)s)")
            % {"name": c.name, "max": c.max_score, "weight": c.weight}
            for c in criteria
        ]
        + [_("가중 합계(100점)"), _("종합 의견"), _("제출 일시")]
    )
    ws.widths(_widths(titles))
    ws.header(titles)
    totals = selectors.member_totals(stage=stage)
    sheets = selectors.submitted_sheets(stage=stage)
    for done, sheet in enumerate(sheets, start=1):
        if progress is not None:
            progress(done, len(sheets))
        total = totals.get(sheet.entry_id, {}).get(sheet.member_id)
        ws.row(
            [sheet.entry_title, sheet.member_name]
            + [sheet.values.get(c.pk) for c in criteria]
            + [
                float(total) if total is not None else None,
                sheet.comment,
                timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")
                if sheet.submitted_at
                else "",
            ]
        )
    results = book.sheet(_("결과"))
    results.widths(_widths(_result_header()))
    _result_rows(results, stage)
    return book.save()


@registry.register(
    "contests.scores_xlsx",
    label=_("심사표·결과 엑셀"),
    # The coarse check of the downloads app; the view checked ``contests.view_results`` on
    # the stage itself before asking, and only the requester sees the file.
    perm="contests.access",
    content_type=XLSX,
)
def scores_workbook_download(
    params: Mapping[str, Any], progress: registry.Progress
) -> tuple[str, bytes]:
    """The background build of a stage's score sheets (30,000 scores take seconds)."""
    stage = Stage.objects.select_related("round").get(pk=int(params["stage"]))
    return f"scores-stage-{stage.pk}.xlsx", scores_workbook(stage=stage, progress=progress)


def minutes_workbook(*, round: Round) -> bytes:
    """회의록: per stage who scored, who recused and why, the results; then the awards."""
    book = XlsxWorkbook()
    ws = book.sheet(_("회의록"))
    ws.widths([24, 16, 14, 40, 12, 12, 10, 10, 12, 10])
    ws.header([round.title])
    ws.row([_("구분"), round.get_kind_display(), _("연도"), round.year])
    ws.row([])
    for stage in round.stages.select_related("committee").order_by("order"):
        ws.header(
            [f"{stage.order}. {stage.name}", str(stage.committee), stage.get_status_display()]
        )
        ws.header([_("위원"), _("직책"), _("제출 심사표"), _("회피")])
        submitted: dict[int, int] = {}
        for member_id in stage.sheets.filter(status=SheetStatus.SUBMITTED).values_list(
            "member_id", flat=True
        ):
            submitted[member_id] = submitted.get(member_id, 0) + 1
        recusals: dict[int, list[Recusal]] = {}
        for rec in Recusal.objects.filter(stage=stage).select_related("entry"):
            recusals.setdefault(rec.member_id, []).append(rec)
        for m in selectors.stage_members(stage=stage):
            ws.row(
                [
                    display_name(m.user),
                    m.get_role_display(),
                    submitted.get(m.pk, 0),
                    "; ".join(f"{r.entry.title}: {r.reason}" for r in recusals.get(m.pk, [])),
                ]
            )
        if stage.is_closed:
            ws.row([])
            _result_rows(ws, stage)
        ws.row([])
    ws.header([_("수상")])
    ws.header([_("등급"), _("출품작"), _("수상자"), _("상금(원)"), _("성과포인트")])
    for award in selectors.round_awards(round=round):
        ws.row(
            [
                award.get_grade_display(),
                award.entry.title,
                ", ".join(r.name for r in award.recipients.all()),
                award.prize_won,
                float(award.performance_points),
            ]
        )
    return book.save()


def certificate_pdf(*, award: Award) -> bytes:
    """A 표창장 on A4 in NanumGothic: grade, recipient, entry, date, issuer."""
    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        if fonts.missing_fonts():
            raise ServiceError(
                _("표창장에 쓸 한글 글꼴 파일이 서버에 없습니다. 관리자에게 알려 주세요."),
                code="font_missing",
            )
        pdfmetrics.registerFont(TTFont("NanumGothic", str(fonts.REGULAR)))
        pdfmetrics.registerFont(TTFont("NanumGothicBold", str(fonts.BOLD)))
    out = BytesIO()
    width, height = A4
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(_("표창장 %(title)s") % {"title": award.entry.title})
    c.setLineWidth(3)
    c.rect(36, 36, width - 72, height - 72)
    c.setFont("NanumGothicBold", 40)
    c.drawCentredString(width / 2, height - 150, _("표 창 장"))

    names = ", ".join(r.name for r in award.recipients.all())
    is_department = award.entry.owner_id is None and award.entry.department_id is not None
    c.setFont("NanumGothic", 13)
    c.drawString(
        90, height - 200, _("제 %(year)s-%(n)s호") % {"year": award.round.year, "n": award.pk}
    )
    y = height - 250
    c.setFont("NanumGothic", 16)
    for label, value in (
        (_("부    문"), award.round.get_kind_display()),
        (_("등    급"), award.get_grade_display()),
        (_("부서명") if is_department else _("성    명"), names),
        (_("제    목"), award.entry.title),
    ):
        lines = simpleSplit(value, "NanumGothic", 16, width - 290)
        c.drawString(90, y, label)
        for line in lines or [""]:
            c.drawString(190, y, line)
            y -= 28
    # 최우수·우수·장려 all end in a vowel: the particle is 로.
    sentence = (
        _(
            "위 부서는 창의구정 추진에 적극 참여하여 「%(round)s」에서 %(grade)s로 "
            "선정되었으므로 이에 표창합니다."
        )
        if is_department
        else _(
            "위 사람은 창의구정 추진에 적극 참여하여 「%(round)s」에서 %(grade)s로 "
            "선정되었으므로 이에 표창합니다."
        )
    ) % {"round": award.round.title, "grade": award.get_grade_display()}
    y -= 40
    c.setFont("NanumGothic", 16)
    for line in simpleSplit(sentence, "NanumGothic", 16, width - 180):
        c.drawString(90, y, line)
        y -= 30
    day = timezone.localtime(award.confirmed_at)
    c.setFont("NanumGothic", 15)
    c.drawCentredString(
        width / 2, 220, _("%(y)s년 %(m)s월 %(d)s일") % {"y": day.year, "m": day.month, "d": day.day}
    )
    c.setFont("NanumGothicBold", 22)
    c.drawCentredString(width / 2, 160, _("서울특별시 중구청장"))
    c.showPage()
    c.save()
    return out.getvalue()


def performance_points_workbook(*, year: int) -> bytes:
    """성과포인트 명부 for 총무과: one row per award to a staff member, and per-person totals
    (the roster bonus is ``calc.roster_bonus``)."""
    book = XlsxWorkbook()
    ws = book.sheet(_("수상별"))
    titles = [
        _("직원"),
        _("부서"),
        _("회차"),
        _("등급"),
        _("출품작"),
        _("성과포인트"),
        _("서열명부 가점"),
    ]
    ws.widths(_widths(titles))
    ws.header(titles)
    totals: dict[int, list[Any]] = {}
    for award in selectors.performance_point_awards(year=year):
        owner = award.entry.owner
        if owner is None:
            continue
        profile = getattr(owner, "staff_profile", None)
        dept = str(profile.department) if profile and profile.department else ""
        ws.row(
            [
                display_name(owner),
                dept,
                award.round.title,
                award.get_grade_display(),
                award.entry.title,
                float(award.performance_points),
                float(calc.roster_bonus(award.performance_points)),
            ]
        )
        row = totals.setdefault(owner.pk, [display_name(owner), dept, Decimal(0)])
        row[2] += award.performance_points
    per_person = book.sheet(_("직원별 합계"))
    person_titles = [_("직원"), _("부서"), _("성과포인트 합계"), _("서열명부 가점")]
    per_person.widths(_widths(person_titles))
    per_person.header(person_titles)
    for name, dept, points in totals.values():
        per_person.row([name, dept, float(points), float(calc.roster_bonus(points))])
    return book.save()
