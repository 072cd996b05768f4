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
    "clubs.record_expense": {"admin": True, "chair": False, "leader": False, "secretary": False, "member": False, "outsider": False, "hr": False, "panel": False},
    "clubs.view": {"admin": True, "chair": True, "leader": True, "secretary": True, "member": True, "outsider": True, "hr": True, "panel": True},
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


# A role held in one club gives nothing in another: the chair, 분임장 and 총무 of this club
# are outsiders to a second club of the same year.
OTHER_CLUB = {
    "clubs.record_meeting": "group",
    "clubs.file_report": "group",
    "clubs.manage_members": "club",
    "clubs.recommend_incentives": "club",
    "clubs.file_research_report": "club",
}


@pytest.mark.parametrize("perm", sorted(OTHER_CLUB))
@pytest.mark.parametrize("who", ["chair", "leader", "secretary"])
def test_a_role_in_one_club_gives_nothing_in_another(people: dict, perm: str, who: str) -> None:
    other_group, *_ = group_with_members(members=0)
    obj = other_group if OTHER_CLUB[perm] == "group" else other_group.club
    assert not rules.has_perm(perm, people[who], obj)


def test_a_former_leader_no_longer_records_meetings_but_the_new_one_does(people: dict) -> None:
    leader = people["group"].memberships.get(user=people["leader"], end_date__isnull=True)
    services.membership_end(membership=leader, end_date=date(2026, 4, 30), reason="transfer")
    plain = people["group"].memberships.get(user=people["member"], end_date__isnull=True)
    services.membership_change_role(membership=plain, role="leader", on_date=date(2026, 5, 1))
    assert not rules.has_perm("clubs.record_meeting", people["leader"], people["group"])
    assert rules.has_perm("clubs.record_meeting", people["member"], people["group"])
    assert rules.has_perm("clubs.file_research_report", people["member"], people["club"])


def test_a_superuser_is_an_admin_but_files_no_monthly_report() -> None:
    from org.tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    group, *_ = group_with_members(members=0)
    assert rules.has_perm("clubs.manage", root)
    assert rules.has_perm("clubs.record_meeting", root, group)
    # the monthly report is the 총무's alone, whoever else is an admin
    assert not rules.has_perm("clubs.file_report", root, group)
