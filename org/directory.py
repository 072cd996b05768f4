"""Directory login 통합 로그인: LDAP / Active Directory through django-auth-ldap.

Enabled only when ``LDAP_SERVER_URI`` is set (settings.py). A person signs in with their
directory name and password; the portal account is found by the directory's employee number
(the HR file's 직원번호), so an account made by the staff import is the one they get, whatever
their directory name. On every sign-in the account follows the directory: name and email,
the department (when the directory's department attribute names a department of the org
chart: a transfer, kept in the history), and the roles configured to come from directory
groups. A portal account that is deactivated (retired, missing from the HR file) cannot sign
in through the directory either; an account locked or disabled in the directory fails its bind.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend, _LDAPUser

from .models import Department, StaffProfile
from .roles import Role
from .services import roles_ensure, staff_transfer

User = get_user_model()


def _attr(ldap_user: _LDAPUser, name: str) -> str:
    values = (ldap_user.attrs or {}).get(name.lower()) or (ldap_user.attrs or {}).get(name) or []
    return str(values[0]).strip() if values else ""


def role_groups() -> dict[Role, str]:
    """{role: directory group DN} from settings.DIRECTORY_ROLE_GROUPS (names -> DNs)."""
    configured: dict[str, str] = getattr(settings, "DIRECTORY_ROLE_GROUPS", {}) or {}
    return {Role(name): dn for name, dn in configured.items()}


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, keyed on the employee number, refusing inactive accounts."""

    def employee_number_attr(self) -> str:
        return str(getattr(settings, "DIRECTORY_EMPLOYEE_NUMBER_ATTR", "employeeNumber"))

    def get_or_build_user(self, username: str, ldap_user: _LDAPUser) -> tuple[Any, bool]:
        number = _attr(ldap_user, self.employee_number_attr())
        if number:
            profile = (
                StaffProfile.objects.select_related("user").filter(employee_number=number).first()
            )
            if profile is not None:
                return profile.user, False
        return super().get_or_build_user(username, ldap_user)

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None or not user.is_active:
            return None  # as ModelBackend: an inactive account does not sign in
        directory_user_sync(user=user, ldap_user=ldap_user, number_attr=self.employee_number_attr())
        return user


@transaction.atomic
def directory_user_sync(*, user: AuthUser, ldap_user: _LDAPUser, number_attr: str) -> None:
    """Bring the portal account up to date with its directory entry (see the module doc)."""
    groups = roles_ensure()
    profile, _created = StaffProfile.objects.get_or_create(user_id=user.pk)
    number = _attr(ldap_user, number_attr)
    if number and not profile.employee_number:
        if not StaffProfile.objects.filter(employee_number=number).exists():
            profile.employee_number = number
            profile.save(update_fields=["employee_number"])
    if _created or not user.groups.filter(name=Role.STAFF).exists():
        user.groups.add(groups[Role.STAFF])
    dept_attr = str(getattr(settings, "DIRECTORY_DEPARTMENT_ATTR", "") or "")
    dept_name = _attr(ldap_user, dept_attr) if dept_attr else ""
    if dept_name:
        department = Department.objects.filter(name=dept_name).first()
        if department is not None and department.pk != profile.department_id:
            staff_transfer(user=user, department=department, team=None)
    mapping = role_groups()
    if mapping:
        member_of = {dn.lower() for dn in ldap_user.group_dns}
        for role, dn in mapping.items():
            group: Group = groups[role]
            if dn.lower() in member_of:
                user.groups.add(group)
            else:
                user.groups.remove(group)
        is_admin = user.is_superuser or user.groups.filter(name=Role.PORTAL_ADMIN).exists()
        if user.is_staff != is_admin:
            user.is_staff = is_admin
            user.save(update_fields=["is_staff"])
