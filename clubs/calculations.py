"""Pure rules of the learning clubs, on plain values (no database): the club year, the
learning-hours cap, monthly report due dates and who may get which incentive.

Months and half-years are the portal's one calendar (``common.periods``); the grade
vocabulary 최우수/우수/장려 is the contests app's (``contests.models.Grade``)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from common import periods
from common.periods import Period
from contests.models import GRADE_ORDER, Grade

# 상시학습 인정: at most this many hours per person per half-year.
LEARNING_HOURS_CAP = Decimal("12")
MAX_MEETING_HOURS = Decimal("8")
CLUB_FIRST_MONTH = 2  # February
CLUB_LAST_MONTH = 11  # November
CLUB_LAST_DAY = 30  # a club year ends on the 30th of its last month
MAX_GROUPS_PER_CLUB = 2  # "2개의 분임"
TOP_CONTRIBUTORS_PER_GROUP = 2  # "활동 최고 기여자 2인 (분임별)"
REVIEW_MONTH = 11  # the November review 성과 심사
RESEARCH_REPORT_HALF = 2  # the research report is filed in the second half-year
# A month's report is due by this day of the following month; after it, it is flagged.
REPORT_DUE_DAY = 5
# Support spending is recorded in whole won; the database column holds up to this.
MAX_EXPENSE_WON = 2_147_483_647


def half_year_of(day: date) -> Period:
    """The calendar half-year (상반기 or 하반기) of a day."""
    return periods.half(day.year, periods.half_of(day))


def half_label(half: Period) -> str:
    """'2026년 상반기' / '2026년 하반기'."""
    if periods.half_of(half.start) == 1:
        return _("%(year)d년 상반기") % {"year": half.start.year}
    return _("%(year)d년 하반기") % {"year": half.start.year}


def club_period(year: int) -> tuple[date, date]:
    """The first and last day of a club year (inclusive)."""
    return date(year, CLUB_FIRST_MONTH, 1), date(year, CLUB_LAST_MONTH, CLUB_LAST_DAY)


def report_months(year: int) -> list[date]:
    """The months a group reports on (the club year's months), as first days."""
    first, last = club_period(year)
    return Period(first, periods.next_month(last), f"{year}-clubs").months


def report_due_date(month: date) -> date:
    """The last day a month's report is on time: ``REPORT_DUE_DAY`` of the next month."""
    return periods.next_month(month).replace(day=REPORT_DUE_DAY)


def latest_overdue_month(today: date) -> date:
    """The latest month whose report is past due on ``today``: the month a reminder run on
    ``today`` is about. On the 1st–5th that is two months back (last month's report is still
    on time), from the 6th it is last month."""
    last_month = periods.previous_month(today)
    if today > report_due_date(last_month):
        return last_month
    return periods.previous_month(last_month)


def report_reminder_period(day: date) -> str:
    """The period key of a reminder run on ``day`` (the scheduled job's ``JobRun`` period):
    the month whose reports it flags, so a run on the 1st does not mark the month done before
    the 6th's run could flag it."""
    return periods.month_key(latest_overdue_month(day))


def overdue_months(
    year: int, *, filed: set[date], today: date, since: date | None = None
) -> list[date]:
    """Report months past their due date with no report filed. ``since`` skips months before
    the group existed (a group formed in May owes nothing for February)."""
    return [
        m
        for m in report_months(year)
        if report_due_date(m) < today
        and m not in filed
        and (since is None or periods.next_month(m) > since)
    ]


def meeting_date_problem(*, held_on: date, today: date, club_year: int) -> str | None:
    """Why a meeting date is not acceptable, in Korean; None when it is."""
    start, end = club_period(club_year)
    if held_on > today:
        return _("모임 날짜(%(day)s)가 오늘 이후입니다. 이미 열린 모임만 기록할 수 있습니다.") % {
            "day": f"{held_on:%Y-%m-%d}"
        }
    if not start <= held_on <= end:
        return _(
            "모임 날짜(%(day)s)가 %(year)d년 동아리 운영 기간(%(start)s~%(end)s) 밖입니다."
        ) % {
            "day": f"{held_on:%Y-%m-%d}",
            "year": club_year,
            "start": f"{start:%Y-%m-%d}",
            "end": f"{end:%Y-%m-%d}",
        }
    return None


def meeting_hours_problem(hours: Decimal) -> str | None:
    if hours <= 0:
        return _("학습 시간은 0보다 커야 합니다.")
    if hours > MAX_MEETING_HOURS:
        return _("한 번의 모임은 최대 %(max)s시간까지 기록할 수 있습니다.") % {
            "max": format_hours(MAX_MEETING_HOURS)
        }
    if hours * 2 != int(hours * 2):
        return _("학습 시간은 0.5시간 단위로 입력하세요.")
    return None


def cap_hours(raw: Decimal, cap: Decimal = LEARNING_HOURS_CAP) -> Decimal:
    """The hours credited for ``raw`` attended hours in one half-year."""
    if raw < 0:
        raise ValueError("attended hours cannot be negative")
    return min(raw, cap)


def credit_for_meeting(
    *, already: Decimal, hours: Decimal, cap: Decimal = LEARNING_HOURS_CAP
) -> Decimal:
    """How much of a new meeting's ``hours`` is credited when ``already`` hours were attended
    in the same half-year: the cap is applied, never bypassed."""
    return cap_hours(already + hours, cap) - cap_hours(already, cap)


@dataclass(frozen=True)
class AttendedHours:
    """One attendance, as plain values."""

    user_id: int
    held_on: date
    hours: Decimal


@dataclass(frozen=True)
class LearningHours:
    """A person's learning hours in one half-year: attended and credited (capped)."""

    attended: Decimal
    credited: Decimal

    @property
    def over_cap(self) -> Decimal:
        return self.attended - self.credited


def learning_hours(rows: Iterable[AttendedHours]) -> dict[tuple[int, Period], LearningHours]:
    """Sum attended hours per person and half-year, then apply the cap."""
    totals: dict[tuple[int, Period], Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[(row.user_id, half_year_of(row.held_on))] += row.hours
    return {
        key: LearningHours(attended=raw, credited=cap_hours(raw)) for key, raw in totals.items()
    }


def summarize(attended: Decimal) -> LearningHours:
    """One person's half-year from an attended total (as summed by SQL)."""
    return LearningHours(attended=attended, credited=cap_hours(attended))


def incentive_kinds_for_grade(grade: str | None) -> set[str]:
    """Which incentives a club's grade opens: 최우수 → top contributors and the study trip
    for every member; 우수 → top contributors; 장려 or none → nothing."""
    if grade == Grade.GRAND:
        return {"top_contributor", "overseas_trip"}
    if grade == Grade.EXCELLENT:
        return {"top_contributor"}
    return set()


def grade_label(grade: str | None) -> str:
    """The Korean name of a review grade (최우수, 우수, 장려), or '' for none or unknown."""
    if grade in Grade.values:
        return str(Grade(grade).label)
    return ""


def grade_rank(grade: str | None) -> int:
    """Sort key of a review grade: 최우수 first, then 우수, 장려, and no grade last."""
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


def top_contributor_problem(*, grade: str | None, already_in_group: int) -> str | None:
    """Why another top contributor cannot be recommended in a group; None when they can."""
    if "top_contributor" not in incentive_kinds_for_grade(grade):
        return _("최우수 또는 우수 동아리만 활동 최고 기여자를 추천할 수 있습니다.")
    if already_in_group >= TOP_CONTRIBUTORS_PER_GROUP:
        return _("분임별 활동 최고 기여자는 %(n)d명까지 추천할 수 있습니다.") % {
            "n": TOP_CONTRIBUTORS_PER_GROUP
        }
    return None


def format_hours(value: Decimal) -> str:
    """12.0 → '12', 1.5 → '1.5' (hours as people write them)."""
    return f"{value.normalize():f}"
