"""Permissions: role × action (× object)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from org.roles import Role
from org.tests.factories import DepartmentFactory, UserFactory, portal_admin, staff_user

from .factories import BenchmarkCaseFactory, staff_proposal

pytestmark = pytest.mark.django_db

ADMIN_ONLY = [
    "proposals.manage_proposals",
    "proposals.view_personal_data",
    "proposals.manage_themes",
    "proposals.manage_evaluation",
]
EVERY_STAFF = [
    "proposals.view_index",
    "proposals.write_proposal",
    "proposals.register_on_behalf",
    "proposals.register_benchmark",
    "proposals.view_statistics",
]


@pytest.mark.parametrize("perm", ADMIN_ONLY)
def test_admin_only_actions(perm: str) -> None:
    assert portal_admin().has_perm(perm)
    assert not staff_user().has_perm(perm)
    assert not staff_user(roles=[Role.WORKING_PANEL, Role.REVIEW_COMMITTEE]).has_perm(perm)
    assert not AnonymousUser().has_perm(perm)


@pytest.mark.parametrize("perm", EVERY_STAFF)
def test_every_logged_in_staff_member(perm: str) -> None:
    assert staff_user().has_perm(perm)
    assert not AnonymousUser().has_perm(perm)


def test_a_proposal_is_seen_by_its_author_admins_and_the_working_panel() -> None:
    author = staff_user()
    p = staff_proposal(author=author)
    assert author.has_perm("proposals.view_proposal", p)
    assert portal_admin().has_perm("proposals.view_proposal", p)
    assert staff_user(roles=[Role.WORKING_PANEL]).has_perm("proposals.view_proposal", p)
    assert not staff_user().has_perm("proposals.view_proposal", p)


def test_a_benchmark_case_is_reviewed_by_its_department_or_admins() -> None:
    dept = DepartmentFactory()
    case = BenchmarkCaseFactory(department=dept)
    assert staff_user(department=dept).has_perm("proposals.review_benchmark", case)
    assert portal_admin().has_perm("proposals.review_benchmark", case)
    assert not staff_user().has_perm("proposals.review_benchmark", case)


def test_theme_tasks_need_a_department_or_admin() -> None:
    assert staff_user().has_perm("proposals.post_theme_task")
    assert not UserFactory().has_perm("proposals.post_theme_task")  # no profile, no department
    assert portal_admin().has_perm("proposals.post_theme_task")
