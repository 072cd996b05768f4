"""Who may do what in contests (django-rules): every "who may" of the app, in one place.

Object permissions take a Stage (scoring, results, closing), a Round (managing, the audit's
values, filing a case) or an Entry (its file). Scores are private to their member until the
stage closes — from the admins and superusers too: ``common.access`` reads these rules, never
``user.has_perm`` (which a superuser always passes).
"""

from datetime import date

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from org.models import StaffProfile
from org.rules import is_committee_member, is_portal_admin
from org.selectors import department_of

from .models import Assignment, CaseContact, CommitteeMember, Entry, Round, Stage, StageStatus

UserLike = AbstractBaseUser | AnonymousUser
DEPARTMENT_HEADS = (StaffProfile.Position.DIVISION_HEAD, StaffProfile.Position.DONG_HEAD)


def _active_seat_exists(user: UserLike, committee_ids: list[int], on: date | None = None) -> bool:
    if user.pk is None:
        return False
    on = on or timezone.localdate()
    return CommitteeMember.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=on),
        committee_id__in=committee_ids,
        user_id=user.pk,
        term_start__lte=on,
    ).exists()


@rules.predicate
def is_stage_member(user: UserLike, stage: Stage | None) -> bool:
    """An active member of the stage's committee (a member whose term ended is not)."""
    if not isinstance(stage, Stage) or not user.is_authenticated:
        return False
    return _active_seat_exists(user, [stage.committee_id])


@rules.predicate
def is_own_assignment(user: UserLike, assignment: Assignment | None) -> bool:
    """The assignment is the user's own, on a seat active today."""
    if not isinstance(assignment, Assignment) or not user.is_authenticated:
        return False
    return assignment.member.user_id == user.pk and assignment.member.is_active_on(
        timezone.localdate()
    )


@rules.predicate
def stage_is_open(user: UserLike, stage: Stage | None) -> bool:
    return isinstance(stage, Stage) and stage.status == StageStatus.OPEN


@rules.predicate
def stage_is_closed(user: UserLike, stage: Stage | None) -> bool:
    return isinstance(stage, Stage) and stage.status == StageStatus.CLOSED


@rules.predicate
def round_is_scoring(user: UserLike, rnd: Round | None) -> bool:
    """A stage of the round is open: its scores (and the audit's values) stay hidden."""
    return isinstance(rnd, Round) and rnd.stages.filter(status=StageStatus.OPEN).exists()


@rules.predicate
def round_is_confirmed(user: UserLike, rnd: Round | None) -> bool:
    return isinstance(rnd, Round) and rnd.confirmed_at is not None


@rules.predicate
def is_round_member(user: UserLike, entry: Entry | None) -> bool:
    """An active member of a committee scoring one of the entry's round's stages."""
    if not isinstance(entry, Entry) or not user.is_authenticated:
        return False
    committees = list(entry.round.stages.values_list("committee_id", flat=True))
    return _active_seat_exists(user, committees)


@rules.predicate
def is_entry_department(user: UserLike, entry: Entry | None) -> bool:
    dept = department_of(user) if user.is_authenticated else None
    return isinstance(entry, Entry) and dept is not None and dept.pk == entry.department_id


@rules.predicate
def is_case_filer(user: UserLike) -> bool:
    """The person the department designated for its best-practice case, or its head."""
    if not user.is_authenticated:
        return False
    dept = department_of(user)
    if dept is None:
        return False
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.position in DEPARTMENT_HEADS:
        return True
    return CaseContact.objects.filter(department=dept, user_id=user.pk).exists()


# Scores are private to their member until the stage closes; then the committee and the
# admins see everything.
can_score = is_stage_member & stage_is_open
can_view_results = stage_is_closed & (is_portal_admin | is_stage_member)

rules.add_perm("contests.access", is_portal_admin | is_committee_member)
rules.add_perm("contests.manage", is_portal_admin)
rules.add_perm("contests.score_stage", can_score)
rules.add_perm("contests.view_results", can_view_results)
# Who follows a stage (told to wait for its results while it is open).
rules.add_perm("contests.follow_stage", is_portal_admin | is_stage_member)
rules.add_perm("contests.review_stage", is_stage_member)
rules.add_perm("contests.review_assignment", is_own_assignment)
rules.add_perm("contests.view_entry_file", is_portal_admin | is_round_member | is_entry_department)
rules.add_perm("contests.close_stage", is_portal_admin & stage_is_open)
rules.add_perm("contests.reopen_stage", is_portal_admin & stage_is_closed)
rules.add_perm("contests.confirm_awards", is_portal_admin & ~round_is_confirmed)
rules.add_perm("contests.view_audit_values", is_portal_admin & ~round_is_scoring)
rules.add_perm("contests.file_case", is_case_filer)
