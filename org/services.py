"""Writes for the org chart and accounts."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.models import User as AuthUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from common.errors import ServiceError

from .models import Assignment, Department, StaffProfile, Team
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
) -> AuthUser:
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
    profile, _created = StaffProfile.objects.update_or_create(
        user=user,
        defaults={"position": position, "employee_number": employee_number},
    )
    staff_transfer(user=user, department=department, team=team)
    groups = roles_ensure()
    user.groups.add(*(groups[r] for r in roles))
    return user


@transaction.atomic
def staff_transfer(
    *,
    user: AuthUser,
    department: Department | None,
    team: Team | None = None,
    at: datetime | None = None,
) -> Assignment | None:
    """Post ``user`` to ``department`` (and ``team``) from ``at`` on, keeping the history.

    The current assignment ends at ``at`` and a new one starts there; the profile follows.
    The first posting of a person starts "before the history began", so records older than
    the first import still find a department. Nothing changes when the posting is the same.
    Returns the new assignment, or None when nothing changed.
    """
    at = at or timezone.now()
    if team is not None and department is not None and team.department_id != department.pk:
        raise ServiceError(
            _("%(team)s은(는) %(dept)s의 팀이 아닙니다."),
            code="team_department",
            field="team",
            params={"team": team.name, "dept": department.name},
        )
    profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=user)
    current = (
        Assignment.objects.select_for_update().filter(user=user, ended_at__isnull=True).first()
    )
    dept_id = department.pk if department else None
    team_id = team.pk if team else None
    if current is None:
        # No history yet: the profile's posting (if any) was held until now.
        if (profile.department_id, profile.team_id) == (dept_id, team_id):
            return Assignment.objects.create(user=user, department=department, team=team)
        if profile.department_id is not None or profile.team_id is not None:
            Assignment.objects.create(
                user=user, department_id=profile.department_id, team_id=profile.team_id,
                ended_at=at,
            )  # fmt: skip
            new = Assignment.objects.create(
                user=user, department=department, team=team, started_at=at
            )
        else:
            new = Assignment.objects.create(user=user, department=department, team=team)
    elif (current.department_id, current.team_id) == (dept_id, team_id):
        new = None
    else:
        if current.started_at is not None and current.started_at >= at:
            raise ServiceError(
                _("발령 일시는 현재 발령의 시작(%(start)s)보다 뒤여야 합니다."),
                code="transfer_before_current",
                params={"start": timezone.localtime(current.started_at).strftime("%Y-%m-%d")},
            )
        current.ended_at = at
        current.save(update_fields=["ended_at"])
        new = Assignment.objects.create(user=user, department=department, team=team, started_at=at)
    if (profile.department_id, profile.team_id) != (dept_id, team_id):
        profile.department = department
        profile.team = team
        profile.save(update_fields=["department", "team"])
    return new


def password_set_link(*, user: AuthUser, base_url: str = "") -> str:
    """The one-time link with which ``user`` chooses a password (Django's token generator:
    it stops working once the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{base_url.rstrip('/')}{path}"


def account_invite_send(*, user: AuthUser, base_url: str) -> bool:
    """Email a new account its one-time link to set a password. False when it has no email."""
    if not user.email:
        return False
    context = {
        "user": user,
        "link": password_set_link(user=user, base_url=base_url),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_mail(
        subject=_("[지식나눔] 계정이 만들어졌습니다: 비밀번호를 정해 주세요"),
        message=render_to_string("registration/invite_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


@transaction.atomic
def password_change_require(*, user: AuthUser, required: bool = True) -> None:
    """Mark (or clear) that ``user`` must choose a new password at the next sign-in."""
    StaffProfile.objects.update_or_create(
        user_id=user.pk, defaults={"must_change_password": required}
    )
