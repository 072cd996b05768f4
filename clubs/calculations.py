"""Pure rules of the learning clubs, on plain values (no database): the club year, half-years,
the learning-hours cap, monthly report due dates and who may get which incentive."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# 상시학습 인정: at most 12 hours per person per half-year (반기별 최대 12시간 인정).
LEARNING_HOURS_CAP = Decimal("12")
MAX_MEETING_HOURS = Decimal("8")
CLUB_FIRST_MONTH = 2  # February
CLUB_LAST_MONTH = 11  # November
MAX_GROUPS_PER_CLUB = 2  # "2개의 분임"
TOP_CONTRIBUTORS_PER_GROUP = 2  # "활동 최고 기여자 2인 (분임별)"
# A month's report is due by this day of the following month; after it, it is flagged.
REPORT_DUE_DAY = 5

# Grade codes as the contests app stores them for the club review (최우수, 우수, 장려).
GRADE_TOP = "grand"
GRADE_EXCELLENT = "excellent"
GRADE_MERIT = "merit"
GRADE_LABELS = {GRADE_TOP: "최우수", GRADE_EXCELLENT: "우수", GRADE_MERIT: "장려"}


@dataclass(frozen=True, order=True)
class HalfYear:
    """A calendar half-year: 상반기 (Jan–Jun) or 하반기 (Jul–Dec)."""

    year: int
    half: int  # 1 or 2

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.year}년 {'상' if self.half == 1 else '하'}반기"

    def __str__(self) -> str:
        return self.label


def half_year_of(day: date) -> HalfYear:
    return HalfYear(day.year, 1 if day.month <= 6 else 2)


def club_period(year: int) -> tuple[date, date]:
    """A club runs from 1 February to 30 November of its year."""
    return date(year, CLUB_FIRST_MONTH, 1), date(year, CLUB_LAST_MONTH, 30)


def report_months(year: int) -> list[date]:
    """The months a group reports on: February to November, as first days."""
    return [date(year, m, 1) for m in range(CLUB_FIRST_MONTH, CLUB_LAST_MONTH + 1)]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def report_due_date(month: date) -> date:
    """The last day a month's report is on time: the 5th of the next month."""
    return next_month(month).replace(day=REPORT_DUE_DAY)


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
        and (since is None or next_month(m) > since)
    ]


def meeting_date_problem(*, held_on: date, today: date, club_year: int) -> str | None:
    """Why a meeting date is not acceptable, in Korean; None when it is."""
    start, end = club_period(club_year)
    if held_on > today:
        return (
            f"모임 날짜({held_on:%Y-%m-%d})가 오늘 이후입니다. 이미 열린 모임만 기록할 수 있습니다."
        )
    if not start <= held_on <= end:
        return (
            f"모임 날짜({held_on:%Y-%m-%d})가 {club_year}년 동아리 운영 기간"
            f"({start:%Y-%m-%d}~{end:%Y-%m-%d}) 밖입니다."
        )
    return None


def meeting_hours_problem(hours: Decimal) -> str | None:
    if hours <= 0:
        return "학습 시간은 0보다 커야 합니다."
    if hours > MAX_MEETING_HOURS:
        return f"한 번의 모임은 최대 {MAX_MEETING_HOURS}시간까지 기록할 수 있습니다."
    if hours * 2 != int(hours * 2):
        return "학습 시간은 0.5시간 단위로 입력하세요."
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


def learning_hours(rows: Iterable[AttendedHours]) -> dict[tuple[int, HalfYear], LearningHours]:
    """Sum attended hours per person and half-year, then apply the cap."""
    totals: dict[tuple[int, HalfYear], Decimal] = defaultdict(Decimal)
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
    if grade == GRADE_TOP:
        return {"top_contributor", "overseas_trip"}
    if grade == GRADE_EXCELLENT:
        return {"top_contributor"}
    return set()


def top_contributor_problem(*, grade: str | None, already_in_group: int) -> str | None:
    """Why another top contributor cannot be recommended in a group; None when they can."""
    if "top_contributor" not in incentive_kinds_for_grade(grade):
        return "최우수 또는 우수 동아리만 활동 최고 기여자를 추천할 수 있습니다."
    if already_in_group >= TOP_CONTRIBUTORS_PER_GROUP:
        return f"분임별 활동 최고 기여자는 {TOP_CONTRIBUTORS_PER_GROUP}명까지 추천할 수 있습니다."
    return None


def format_hours(value: Decimal) -> str:
    """12.0 → '12', 1.5 → '1.5' (hours as people write them)."""
    text = f"{value.normalize():f}"
    return text
