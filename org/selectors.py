"""Reads about who is who."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import UNASSIGNED_LABEL, Department, StaffProfile, display_name

User = get_user_model()


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


__all__ = ["department_label", "department_of", "display_name", "users_with_profiles"]
