"""Reads about who is who."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Q, QuerySet

from .models import UNASSIGNED_LABEL, Assignment, Department, StaffProfile, display_name

User = get_user_model()


def _covering(at: datetime) -> Q:
    return (Q(started_at__isnull=True) | Q(started_at__lte=at)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gt=at)
    )


def assignment_at(user: AbstractBaseUser | AnonymousUser, at: datetime) -> Assignment | None:
    """The posting 발령 ``user`` held at ``at`` (None for a person with no history)."""
    if not user.is_authenticated or user.pk is None:
        return None
    return (
        Assignment.objects.filter(_covering(at), user_id=user.pk)
        .select_related("department__bureau", "team")
        .first()
    )


def department_at(
    user: AbstractBaseUser | AnonymousUser, at: datetime | None = None
) -> Department | None:
    """The department ``user`` belonged to at ``at`` (now when None): "the department at the
    time" for recusal, points and reports after a transfer. A person with no recorded history
    (accounts made before it, factories) is read from the profile, as ``department_of``."""
    if at is None:
        return department_of(user)
    if not user.is_authenticated or user.pk is None:
        return None
    assignment = assignment_at(user, at)
    if assignment is not None:
        return assignment.department
    if Assignment.objects.filter(user_id=user.pk).exists():
        return None  # history exists but starts later: not yet posted at that time
    return department_of(user)


def departments_at(user_ids: Iterable[int], at: datetime) -> dict[int, Department | None]:
    """``department_at`` for many people in two queries: {user id: department or None}."""
    ids = set(user_ids)
    found: dict[int, Department | None] = {}
    seen: set[int] = set()
    for a in Assignment.objects.filter(user_id__in=ids).select_related("department__bureau"):
        seen.add(a.user_id)
        if (a.started_at is None or a.started_at <= at) and (a.ended_at is None or a.ended_at > at):
            found[a.user_id] = a.department
    for profile in StaffProfile.objects.filter(user_id__in=ids - seen).select_related(
        "department__bureau"
    ):
        found[profile.user_id] = profile.department
    return {uid: found.get(uid) for uid in ids}


def assignment_history(user: AbstractBaseUser) -> QuerySet[Assignment]:
    """A person's postings, oldest first."""
    return (
        Assignment.objects.filter(user_id=user.pk)
        .select_related("department__bureau", "team")
        .order_by(F("started_at").asc(nulls_first=True), "id")
    )


def department_of(user: object) -> Department | None:
    """The user's department, or None (미지정) for a user with no profile or department."""
    try:
        profile: StaffProfile = user.staff_profile  # type: ignore[attr-defined]
    except (StaffProfile.DoesNotExist, AttributeError):
        return None
    return profile.department


def department_label(user: object) -> str:
    dept = department_of(user)
    return str(dept) if dept else str(UNASSIGNED_LABEL)


def users_with_profiles() -> QuerySet:
    """Users with their profile, department and bureau in one query."""
    return User.objects.select_related(
        "staff_profile__department__bureau", "staff_profile__team"
    ).order_by("last_name", "first_name", "username")


__all__ = [
    "assignment_at",
    "assignment_history",
    "department_at",
    "department_label",
    "department_of",
    "departments_at",
    "display_name",
    "users_with_profiles",
]
