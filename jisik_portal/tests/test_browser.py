"""First journeys in real headless Chromium: log in, see the Korean home page."""

from collections.abc import Callable

import pytest

from org.roles import Role
from org.tests.factories import TEST_PASSWORD, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_staff_member_logs_in_and_sees_the_korean_home_page(
    page: object, login: Callable, axe: Callable
) -> None:
    staff_user(username="staff1", last_name="김", first_name="민수", roles=[Role.STAFF])
    page.goto("/accounts/login/")
    assert axe(page) == []
    login("staff1", TEST_PASSWORD)
    assert page.locator("h1").inner_text().startswith("김민수님")
    assert page.get_by_role("link", name="창의제안").first.is_visible()
    assert axe(page) == []


def test_a_wrong_password_shows_a_korean_error_and_keeps_the_username(
    page: object, login: Callable
) -> None:
    staff_user(username="staff2")
    login("staff2", "wrong-password-1")
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in page.locator("#login-error").inner_text()
    assert page.get_by_label("아이디").input_value() == "staff2"
    assert page.get_by_label("비밀번호", exact=True).input_value() == ""


def test_the_password_toggle_and_skip_link_work_by_keyboard(page: object) -> None:
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="본문 바로가기")
    assert skip.evaluate("el => el === document.activeElement")
    password = page.get_by_label("비밀번호", exact=True)
    password.fill("secret-123")
    toggle = page.get_by_role("button", name="비밀번호 보기")
    toggle.focus()
    page.keyboard.press("Enter")
    assert password.get_attribute("type") == "text"
    assert (
        page.get_by_role("button", name="비밀번호 숨기기").get_attribute("aria-pressed") == "true"
    )
