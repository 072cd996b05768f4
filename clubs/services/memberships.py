"""Memberships of a group: joining, ending (승진·전보·탈퇴) and role changes, with history kept."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import display_name

from .. import calculations as calc
from ..models import (
    Attendance,
    Membership,
    StudyGroup,
)

# --- Memberships -----------------------------------------------------------------------------


def _role_holder(group: StudyGroup, role: str) -> Membership | None:
    return group.memberships.select_related("user").filter(role=role, end_date__isnull=True).first()


def _check_role_free(group: StudyGroup, role: str, *, exclude: Membership | None = None) -> None:
    if role == Membership.Role.MEMBER:
        return
    holder = _role_holder(group, role)
    if holder and holder != exclude:
        raise ServiceError(
            _(
                "%(group)s에는 이미 %(role)s(%(name)s)이(가) 있습니다. "
                "한 분임에 %(role)s은(는) 한 명뿐입니다. 먼저 기존 %(role)s의 역할을 바꾸세요."
            ),
            code="role_taken",
            field="role",
            params={
                "group": group.name,
                "role": Membership.Role(role).label,
                "name": display_name(holder.user),
            },
        )


def _create_membership(**kwargs: Any) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(**kwargs)
    except IntegrityError as exc:  # a concurrent request took the role or the seat first
        raise ServiceError(
            _("다른 사용자가 방금 같은 역할이나 회원 정보를 바꾸었습니다. 다시 확인하세요."),
            code="conflict",
        ) from exc


@transaction.atomic
def membership_add(
    *,
    group: StudyGroup,
    user: User,
    start_date: date,
    role: str = Membership.Role.MEMBER,
    at: datetime | None = None,
) -> Membership:
    """Add a person to a group from ``start_date`` with a role (분임장, 총무 or 회원)."""
    club = group.club
    start, end = calc.club_period(club.year)
    if not start <= start_date <= end:
        raise ServiceError(
            _("시작일은 %(year)d년 동아리 운영 기간(%(start)s~%(end)s) 안이어야 합니다."),
            code="period",
            field="start_date",
            params={"year": club.year, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        )
    current = (
        Membership.objects.select_related("group")
        .filter(club=club, user=user, end_date__isnull=True)
        .first()
    )
    if current:
        raise ServiceError(
            _(
                "%(name)s님은 이미 %(group)s 회원입니다. "
                "분임을 옮기려면 먼저 기존 활동을 종료하세요."
            ),
            code="duplicate",
            field="user",
            params={"name": display_name(user), "group": current.group.name},
        )
    # Periods of the same person in the same club must not overlap (history stays readable).
    if Membership.objects.filter(club=club, user=user, end_date__gte=start_date).exists():
        raise ServiceError(
            _(
                "%(name)s님의 이전 활동 기간과 겹칩니다. "
                "시작일을 이전 종료일 다음 날 이후로 하세요."
            ),
            code="overlap",
            field="start_date",
            params={"name": display_name(user)},
        )
    _check_role_free(group, role)
    return _create_membership(club=club, group=group, user=user, role=role, start_date=start_date)


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: date, reason: str, at: datetime | None = None
) -> Membership:
    """End a membership (승진·전보·탈퇴...). The row stays as history."""
    if membership.end_date is not None:
        raise ServiceError(_("이미 종료된 활동입니다."), code="state")
    if end_date < membership.start_date:
        raise ServiceError(_("종료일이 시작일보다 빠릅니다."), code="invalid", field="end_date")
    if reason not in Membership.EndReason.values:
        raise ServiceError(_("종료 사유를 고르세요."), code="required", field="reason")
    if Attendance.objects.filter(
        user_id=membership.user_id, meeting__group_id=membership.group_id, held_on__gt=end_date
    ).exists():
        raise ServiceError(
            _("종료일 이후 모임에 출석 기록이 있습니다. 종료일을 마지막 출석일 이후로 하세요."),
            code="attended",
            field="end_date",
        )
    membership.end_date = end_date
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, on_date: date, at: datetime | None = None
) -> Membership:
    """Give a member a new role from ``on_date``: the old row ends the day before."""
    if membership.end_date is not None:
        raise ServiceError(_("종료된 활동의 역할은 바꿀 수 없습니다."), code="state")
    if role == membership.role:
        raise ServiceError(_("지금과 같은 역할입니다."), code="unchanged", field="role")
    if on_date <= membership.start_date:
        raise ServiceError(
            _("역할 변경일은 현재 역할 시작일 다음 날 이후여야 합니다."),
            code="invalid",
            field="on_date",
        )
    _check_role_free(membership.group, role, exclude=membership)
    membership.end_date = on_date - timedelta(days=1)
    membership.end_reason = Membership.EndReason.ROLE_CHANGE
    membership.save(update_fields=["end_date", "end_reason"])
    return _create_membership(
        club=membership.club,
        group=membership.group,
        user=membership.user,
        role=role,
        start_date=on_date,
    )
