"""Who may do what in the learning clubs (django-rules). Object permissions take a Club or a
StudyGroup; "current" roles are the open memberships (no end date)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.models import AbstractBaseUser

from common.access import allowed
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


OFFICER_ROLES = (Membership.Role.LEADER, Membership.Role.SECRETARY)


def _loaded(obj: object, name: str) -> list[Any] | None:
    """The rows of ``obj.<name>`` already loaded by a prefetch (None when not loaded)."""
    cache = getattr(obj, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def _holds(user: AbstractBaseUser, group: StudyGroup, roles: tuple[str, ...]) -> bool:
    """A current seat of one of ``roles`` in ``group``: read from the group's memberships
    when a page loaded them (the club page: no query per group), else asked."""
    seats = _loaded(group, "memberships")
    if seats is not None:
        return any(m.user_id == user.pk and m.role in roles and m.end_date is None for m in seats)
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
    return _holds(user, group, OFFICER_ROLES)


@rules.predicate
def is_club_officer(user: AbstractBaseUser, club: Club | None) -> bool:
    """A current 분임장 or 총무 of any group of the club."""
    if not isinstance(club, Club) or not user.is_authenticated:
        return False
    groups = _loaded(club, "groups")
    if groups is not None and all(_loaded(g, "memberships") is not None for g in groups):
        return any(_holds(user, g, OFFICER_ROLES) for g in groups)
    return Membership.objects.filter(
        club_id=club.pk, user_id=user.pk, role__in=OFFICER_ROLES, end_date__isnull=True
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
    """What one person may do on a club's page: the ``clubs.*`` rules above, asked once each
    (per group for the group rules) on the club and groups the page loaded with their
    memberships, so the rules read those instead of asking the database."""

    manage: bool  # clubs.manage
    manage_members: bool  # clubs.manage_members
    file_research_report: bool  # clubs.file_research_report
    recommend_incentives: bool  # clubs.recommend_incentives
    record_groups: frozenset[int]  # groups where clubs.record_meeting holds
    secretary_groups: frozenset[int]  # groups where clubs.file_report holds


def club_access(user: AbstractBaseUser, club: Club, groups: Iterable[StudyGroup]) -> ClubAccess:
    """The page's answers through the one permission accessor (``common.access.allowed``)."""
    groups = list(groups)
    return ClubAccess(
        manage=allowed(user, "clubs.manage"),
        manage_members=allowed(user, "clubs.manage_members", club),
        file_research_report=allowed(user, "clubs.file_research_report", club),
        recommend_incentives=allowed(user, "clubs.recommend_incentives", club),
        record_groups=frozenset(g.pk for g in groups if allowed(user, "clubs.record_meeting", g)),
        secretary_groups=frozenset(g.pk for g in groups if allowed(user, "clubs.file_report", g)),
    )
