"""Meetings with attendance (learning hours, capped per half-year) and support spending."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import display_name

from .. import calculations as calc
from .. import selectors
from ..models import (
    Attendance,
    Club,
    Meeting,
    StudyGroup,
    SupportExpense,
)
from ._base import local_today

# --- Meetings and attendance -----------------------------------------------------------------


@dataclass
class MeetingRecorded:
    meeting: Meeting
    # Korean notes for attendees whose half-year cap cut this meeting's credit.
    cap_notes: list[str] = field(default_factory=list)


def _meeting_problems(
    *,
    group: StudyGroup,
    held_on: date,
    today: date,
    place: str,
    kind: str,
    hours: Decimal,
    minutes: str,
    ids: list[int],
) -> list[str]:
    """Every reason a meeting record is refused, in Korean (reads, never writes)."""
    problems: list[str] = []
    if problem := calc.meeting_date_problem(
        held_on=held_on, today=today, club_year=group.club.year
    ):
        problems.append(problem)
    if problem := calc.meeting_hours_problem(hours):
        problems.append(problem)
    if kind not in Meeting.Kind.values:
        problems.append(_("모임 종류를 고르세요."))
    if not place.strip():
        problems.append(_("장소를 적어 주세요."))
    if not minutes.strip():
        problems.append(_("회의록을 적어 주세요."))
    if not ids:
        problems.append(_("참석자를 한 명 이상 고르세요."))
    members_on_date = set(
        group.memberships.filter(user_id__in=ids, start_date__lte=held_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=held_on))
        .values_list("user_id", flat=True)
    )
    outsiders = [i for i in ids if i not in members_on_date]
    if outsiders:
        names = ", ".join(
            display_name(u) for u in User.objects.filter(pk__in=outsiders).order_by("last_name")
        )
        problems.append(
            _("%(day)s에 %(group)s 회원이 아닌 참석자가 있습니다: %(names)s")
            % {"day": f"{held_on:%Y-%m-%d}", "group": group.name, "names": names}
        )
    return problems


@transaction.atomic
def meeting_record(
    *,
    group: StudyGroup,
    recorded_by: User,
    held_on: date,
    place: str,
    kind: str,
    hours: Decimal,
    minutes: str,
    attendee_ids: Sequence[int],
    at: datetime | None = None,
) -> MeetingRecorded:
    """Record a held meeting and who attended. Every attendee must be a member of the group
    on that date; the learning hours it gives are capped per half-year."""
    at = at or timezone.now()
    try:
        hours = Decimal(hours)
        ids = list(dict.fromkeys(int(i) for i in attendee_ids))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ServiceError(_("학습 시간과 참석자를 확인하세요."), code="invalid") from exc
    problems = _meeting_problems(
        group=group, held_on=held_on, today=local_today(at), place=place, kind=kind,
        hours=hours, minutes=minutes, ids=ids,
    )  # fmt: skip
    if problems:
        raise ServiceError(" ".join(problems), code="invalid")

    meeting = Meeting.objects.create(
        group=group,
        held_on=held_on,
        place=place.strip(),
        kind=kind,
        hours=hours,
        minutes=minutes.strip(),
        recorded_by=recorded_by,
        recorded_at=at,
    )
    half = calc.half_year_of(held_on)
    before = selectors.hours_by_user(half=half, user_ids=ids)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=i, held_on=held_on, hours=hours) for i in ids]
    )
    notes: list[str] = []
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    for user_id in ids:
        already = before[user_id].attended if user_id in before else Decimal("0")
        credited = calc.credit_for_meeting(already=already, hours=hours)
        if credited < hours:
            notes.append(
                _(
                    "%(name)s님은 %(half)s 상시학습 인정 한도(%(cap)s시간)에 이르러 이번 모임 "
                    "%(hours)s시간 중 %(credited)s시간만 인정됩니다."
                )
                % {
                    "name": display_name(users[user_id]),
                    "half": calc.half_label(half),
                    "cap": calc.format_hours(calc.LEARNING_HOURS_CAP),
                    "hours": calc.format_hours(hours),
                    "credited": calc.format_hours(credited),
                }
            )
    return MeetingRecorded(meeting=meeting, cap_notes=notes)


# --- Support spending ------------------------------------------------------------------------


@transaction.atomic
def expense_record(
    *,
    club: Club,
    spent_on: date,
    category: str,
    amount: int,
    description: str,
    recorded_by: User,
    at: datetime | None = None,
) -> SupportExpense:
    """Record support spending (자문수당, 도서구입) for a club, in whole won."""
    if not isinstance(amount, int) or not 0 < amount <= calc.MAX_EXPENSE_WON:
        raise ServiceError(
            _("금액은 1원 이상의 정수(원 단위)로 적어 주세요."), code="invalid", field="amount"
        )
    if spent_on.year != club.year:
        raise ServiceError(
            _("지출일은 %(year)d년 안이어야 합니다."),
            code="period",
            field="spent_on",
            params={"year": club.year},
        )
    if spent_on > local_today(at):
        raise ServiceError(_("지출일이 오늘 이후입니다."), code="future", field="spent_on")
    if category not in SupportExpense.Category.values:
        raise ServiceError(_("지출 항목을 고르세요."), code="required", field="category")
    if not description.strip():
        raise ServiceError(_("지출 내용을 적어 주세요."), code="required", field="description")
    return SupportExpense.objects.create(
        club=club,
        spent_on=spent_on,
        category=category,
        amount=amount,
        description=description.strip(),
        recorded_by=recorded_by,
        recorded_at=at or timezone.now(),
    )
