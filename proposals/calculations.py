"""Pure rules of the proposal programme 창의제안: masking, the lifecycle table, the processing
clock and receipt numbers. No database here; the services load data and call these."""

import re
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common import periods


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


STATUS_LABELS: dict[str, str | Promise] = {
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


# A staff proposal is also a 창의제안 board post: the board's review is a step of the same
# lifecycle. Board status reached -> {proposal status now: proposal status next}. 승인 opens the
# review (검토중); 반려 ends it (불채택) while the committee has not taken it up; an author's
# edit that sends the post back to 승인 대기 receives it again (재접수).
BOARD_STEPS: dict[str, dict[str, str]] = {
    "approved": {Status.RECEIVED: Status.REVIEWING, Status.REJECTED: Status.REVIEWING},
    "rejected": {
        Status.RECEIVED: Status.REJECTED,
        Status.REVIEWING: Status.REJECTED,
        Status.SUPPLEMENT: Status.REJECTED,
        Status.RECOMMENDED: Status.REJECTED,
    },
    "submitted": {Status.REVIEWING: Status.RECEIVED, Status.REJECTED: Status.RECEIVED},
}
# Past these, the committee decides: the board may not approve, reject or resubmit any more.
COMMITTEE_STATES: frozenset[str] = frozenset(
    {Status.JUDGING, Status.ADOPTED, Status.AWARDED, Status.IMPLEMENTED}
)


def board_step(current: str, board_status: str) -> str | None:
    """The proposal status a board change leads to, or None when the proposal stays."""
    return BOARD_STEPS.get(board_status, {}).get(current)


def board_step_error(current: str, board_status: str) -> str | None:
    """Why the board may not make this change to a staff proposal's post (Korean), or None."""
    if board_status in BOARD_STEPS and current in COMMITTEE_STATES:
        return str(
            _("구민창안심사위원회 심사 단계('%(a)s')의 제안은 게시판에서 승인·반려할 수 없습니다.")
            % {"a": STATUS_LABELS.get(current, current)}
        )
    return None


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


def paused_days_total(paused_days: int, paused_since: date | None, today: date) -> int:
    """Days the clock stood still: closed pauses plus an open one (보완요청 not yet answered)."""
    open_pause = (today - paused_since).days if paused_since else 0
    return paused_days + max(open_pause, 0)


def decision_due(received_on: date, paused_days: int) -> date:
    """A decision is due one month after receipt, pushed back by the days paused."""
    return periods.add_months(received_on, 1) + timedelta(days=paused_days)


def overdue_bound(today: date) -> date:
    """The first day of receipt that is not yet overdue on ``today`` (clock never paused):
    a proposal received before it is overdue. Exact at month ends, where ``add_months``
    clamps (received 29 February → due 29 March)."""
    day = periods.add_months(today, -1) + timedelta(days=3)
    while periods.add_months(day - timedelta(days=1), 1) >= today:
        day -= timedelta(days=1)
    return day


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


# --- Intake dates ---------------------------------------------------------------------------------

# The portal's first year (the 2016 plan): nothing is received before it.
FIRST_RECEIPT_YEAR = 2016


def received_on_error(day: date, today: date) -> str | None:
    """Why a receipt date given by staff (대리 접수) is impossible, or None."""
    if day > today:
        return str(_("접수일은 오늘보다 늦을 수 없습니다."))
    if day.year < FIRST_RECEIPT_YEAR:
        return str(_("접수일은 %(year)d년 1월 1일 이후여야 합니다.") % {"year": FIRST_RECEIPT_YEAR})
    return None


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


PHONE_IN_TEXT_RE = re.compile(r"(?<!\d)0\d{1,2}[-. )]?\d{3,4}[-. ]?\d{4}(?!\d)")
EMAIL_IN_TEXT_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A place name (…동, …가, …로, …길, …리) followed by a house number: 회현동 12-3, 퇴계로 123번길 4.
ADDRESS_IN_TEXT_RE = re.compile(
    r"[가-힣0-9]+(?:동|가|로|길|리)\s*\d+(?:-\d+)?(?:\s*번지|\s*번길(?:\s*\d+(?:-\d+)?)?|\s*호)?"
    r"(?:\s*\d+\s*호)?"
)
REDACTED = {"phone": "(전화번호 삭제)", "email": "(전자우편 삭제)", "address": "(주소 삭제)",
            "name": "(성명 삭제)"}  # fmt: skip


def redact(text: str, names: list[str]) -> str:
    """The text without personal data: phone numbers, e-mail addresses, street addresses
    with a house number, and the given names (the full name, and the given name alone when
    it has two letters or more). Place names alone (회현동 주민센터) stay."""
    if not text:
        return text
    text = EMAIL_IN_TEXT_RE.sub(REDACTED["email"], text)
    text = PHONE_IN_TEXT_RE.sub(REDACTED["phone"], text)
    text = ADDRESS_IN_TEXT_RE.sub(REDACTED["address"], text)
    words: set[str] = set()
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            words.add(name)
        if len(name) >= 3:
            words.add(name[1:])  # 정민서 → 민서
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, REDACTED["name"])
    return text


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


# --- Receipt numbers --------------------------------------------------------------

RECEIPT_RE = re.compile(r"^(?P<year>\d{4})-(?P<kind>[RS])-(?P<seq>\d{5,})$")


def receipt_number(year: int, kind: str, seq: int) -> str:
    """2016-R-00042: year, R (resident 구민) or S (staff 직원), a yearly sequence."""
    return f"{year}-{kind}-{seq:05d}"


def parse_receipt(text: str) -> tuple[int, str, int] | None:
    match = RECEIPT_RE.match(text.strip().upper())
    if not match:
        return None
    return int(match["year"]), match["kind"], int(match["seq"])


def retention_end(received_on: date, years: int) -> date:
    """The day the personal data is to be anonymized (보유기간 만료)."""
    return periods.add_months(received_on, 12 * years)
