"""Permissions of the learning clubs, role × action × state."""

from datetime import date

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from clubs import services
from org.roles import Role
from org.tests.factories import DepartmentFactory, portal_admin, staff_user

from .factories import group_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def people():
    group, leader, secretary, plain = group_with_members(members=1)
    return {
        "group": group,
        "club": group.club,
        "admin": portal_admin(),
        "chair": group.club.chair,
        "leader": leader.user,
        "secretary": secretary.user,
        "member": plain[0].user,
        "outsider": staff_user(),
        "hr": staff_user(department=DepartmentFactory(name="총무과")),
        "panel": staff_user(roles=[Role.WORKING_PANEL]),
        "_secretary_membership": secretary,
    }


# who -> allowed?
CASES = {
    "clubs.record_meeting": {"admin": True, "chair": False, "leader": True, "secretary": True, "member": False, "outsider": False},
    "clubs.file_report": {"admin": False, "chair": False, "leader": False, "secretary": True, "member": False, "outsider": False},
    "clubs.manage_members": {"admin": True, "chair": True, "leader": False, "secretary": False, "member": False, "outsider": False},
    "clubs.recommend_incentives": {"admin": True, "chair": True, "leader": False, "secretary": False, "member": False, "outsider": False},
    "clubs.file_research_report": {"admin": False, "chair": True, "leader": True, "secretary": True, "member": False, "outsider": False},
}  # fmt: skip


@pytest.mark.parametrize(
    ("perm", "who", "allowed"),
    [(perm, who, allowed) for perm, table in CASES.items() for who, allowed in table.items()],
)
def test_object_permissions(people: dict, perm: str, who: str, allowed: bool) -> None:
    obj = (
        people["group"] if perm in ("clubs.record_meeting", "clubs.file_report") else people["club"]
    )
    assert rules.has_perm(perm, people[who], obj) is allowed


@pytest.mark.parametrize(
    ("who", "manage", "export"),
    [
        ("admin", True, True),
        ("hr", False, True),
        ("panel", False, False),
        ("outsider", False, False),
    ],
)
def test_global_permissions(people: dict, who: str, manage: bool, export: bool) -> None:
    assert rules.has_perm("clubs.manage", people[who]) is manage
    assert rules.has_perm("clubs.export_hr", people[who]) is export
    assert rules.has_perm("clubs.view", people[who])


def test_a_former_secretary_loses_the_right_to_file(people: dict) -> None:
    services.membership_end(
        membership=people["_secretary_membership"], end_date=date(2026, 5, 31), reason="promotion"
    )
    assert not rules.has_perm("clubs.file_report", people["secretary"], people["group"])
    assert not rules.has_perm("clubs.record_meeting", people["secretary"], people["group"])


def test_anonymous_may_do_nothing(people: dict) -> None:
    anon = AnonymousUser()
    assert not rules.has_perm("clubs.view", anon)
    assert not rules.has_perm("clubs.record_meeting", anon, people["group"])
    assert not rules.has_perm("clubs.file_report", anon, people["group"])
    assert not rules.has_perm("clubs.export_hr", anon)
