import pytest
from django.contrib.auth.models import AnonymousUser

from org.roles import Role
from org.rules import is_committee_member, is_portal_admin
from org.selectors import department_label, department_of
from org.tests.factories import DepartmentFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roles", "superuser", "admin", "committee"),
    [
        ([Role.STAFF], False, False, False),
        ([Role.PORTAL_ADMIN], False, True, False),
        ([Role.WORKING_PANEL], False, False, True),
        ([Role.PROMOTION_BOARD], False, False, True),
        ([Role.REVIEW_COMMITTEE], False, False, True),
        ([], True, True, False),
    ],
)
def test_role_predicates(roles: list[Role], superuser: bool, admin: bool, committee: bool) -> None:
    user = UserFactory(roles=roles, is_superuser=superuser)
    assert is_portal_admin(user) is admin
    assert is_committee_member(user) is committee


def test_anonymous_has_no_role() -> None:
    assert not is_portal_admin(AnonymousUser())
    assert not is_committee_member(AnonymousUser())


def test_a_user_without_profile_or_department_is_unassigned() -> None:
    plain = UserFactory()
    assert department_of(plain) is None
    assert department_label(plain) == "미지정"
    dept = DepartmentFactory(name="전산정보과")
    assert department_label(staff_user(department=dept)) == "전산정보과"
