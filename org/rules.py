"""Role predicates (django-rules) shared by every app."""

from typing import cast

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .roles import Role

UserLike = AbstractBaseUser | AnonymousUser


def _in_group(name: str) -> rules.Predicate:
    # rules' stubs type the factory's result as a plain callable; it is a Predicate.
    return cast(rules.Predicate, rules.is_group_member(name))


is_authenticated = rules.is_authenticated
is_superuser = rules.is_superuser
# A superuser is a portal admin too: the office's IT staff keep one for emergencies.
is_portal_admin = is_superuser | _in_group(Role.PORTAL_ADMIN)
is_working_panel = _in_group(Role.WORKING_PANEL)
is_promotion_board = _in_group(Role.PROMOTION_BOARD)
is_review_committee = _in_group(Role.REVIEW_COMMITTEE)
is_committee_member = is_working_panel | is_promotion_board | is_review_committee

rules.add_perm("org.view_portal", is_authenticated)
rules.add_perm("org.manage_portal", is_portal_admin)
