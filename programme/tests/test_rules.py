"""Who may see what of the programme, one test per role (common.access reads these rules)."""

import pytest

from common.access import allowed
from org.roles import Role
from org.tests.factories import UserFactory, portal_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("perm", ["programme.view_dashboard", "programme.change_plan"])
def test_only_portal_admins_see_the_dashboard_and_edit_the_plan(perm: str) -> None:
    assert allowed(portal_admin(), perm)
    assert not allowed(staff_user(roles=[Role.STAFF]), perm)
    assert not allowed(staff_user(roles=[Role.REVIEW_COMMITTEE]), perm)


def test_every_logged_in_person_sees_the_calendar() -> None:
    assert allowed(staff_user(), "programme.view_calendar")
    assert allowed(UserFactory(), "programme.view_calendar")
