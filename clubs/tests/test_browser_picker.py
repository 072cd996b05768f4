"""Must show (issues 14 and 13): the member picker searches as you type, by keyboard, with no
<select> of the staff; without JavaScript a typed name still adds the member; ending a
membership asks first, and cancelling keeps everything."""

from datetime import date

import pytest
from django.utils import timezone

from clubs import calculations as calc
from clubs.models import Membership
from org.tests.factories import TEST_PASSWORD, DepartmentFactory, portal_admin, staff_user

from .factories import ClubFactory, MembershipFactory, StudyGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _club():
    today = timezone.localdate()
    year = today.year if today.month >= 2 else today.year - 1
    club = ClubFactory(year=year, name="문화관광국 학습동아리")
    group = StudyGroupFactory(club=club, name="1분임")
    start = calc.club_period(year)[0]
    return club, group, start


def test_an_admin_picks_a_new_member_by_keyboard(page, login, axe) -> None:
    club, group, start = _club()
    dept = DepartmentFactory(name="관광과")
    newcomer = staff_user(department=dept, username="seo.yh", last_name="서", first_name="연희")
    staff_user(department=DepartmentFactory(name="세무과"), last_name="서", first_name="민재")
    for n in range(30):
        staff_user(last_name="박", first_name=f"직원{n}")  # not offered: they do not match
    portal_admin(username="innov")
    login("innov", TEST_PASSWORD)
    page.goto(f"/clubs/{club.pk}/")
    assert page.locator("select[name=user] option").count() == 0
    picker = page.get_by_role("combobox", name="직원")
    picker.fill("서연")
    listbox = page.get_by_role("listbox", name="직원 검색 결과")
    listbox.get_by_role("option").first.wait_for()
    assert listbox.get_by_role("option").count() == 1
    assert "관광과" in listbox.inner_text()
    assert picker.get_attribute("aria-expanded") == "true"
    assert axe(page) == []
    picker.press("ArrowDown")
    assert picker.get_attribute("aria-activedescendant")
    picker.press("Enter")
    assert picker.input_value() == "서연희 (관광과)"
    assert page.locator("input[name=user]").input_value() == str(newcomer.pk)
    page.locator("select[name=group]").select_option(str(group.pk))
    page.get_by_label("시작일").fill(start.isoformat())
    page.get_by_role("button", name="회원 추가").click()
    page.wait_for_load_state()
    assert "회원을 추가했습니다" in page.locator("main").inner_text()
    assert Membership.objects.filter(group=group, user=newcomer).exists()


def test_without_javascript_a_typed_name_adds_the_member(browser, live_server) -> None:
    club, group, start = _club()
    newcomer = staff_user(last_name="윤", first_name="서진")
    portal_admin(username="innov")
    context = browser.new_context(
        base_url=live_server.url, locale="ko-KR", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill("innov")
    page.get_by_label("비밀번호", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.goto(f"/clubs/{club.pk}/")
    page.get_by_role("textbox", name="직원").fill("윤서진")  # a plain text input
    page.locator("select[name=group]").select_option(str(group.pk))
    page.get_by_label("시작일").fill(start.isoformat())
    page.get_by_role("button", name="회원 추가").click()
    assert "회원을 추가했습니다" in page.locator("main").inner_text()
    assert Membership.objects.filter(group=group, user=newcomer).exists()
    context.close()


def test_ending_a_membership_can_be_cancelled_then_confirmed(page, login, axe) -> None:
    club, group, start = _club()
    member = MembershipFactory(group=group, start_date=start)
    login(club.chair.username, TEST_PASSWORD)
    page.goto(f"/clubs/{club.pk}/")
    page.get_by_role(
        "link", name=f"활동 종료 {member.user.last_name}{member.user.first_name}"
    ).click()
    end = date(start.year, 5, 31)
    page.get_by_label("종료일").fill(end.isoformat())
    page.get_by_label("종료 사유").select_option("transfer")
    page.get_by_role("button", name="종료 기록").click()
    confirm = page.get_by_test_id("confirm")
    assert "되돌릴 수 없습니다" in confirm.inner_text()
    assert axe(page) == []
    page.get_by_test_id("confirm-cancel").click()
    member.refresh_from_db()
    assert member.end_date is None
    page.get_by_role(
        "link", name=f"활동 종료 {member.user.last_name}{member.user.first_name}"
    ).click()
    page.get_by_label("종료일").fill(end.isoformat())
    page.get_by_label("종료 사유").select_option("transfer")
    page.get_by_role("button", name="종료 기록").click()
    page.get_by_test_id("confirm-submit").click()
    assert "활동 종료를 기록했습니다" in page.locator("main").inner_text()
    member.refresh_from_db()
    assert member.end_date == end
