"""Writes for the org chart and accounts."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from .models import Department, StaffProfile, Team
from .roles import ALL_ROLES, Role

User = get_user_model()

# Apps whose models the programme admins (지식나눔 관리자) manage in Django admin.
PORTAL_APPS = (
    "org",
    "board",
    "proposals",
    "clubs",
    "contests",
    "scoring",
    "notifications",
    "programme",
)


def roles_ensure() -> dict[Role, Group]:
    """Create the role groups and give the portal admins the portal's model permissions.

    Runs after every migrate, so permissions of models added later are granted too.
    """
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in ALL_ROLES}
    perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    groups[Role.PORTAL_ADMIN].permissions.add(*perms)
    return groups


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    last_name: str,
    first_name: str,
    department: Department | None = None,
    team: Team | None = None,
    position: str = StaffProfile.Position.OFFICER,
    employee_number: str | None = None,
    email: str = "",
    roles: Iterable[Role] = (Role.STAFF,),
    is_superuser: bool = False,
) -> AbstractUser:
    """Create (or bring up to date) a staff account with its profile and roles. Idempotent."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": last_name, "first_name": first_name, "email": email},
    )
    roles = set(roles)
    user.is_staff = is_superuser or Role.PORTAL_ADMIN in roles  # Django admin access
    user.is_superuser = is_superuser
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
    user.save()
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "department": department,
            "team": team,
            "position": position,
            "employee_number": employee_number,
        },
    )
    groups = roles_ensure()
    user.groups.add(*(groups[r] for r in roles))
    return user
