"""Pure rules of the proposal programme 창의제안: masking, the lifecycle table, the processing
clock, half-years and incentives. No database here; the services load data and call these."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


class Status:
    """Lifecycle states (the model's TextChoices reuse these values)."""

    RECEIVED = "received"  # 접수
    REVIEWING = "reviewing"  # 검토중
    SUPPLEMENT = "supplement"  # 보완요청 (the clock is paused)
    RECOMMENDED = "recommended"  # 실무평가단 추천
    JUDGING = "judging"  # 심사 (구민창안심사위원회)
    ADOPTED = "adopted"  # 채택
    REJECTED = "rejected"  # 불채택
    AWARDED = "awarded"  # 시상
    IMPLEMENTED = "implemented"  # 실시


STATUS_LABELS: dict[str, str] = {
    Status.RECEIVED: _("접수"),
    Status.REVIEWING: _("검토중"),
    Status.SUPPLEMENT: _("보완요청"),
    Status.RECOMMENDED: _("실무평가단 추천"),
    Status.JUDGING: _("심사"),
    Status.ADOPTED: _("채택"),
    Status.REJECTED: _("불채택"),
    Status.AWARDED: _("시상"),
    Status.IMPLEMENTED: _("실시"),
}

# from -> allowed next states. 불채택 can end the review at any step before adoption.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.REVIEWING, Status.REJECTED}),
    Status.REVIEWING: frozenset({Status.SUPPLEMENT, Status.RECOMMENDED, Status.REJECTED}),
    Status.SUPPLEMENT: frozenset({Status.REVIEWING, Status.REJECTED}),
    Status.RECOMMENDED: frozenset({Status.JUDGING, Status.REJECTED}),
    Status.JUDGING: frozenset({Status.ADOPTED, Status.REJECTED}),
    Status.ADOPTED: frozenset({Status.AWARDED, Status.IMPLEMENTED}),
    Status.AWARDED: frozenset({Status.IMPLEMENTED}),
    Status.REJECTED: frozenset(),
    Status.IMPLEMENTED: frozenset(),
}
# A reason (why) is required to enter these states: the proposer must learn why.
REASON_REQUIRED: frozenset[str] = frozenset({Status.SUPPLEMENT, Status.REJECTED})
# Entering these tells the proposer (email when given; the status page always shows it).
NOTIFY_STATES: frozenset[str] = frozenset(
    {
        Status.SUPPLEMENT,
        Status.RECOMMENDED,
        Status.ADOPTED,
        Status.REJECTED,
        Status.AWARDED,
        Status.IMPLEMENTED,
    }
)
# The processing clock (처리기한) stops when the review has a result: recommended to the
# committee or not adopted. Later steps follow the committee's half-yearly sittings.
CLOCK_STOP_STATES: frozenset[str] = frozenset(
    {
        Status.RECOMMENDED,
        Status.JUDGING,
        Status.ADOPTED,
        Status.REJECTED,
        Status.AWARDED,
        Status.IMPLEMENTED,
    }
)


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def transition_error(current: str, target: str, reason: str) -> str | None:
    """Why a transition is not allowed (Korean), or None when it is."""
    if not can_transition(current, target):
        return str(
            _("'%(a)s' 상태에서 '%(b)s'(으)로 바꿀 수 없습니다.")
            % {"a": STATUS_LABELS.get(current, current), "b": STATUS_LABELS.get(target, target)}
        )
    if target in REASON_REQUIRED and not reason.strip():
        return str(_("'%(b)s'에는 사유를 적어야 합니다.") % {"b": STATUS_LABELS[target]})
    return None


# --- The processing clock ---------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (1월 31일 + 1개월 = 2월 말일)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def paused_days_total(paused_days: int, paused_since: date | None, today: date) -> int:
    """Days the clock stood still: closed pauses plus an open one (보완요청 not yet answered)."""
    open_pause = (today - paused_since).days if paused_since else 0
    return paused_days + max(open_pause, 0)


def decision_due(received_on: date, paused_days: int) -> date:
    """A decision is due one month after receipt, pushed back by the days paused."""
    from datetime import timedelta

    return add_months(received_on, 1) + timedelta(days=paused_days)


def is_overdue(
    *,
    status: str,
    received_on: date,
    paused_days: int,
    paused_since: date | None,
    today: date,
) -> bool:
    if status in CLOCK_STOP_STATES or status == Status.SUPPLEMENT:
        return False
    return today > decision_due(received_on, paused_days_total(paused_days, paused_since, today))


# --- Personal data masking ----------------------------------------------------------------------


def mask_name(name: str) -> str:
    """김민수 → 김*수, 홍길 → 홍*, 남궁민수 → 남**수; a blank name stays blank."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678; the last four digits stay for telling people apart."""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    if len(digits) < 8:
        return "*" * (len(digits) - 2) + digits[-2:]
    head = digits[:2] if digits.startswith("02") else digits[:3]
    return f"{head}-****-{digits[-4:]}"


def mask_email(email: str) -> str:
    """minsu.kim@example.kr → mi*****@example.kr."""
    local, sep, domain = email.strip().partition("@")
    if not sep:
        return mask_name(email)
    shown = local[:2] if len(local) > 2 else local[:1]
    return f"{shown}{'*' * max(len(local) - len(shown), 1)}@{domain}"


def normalize_phone(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def contact_matches(*, given: str, phone: str, email: str) -> bool:
    """The status lookup: the contact typed must be the phone or the email on the proposal."""
    given = given.strip()
    if not given:
        return False
    if "@" in given:
        return bool(email) and given.lower() == email.strip().lower()
    digits = normalize_phone(given)
    return bool(digits) and digits == normalize_phone(phone)


# --- Receipt numbers and half-years --------------------------------------------------------------

RECEIPT_RE = re.compile(r"^(?P<year>\d{4})-(?P<kind>[RS])-(?P<seq>\d{5,})$")


def receipt_number(year: int, kind: str, seq: int) -> str:
    """2016-R-00042: year, R (resident 구민) or S (staff 직원), a yearly sequence."""
    return f"{year}-{kind}-{seq:05d}"


def parse_receipt(text: str) -> tuple[int, str, int] | None:
    match = RECEIPT_RE.match(text.strip().upper())
    if not match:
        return None
    return int(match["year"]), match["kind"], int(match["seq"])


def half_of(day: date) -> int:
    """1 = 상반기 (Jan–Jun), 2 = 하반기 (Jul–Dec)."""
    return 1 if day.month <= 6 else 2


def half_bounds(year: int, half: int) -> tuple[date, date]:
    """The first and last day of a half-year."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


# --- Incentives (SPEC §3) ------------------------------------------------------------------------


class Grade:
    GRAND = "grand"  # 최우수
    EXCELLENT = "excellent"  # 우수
    MERIT = "merit"  # 장려


GRADE_LABELS: dict[str, str] = {
    Grade.GRAND: _("최우수"),
    Grade.EXCELLENT: _("우수"),
    Grade.MERIT: _("장려"),
}
GRADE_ORDER: tuple[str, ...] = (Grade.GRAND, Grade.EXCELLENT, Grade.MERIT)
# thousand won per award; quotas per evaluation (최우수 1, 우수 2, 장려 3).
PRIZE_THOUSAND_WON: dict[str, int] = {Grade.GRAND: 300, Grade.EXCELLENT: 200, Grade.MERIT: 100}
GRADE_QUOTA: dict[str, int] = {Grade.GRAND: 1, Grade.EXCELLENT: 2, Grade.MERIT: 3}
# 성과포인트 in tenths, to stay exact: 2.0 / 1.0 / 0.5.
PERFORMANCE_POINTS_TENTHS: dict[str, int] = {Grade.GRAND: 20, Grade.EXCELLENT: 10, Grade.MERIT: 5}


@dataclass(frozen=True)
class Incentive:
    prize_won: int
    performance_points: float  # 성과포인트 (staff only)
    roster_bonus: float  # 서열명부 실적가점 = 10% of the points (staff only)


def incentive_for(grade: str, *, is_staff: bool) -> Incentive:
    """Prize for everyone; performance points and the 10% roster bonus for staff only."""
    prize = PRIZE_THOUSAND_WON.get(grade, 0) * 1000
    if not is_staff:
        return Incentive(prize_won=prize, performance_points=0.0, roster_bonus=0.0)
    tenths = PERFORMANCE_POINTS_TENTHS.get(grade, 0)
    # Integer arithmetic in hundredths so 0.5 × 10% is exactly 0.05.
    return Incentive(prize_won=prize, performance_points=tenths / 10, roster_bonus=tenths / 100)


def retention_end(received_on: date, years: int) -> date:
    """The day the personal data is to be anonymized (보유기간 만료)."""
    return add_months(received_on, 12 * years)
