"""Excel lists for 총무과 (HR): learning hours per person and the incentives."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from org.models import display_name

from . import calculations as calc
from . import selectors


def _profile(user: object) -> tuple[str, str]:
    profile = getattr(user, "staff_profile", None)
    dept = getattr(profile, "department", None)
    return (getattr(profile, "employee_number", None) or "", str(dept) if dept else "미지정")


def _save(wb: Workbook) -> bytes:
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def learning_hours_xlsx(*, half: calc.HalfYear) -> bytes:
    """One row per person: attended and credited (capped at 12) learning hours 상시학습."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"상시학습 {half.label}"[:31]
    ws.append(
        ["직원번호", "성명", "부서", "동아리", "참석 시간", "인정 시간(상시학습)", "한도 초과"]
    )
    for row in selectors.hr_learning_hours(half=half):
        number, dept = _profile(row.user)
        ws.append(
            [
                number,
                display_name(row.user),
                dept,
                row.clubs,
                float(row.hours.attended),
                float(row.hours.credited),
                float(row.hours.over_cap),
            ]
        )
    return _save(wb)


def incentives_xlsx(*, year: int) -> bytes:
    """One row per incentive: special leave + transfer preference, or the overseas trip."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year} 동아리 인센티브"
    ws.append(
        ["직원번호", "성명", "부서", "동아리", "분임", "동아리 등급", "인센티브", "추천 일시"]
    )
    for inc in selectors.incentives_for_year(year=year):
        number, dept = _profile(inc.user)
        ws.append(
            [
                number,
                display_name(inc.user),
                dept,
                inc.club.name,
                inc.group.name,
                calc.GRADE_LABELS.get(inc.grade, inc.grade),
                inc.get_kind_display(),
                timezone.localtime(inc.recommended_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return _save(wb)
