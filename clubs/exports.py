"""Excel lists for 총무과 (HR): learning hours per person and the incentives, written through
``common.tables`` (text stays text, no cell is ever a formula)."""

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from common.periods import Period
from common.tables import XlsxWorkbook
from org.models import display_name
from org.people import department_name

from . import calculations as calc
from . import selectors


def _employee_number(user: User) -> str:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "employee_number", None) or ""


def learning_hours_xlsx(*, half: Period) -> bytes:
    """One row per person: attended and credited (capped) learning hours 상시학습."""
    book = XlsxWorkbook()
    sheet = book.sheet(_("상시학습 %(half)s") % {"half": calc.half_label(half)})
    sheet.widths([12, 12, 20, 30, 10, 18, 10])
    sheet.header(
        [
            _("직원번호"),
            _("성명"),
            _("부서"),
            _("동아리"),
            _("참석 시간"),
            _("인정 시간(상시학습)"),
            _("한도 초과"),
        ]
    )
    for row in selectors.hr_learning_hours(half=half):
        sheet.row(
            [
                _employee_number(row.user),
                display_name(row.user),
                department_name(row.user),
                row.clubs,
                float(row.hours.attended),
                float(row.hours.credited),
                float(row.hours.over_cap),
            ]
        )
    return book.save()


def incentives_xlsx(*, year: int) -> bytes:
    """One row per incentive (special leave + transfer preference, or the overseas trip),
    the best-graded clubs first."""
    book = XlsxWorkbook()
    sheet = book.sheet(_("%(year)d 동아리 인센티브") % {"year": year})
    sheet.widths([12, 12, 20, 24, 10, 12, 40, 18])
    sheet.header(
        [
            _("직원번호"),
            _("성명"),
            _("부서"),
            _("동아리"),
            _("분임"),
            _("동아리 등급"),
            _("인센티브"),
            _("추천 일시"),
        ]
    )
    rows = sorted(selectors.incentives_for_year(year=year), key=lambda i: calc.grade_rank(i.grade))
    for inc in rows:
        sheet.row(
            [
                _employee_number(inc.user),
                display_name(inc.user),
                department_name(inc.user),
                inc.club.name,
                inc.group.name,
                calc.grade_label(inc.grade) or inc.grade,
                inc.get_kind_display(),
                timezone.localtime(inc.recommended_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return book.save()
