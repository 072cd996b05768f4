"""Who may do what in the learning clubs (django-rules). Object permissions take a Club or a
StudyGroup; "current" roles are the open memberships (no end date)."""

from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.contrib.auth.models import AbstractBaseUser

from org.rules import is_authenticated, is_portal_admin
from org.selectors import department_of

from .models import Club, Membership, StudyGroup

# 총무과 receives the incentive and learning-hours lists (SPEC: "총무과 (HR) export").
HR_DEPARTMENT_NAME = "총무과"


ClubPart = Club | StudyGroup | Membership


def _club_of(obj: ClubPart | None) -> Club | None:
    """The club a group or a membership belongs to (or the club itself)."""
    if isinstance(obj, StudyGroup | Membership):
        return obj.club
    return obj if isinstance(obj, Club) else None


def _holds(user: AbstractBaseUser, group: StudyGroup, roles: tuple[str, ...]) -> bool:
    return Membership.objects.filter(
        group_id=group.pk, user_id=user.pk, role__in=roles, end_date__isnull=True
    ).exists()


@rules.predicate
def is_club_chair(user: AbstractBaseUser, obj: ClubPart | None) -> bool:
    club = _club_of(obj)
    return club is not None and user.is_authenticated and club.chair_id == user.pk


@rules.predicate
def is_group_secretary(user: AbstractBaseUser, group: StudyGroup | None) -> bool:
    """The group's current 총무."""
    if not isinstance(group, StudyGroup) or not user.is_authenticated:
        return False
    return _holds(user, group, (Membership.Role.SECRETARY,))


@rules.predicate
def is_group_officer(user: AbstractBaseUser, group: StudyGroup | None) -> bool:
    """The group's current 분임장 or 총무."""
    if not isinstance(group, StudyGroup) or not user.is_authenticated:
        return False
    return _holds(user, group, (Membership.Role.LEADER, Membership.Role.SECRETARY))


@rules.predicate
def is_club_officer(user: AbstractBaseUser, club: Club | None) -> bool:
    """A current 분임장 or 총무 of any group of the club."""
    if not isinstance(club, Club) or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        club_id=club.pk,
        user_id=user.pk,
        role__in=(Membership.Role.LEADER, Membership.Role.SECRETARY),
        end_date__isnull=True,
    ).exists()


@rules.predicate
def is_hr_staff(user: AbstractBaseUser) -> bool:
    dept = department_of(user)
    return dept is not None and dept.name == HR_DEPARTMENT_NAME


rules.add_perm("clubs.view", is_authenticated)
rules.add_perm("clubs.manage", is_portal_admin)
rules.add_perm("clubs.record_expense", is_portal_admin)
rules.add_perm("clubs.manage_members", is_portal_admin | is_club_chair)
rules.add_perm("clubs.record_meeting", is_portal_admin | is_group_officer)
rules.add_perm("clubs.file_report", is_group_secretary)
rules.add_perm("clubs.file_research_report", is_club_chair | is_club_officer)
rules.add_perm("clubs.recommend_incentives", is_portal_admin | is_club_chair)
rules.add_perm("clubs.export_hr", is_portal_admin | is_hr_staff)


@dataclass(frozen=True)
class ClubAccess:
    """What one person may do on a club's page, decided once from memberships already
    loaded (the same answers as the ``clubs.*`` rules above; ``tests/test_rules.py``
    compares them)."""

    manage: bool  # clubs.manage
    manage_members: bool  # clubs.manage_members
    file_research_report: bool  # clubs.file_research_report
    recommend_incentives: bool  # clubs.recommend_incentives
    record_groups: frozenset[int]  # groups where clubs.record_meeting holds
    secretary_groups: frozenset[int]  # groups where clubs.file_report holds


def club_access(user: AbstractBaseUser, club: Club, groups: Iterable[StudyGroup]) -> ClubAccess:
    """The one accessor for a club's page: ``groups`` are the club's groups with every
    membership loaded (``memberships.all()``, as the page has them); the user's own current
    seats are picked from them, so no question is asked per group. ``is_portal_admin`` reads
    the role names cached on the user (``jisik_portal.roles_cache``)."""
    admin = bool(user.is_authenticated and is_portal_admin(user))
    chair = bool(is_club_chair(user, club))
    groups = list(groups)
    seats = [
        m
        for g in groups
        for m in g.memberships.all()
        if user.is_authenticated and m.user_id == user.pk and m.end_date is None
    ]
    officer_roles = (Membership.Role.LEADER, Membership.Role.SECRETARY)
    officer_groups = frozenset(m.group_id for m in seats if m.role in officer_roles)
    secretary_groups = frozenset(m.group_id for m in seats if m.role == Membership.Role.SECRETARY)
    group_ids = frozenset(g.pk for g in groups)
    return ClubAccess(
        manage=admin,
        manage_members=admin or chair,
        file_research_report=chair or bool(officer_groups),
        recommend_incentives=admin or chair,
        record_groups=(group_ids | officer_groups) if admin else officer_groups,
        secretary_groups=secretary_groups,
    )
