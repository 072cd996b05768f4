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


# --- a test per role and state (through common.access, as the views ask) ----------------------

ROLES = ["anonymous", "staff", "author", "panel", "hr", "admin", "superuser"]


def _who(role: str, *, author: object = None) -> object:
    from django.contrib.auth import get_user_model

    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return author
    if role == "panel":
        return staff_user(roles=[Role.WORKING_PANEL])
    if role == "hr":
        return staff_user(department=DepartmentFactory(name="총무과"))
    if role == "admin":
        return portal_admin()
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", "root@example.kr", "pw-root-1")
    return staff_user()


def _allowed(user: object, perm: str, obj: object = None) -> bool:
    from common.access import allowed

    return allowed(user, perm, obj)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_export_the_performance_points(role: str) -> None:
    expected = role in {"hr", "admin", "superuser"}
    assert _allowed(_who(role, author=staff_user()), "proposals.export_performance") is expected


@pytest.mark.parametrize(
    ("status", "open_"),
    [("received", True), ("reviewing", True), ("supplement", True), ("recommended", True),
     ("judging", True), ("adopted", True), ("awarded", True), ("rejected", False),
     ("implemented", False)],
)  # fmt: skip
@pytest.mark.parametrize("role", ROLES)
def test_who_may_move_a_proposal_in_each_state(role: str, status: str, open_: bool) -> None:
    from proposals.models import Proposal

    author = staff_user()
    p = staff_proposal(author=author)
    Proposal.objects.filter(pk=p.pk).update(status=status)
    p.refresh_from_db()
    expected = open_ and role in {"admin", "superuser"}
    assert _allowed(_who(role, author=author), "proposals.change_status", p) is expected


@pytest.mark.parametrize("in_evaluation", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_link_a_duplicate_before_and_after_evaluation(
    role: str, in_evaluation: bool
) -> None:
    from datetime import date

    from proposals.models import Evaluation, Proposal

    author = staff_user()
    p = staff_proposal(author=author)
    if in_evaluation:
        ev = Evaluation.objects.create(title="e", kind="half_year", period_start=date(2016, 1, 1),
                                       period_end=date(2016, 6, 30), created_at=p.received_at)  # fmt: skip
        Proposal.objects.filter(pk=p.pk).update(evaluation=ev)
        p.refresh_from_db()
    expected = not in_evaluation and role in {"admin", "superuser"}
    assert _allowed(_who(role, author=author), "proposals.link_proposal", p) is expected


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_proposal_and_its_file(role: str) -> None:
    from .factories import resident_proposal

    author = staff_user()
    staff_p = staff_proposal(author=author)
    resident_p = resident_proposal()
    who = _who(role, author=author)
    sees_staff = role in {"author", "panel", "admin", "superuser"}
    assert _allowed(who, "proposals.view_proposal", staff_p) is sees_staff
    assert _allowed(who, "proposals.view_attachment", staff_p) is sees_staff
    assert _allowed(who, "proposals.view_proposal", resident_p) is (
        role in {"panel", "admin", "superuser"}
    )
    # a resident's file is personal data: admins only
    assert _allowed(who, "proposals.view_attachment", resident_p) is (
        role in {"admin", "superuser"}
    )
    assert _allowed(who, "proposals.view_personal_data") is (role in {"admin", "superuser"})


@pytest.mark.parametrize(
    ("state", "open_"),
    [("assigned", True), ("applicable", True), ("adopted", True), ("not_applicable", False),
     ("implemented", False)],
)  # fmt: skip
@pytest.mark.parametrize("who", ["department", "other", "admin", "anonymous"])
def test_who_may_advance_a_benchmark_case_in_each_state(who: str, state: str, open_: bool) -> None:
    dept = DepartmentFactory()
    case = BenchmarkCaseFactory(department=dept, state=state, review_reason="검토함")
    user = {
        "department": lambda: staff_user(department=dept),
        "other": staff_user,
        "admin": portal_admin,
        "anonymous": AnonymousUser,
    }[who]()
    expected = open_ and who in {"department", "admin"}
    assert _allowed(user, "proposals.advance_benchmark", case) is expected
