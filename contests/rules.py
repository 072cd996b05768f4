"""Who may do what in contests (django-rules). Object permissions take a Stage."""

from datetime import date

import rules
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from org.rules import is_committee_member, is_portal_admin

from .models import CommitteeMember, Stage, StageStatus


def _active_seat_exists(user: AbstractBaseUser, stage: Stage, on: date | None = None) -> bool:
    on = on or timezone.localdate()
    return CommitteeMember.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=on),
        committee_id=stage.committee_id,
        user_id=user.pk,
        term_start__lte=on,
    ).exists()


@rules.predicate
def is_stage_member(user: AbstractBaseUser, stage: Stage | None) -> bool:
    """An active member of the stage's committee (a member whose term ended is not)."""
    if stage is None or not user.is_authenticated:
        return False
    return _active_seat_exists(user, stage)


@rules.predicate
def stage_is_open(user: AbstractBaseUser, stage: Stage | None) -> bool:
    return stage is not None and stage.status == StageStatus.OPEN


@rules.predicate
def stage_is_closed(user: AbstractBaseUser, stage: Stage | None) -> bool:
    return stage is not None and stage.status == StageStatus.CLOSED


# Scores are private to their member until the stage closes; then the committee and the
# admins see everything.
can_score = is_stage_member & stage_is_open
can_view_results = stage_is_closed & (is_portal_admin | is_stage_member)

rules.add_perm("contests.access", is_portal_admin | is_committee_member)
rules.add_perm("contests.manage", is_portal_admin)
rules.add_perm("contests.score_stage", can_score)
rules.add_perm("contests.view_results", can_view_results)
rules.add_perm("contests.view_entry", is_portal_admin | is_stage_member)
