"""Incentives after the November review: top contributors and the overseas study trip."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import display_name

from .. import calculations as calc
from .. import selectors
from ..models import (
    Club,
    Incentive,
    Membership,
)

# --- Incentives ------------------------------------------------------------------------------


@transaction.atomic
def top_contributor_recommend(
    *,
    club: Club,
    user: User,
    recommended_by: User,
    grade: str | None,
    at: datetime | None = None,
) -> Incentive:
    """The chair recommends one of a group's top contributors (특별휴가, 전보 희망부서 추천).
    ``grade`` is the club's review grade (read from the contests round by the caller)."""
    membership = (
        Membership.objects.select_related("group")
        .filter(club=club, user=user)
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        raise ServiceError(
            _("%(name)s님은 이 동아리 회원이 아닙니다."),
            code="not_member",
            field="user",
            params={"name": display_name(user)},
        )
    group = membership.group
    Club.objects.select_for_update().get(pk=club.pk)
    already = Incentive.objects.filter(club=club, group=group, kind=Incentive.Kind.TOP_CONTRIBUTOR)
    if already.filter(user=user).exists():
        raise ServiceError(
            _("%(name)s님은 이미 추천되었습니다."),
            code="duplicate",
            field="user",
            params={"name": display_name(user)},
        )
    if problem := calc.top_contributor_problem(grade=grade, already_in_group=already.count()):
        raise ServiceError(problem, code="limit")
    return Incentive.objects.create(
        club=club,
        group=group,
        user=user,
        kind=Incentive.Kind.TOP_CONTRIBUTOR,
        grade=grade or "",
        recommended_by=recommended_by,
        recommended_at=at or timezone.now(),
    )


@transaction.atomic
def top_contributor_withdraw(*, incentive: Incentive) -> None:
    if incentive.kind != Incentive.Kind.TOP_CONTRIBUTOR:
        raise ServiceError(_("활동 최고 기여자 추천만 취소할 수 있습니다."), code="kind")
    incentive.delete()


@transaction.atomic
def overseas_trip_recommend(
    *,
    club: Club,
    recommended_by: User,
    grade: str | None,
    at: datetime | None = None,
) -> int:
    """Recommend every member of the 최우수 club for the overseas study trip. Idempotent:
    returns how many were newly recommended."""
    if "overseas_trip" not in calc.incentive_kinds_for_grade(grade):
        raise ServiceError(
            _("해외선진문화체험연수 추천은 최우수 동아리 구성원만 받을 수 있습니다."),
            code="grade",
        )
    at = at or timezone.now()
    latest = selectors.year_members(club=club)
    existing = set(
        Incentive.objects.filter(club=club, kind=Incentive.Kind.OVERSEAS_TRIP).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Incentive(
            club=club,
            group_id=m.group_id,
            user_id=user_id,
            kind=Incentive.Kind.OVERSEAS_TRIP,
            grade=grade or "",
            recommended_by=recommended_by,
            recommended_at=at,
        )
        for user_id, m in latest.items()
        if user_id not in existing
    ]
    Incentive.objects.bulk_create(new)
    return len(new)
