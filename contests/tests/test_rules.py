"""Permissions: role × action × stage state."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from contests import services
from contests.models import Stage, StageStatus
from contests.tests.factories import committee, member, single_stage_round
from org.roles import Role
from org.tests.factories import UserFactory, portal_admin, staff_user

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
