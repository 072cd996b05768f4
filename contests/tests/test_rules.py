"""Permissions: role × action × stage state."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from common.access import allowed
from contests import selectors, services
from contests.models import Assignment, CaseContact, Entry, Round, Stage, StageStatus
from contests.tests.factories import committee, member, single_stage_round
from org.models import StaffProfile
from org.roles import Role
from org.tests.factories import DepartmentFactory, UserFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage() -> Stage:
    rnd = single_stage_round(quotas=(("grand", 1, 300_000),))
    services.entry_create(round=rnd, title="가", owner_name="구민", source_type="p", source_id=1)
    return rnd.stages.get()


def _set(stage: Stage, status: str) -> Stage:
    Stage.objects.filter(pk=stage.pk).update(status=status)
    stage.refresh_from_db()
    return stage


@pytest.mark.parametrize(
    ("who", "status", "score", "results"),
    [
        ("member", StageStatus.PENDING, False, False),
        ("member", StageStatus.OPEN, True, False),
        ("member", StageStatus.CLOSED, False, True),
        ("ended", StageStatus.OPEN, False, False),
        ("ended", StageStatus.CLOSED, False, False),
        ("other_committee", StageStatus.OPEN, False, False),
        ("other_committee", StageStatus.CLOSED, False, False),
        ("admin", StageStatus.OPEN, False, False),
        ("admin", StageStatus.CLOSED, False, True),
        ("staff", StageStatus.OPEN, False, False),
        ("staff", StageStatus.CLOSED, False, False),
    ],
)
def test_who_may_score_and_see_results(
    stage: Stage, who: str, status: str, score: bool, results: bool
) -> None:
    if who == "member":
        user = member(committee()).user
    elif who == "ended":
        user = member(
            committee(), kind="appointed", term_start=date(2012, 1, 1), term_end=date(2013, 12, 31)
        ).user
    elif who == "other_committee":
        user = member(committee("review_committee")).user
    elif who == "admin":
        user = portal_admin()
    else:
        user = staff_user()
    _set(stage, status)
    assert user.has_perm("contests.score_stage", stage) is score
    assert user.has_perm("contests.view_results", stage) is results


@pytest.mark.parametrize(
    ("roles", "access", "manage"),
    [
        ([Role.STAFF], False, False),
        ([Role.WORKING_PANEL], True, False),
        ([Role.REVIEW_COMMITTEE], True, False),
        ([Role.PORTAL_ADMIN], True, True),
    ],
)
def test_role_permissions(roles: list[Role], access: bool, manage: bool) -> None:
    user = UserFactory(roles=roles)
    assert user.has_perm("contests.access") is access
    assert user.has_perm("contests.manage") is manage


def test_anonymous_may_do_nothing(stage: Stage) -> None:
    anon = AnonymousUser()
    for perm in ("contests.access", "contests.manage"):
        assert not anon.has_perm(perm)
    assert not anon.has_perm("contests.score_stage", _set(stage, StageStatus.OPEN))


def _superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    ("status", "results", "close", "reopen"),
    [
        (StageStatus.PENDING, False, False, False),
        (StageStatus.OPEN, False, True, False),
        (StageStatus.CLOSED, True, False, True),
    ],
)
def test_a_superuser_follows_the_rules_too(
    stage: Stage, status: str, results: bool, close: bool, reopen: bool
) -> None:
    """Django lets a superuser pass ``has_perm``; the portal's rules do not."""
    root = _superuser()
    _set(stage, status)
    assert allowed(root, "contests.view_results", stage) is results
    assert allowed(root, "contests.close_stage", stage) is close
    assert allowed(root, "contests.reopen_stage", stage) is reopen
    assert allowed(root, "contests.view_audit_values", stage.round) is (status != "open")


@pytest.mark.parametrize(
    ("who", "close", "reopen", "confirm"),
    [
        ("admin", True, True, True),
        ("member", False, False, False),
        ("staff", False, False, False),
    ],
)
def test_who_may_close_reopen_and_confirm(
    stage: Stage, who: str, close: bool, reopen: bool, confirm: bool
) -> None:
    user = {"admin": portal_admin, "member": lambda: member(committee()).user, "staff": staff_user}[
        who
    ]()
    assert allowed(user, "contests.close_stage", _set(stage, StageStatus.OPEN)) is close
    assert allowed(user, "contests.reopen_stage", _set(stage, StageStatus.CLOSED)) is reopen
    assert allowed(user, "contests.confirm_awards", stage.round) is confirm
    Round.objects.filter(pk=stage.round_id).update(confirmed_at=timezone.now())
    stage.round.refresh_from_db()
    assert not allowed(user, "contests.confirm_awards", stage.round)


def test_the_audit_values_are_hidden_while_a_stage_is_open(stage: Stage) -> None:
    admin = portal_admin()
    for status, visible in (
        (StageStatus.PENDING, True),
        (StageStatus.OPEN, False),
        (StageStatus.CLOSED, True),
    ):
        _set(stage, status)
        assert allowed(admin, "contests.view_audit_values", stage.round) is visible
    assert not allowed(staff_user(), "contests.view_audit_values", stage.round)


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("head", True),
        ("dong_head", True),
        ("contact", True),
        ("contact_elsewhere", False),
        ("colleague", False),
        ("team_leader", False),
        ("no_department", False),
        ("admin", False),
        ("anonymous", False),
    ],
)
def test_who_may_file_a_departments_case(who: str, may: bool) -> None:
    dept = DepartmentFactory()
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "no_department":
        user = UserFactory()
    elif who == "admin":
        user = portal_admin()
    else:
        user = staff_user(department=dept)
        position = {
            "head": StaffProfile.Position.DIVISION_HEAD,
            "dong_head": StaffProfile.Position.DONG_HEAD,
            "team_leader": StaffProfile.Position.TEAM_LEADER,
        }.get(who)
        if position:
            StaffProfile.objects.filter(user=user).update(position=position)
            user.refresh_from_db()
        if who == "contact":
            CaseContact.objects.create(department=dept, user=user)
        if who == "contact_elsewhere":
            CaseContact.objects.create(department=DepartmentFactory(), user=user)
    assert allowed(user, "contests.file_case") is may


@pytest.mark.parametrize(
    ("who", "may"),
    [("admin", True), ("member", True), ("department", True), ("staff", False), ("ended", False)],
)
def test_who_may_download_an_entrys_file(stage: Stage, who: str, may: bool) -> None:
    entry = stage.round.entries.get()
    dept = DepartmentFactory()
    Entry.objects.filter(pk=entry.pk).update(department=dept)
    entry.refresh_from_db()
    user = {
        "admin": portal_admin,
        "member": lambda: member(committee()).user,
        "department": lambda: staff_user(department=dept),
        "staff": staff_user,
        "ended": lambda: (
            member(
                committee(),
                kind="appointed",
                term_start=date(2012, 1, 1),
                term_end=date(2013, 12, 31),
            ).user
        ),
    }[who]()
    assert allowed(user, "contests.view_entry_file", entry) is may


def test_a_member_reviews_only_their_own_assignments(stage: Stage) -> None:
    wp = committee()
    m1, m2 = member(wp), member(wp)
    services.stage_open(stage=stage)
    own = Assignment.objects.get(stage=stage, member=m1)
    assert allowed(m1.user, "contests.review_assignment", own)
    assert not allowed(m2.user, "contests.review_assignment", own)
    assert allowed(m1.user, "contests.review_stage", stage)
    assert not allowed(staff_user(), "contests.review_stage", stage)


def test_the_open_stages_selector_agrees_with_the_scoring_rule(stage: Stage) -> None:
    """Visibility coded once: whom ``open_stages_for`` lists is whom the rule lets score."""
    wp = committee()
    users = {
        "member": member(wp).user,
        "ended": member(
            wp, kind="appointed", term_start=date(2012, 1, 1), term_end=date(2013, 12, 31)
        ).user,
        "other": member(committee("review_committee")).user,
        "admin": portal_admin(),
        "staff": staff_user(),
    }
    services.stage_open(stage=stage)
    stage.refresh_from_db()
    for user in users.values():
        listed = stage in selectors.open_stages_for(user)
        assert listed is allowed(user, "contests.score_stage", stage)
    assert stage in selectors.open_stages_for(users["member"])
