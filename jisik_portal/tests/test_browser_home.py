"""The home page of each role and the error pages in real headless Chromium, with axe at
desktop width and on a phone (390×844)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from board.models import PostStatus
from board.tests.factories import PostFactory
from clubs.tests.factories import ClubFactory, group_with_members
from contests import services as contests_services
from contests.tests.factories import committee, member, single_stage_round
from org.roles import Role
from org.tests.factories import TEST_PASSWORD, staff_user
from proposals.tests.factories import resident_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _check_both_widths(page: object, axe: Callable) -> None:
    assert axe(page) == []
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    assert axe(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"


def test_a_staff_member_sees_their_day(page: object, login: Callable, axe: Callable) -> None:
    user = staff_user(username="home_staff", last_name="김", first_name="민수")
    PostFactory(author=user, status=PostStatus.SUBMITTED, title="승인 기다리는 내 제안")
    PostFactory(area="docs", title="새 업무지침")
    login("home_staff", TEST_PASSWORD)
    assert page.locator("h1").inner_text().startswith("김민수님")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="내 점수").is_visible()  # type: ignore[attr-defined]
    waiting = page.get_by_test_id("home-waiting-count")  # type: ignore[attr-defined]
    assert waiting.inner_text() == "1"
    assert page.get_by_role("link", name="승인 기다리는 내 제안").is_visible()  # type: ignore[attr-defined]
    assert page.get_by_role("link", name="새 업무지침").is_visible()  # type: ignore[attr-defined]
    assert page.get_by_test_id("home-admin").count() == 0  # type: ignore[attr-defined]
    _check_both_widths(page, axe)


def test_an_admin_sees_the_queue_and_overdue_proposals(
    page: object, login: Callable, axe: Callable
) -> None:
    staff_user(username="home_admin", roles=[Role.PORTAL_ADMIN, Role.STAFF])
    PostFactory.create_batch(2, status=PostStatus.SUBMITTED)
    resident_proposal(at=timezone.now() - timedelta(days=60), title="오래된 구민 제안")
    login("home_admin", TEST_PASSWORD)
    admin = page.get_by_test_id("home-admin")  # type: ignore[attr-defined]
    assert admin.get_by_test_id("home-queue-count").inner_text() == "2"
    assert admin.get_by_test_id("home-overdue-count").inner_text() == "1"
    assert admin.get_by_role("link", name="오래된 구민 제안").is_visible()
    _check_both_widths(page, axe)


def test_a_committee_member_sees_the_open_review(
    page: object, login: Callable, axe: Callable
) -> None:
    today = timezone.localdate()
    member(committee(), username="home_member")
    rnd = single_stage_round(
        year=today.year,
        title="하반기 제안 심사",
        ends_on=today + timedelta(7),
        quotas=(("grand", 1, 300_000),),
    )
    contests_services.entry_create(
        round=rnd, title="가", owner_name="구민", source_type="p", source_id=1
    )
    contests_services.stage_open(stage=rnd.stages.get())
    login("home_member", TEST_PASSWORD)
    reviews = page.get_by_test_id("home-reviews")  # type: ignore[attr-defined]
    assert "하반기 제안 심사" in reviews.inner_text()
    assert f"{today + timedelta(7):%Y-%m-%d}까지" in reviews.inner_text()
    _check_both_widths(page, axe)


def test_a_club_secretary_sees_the_reports_due(
    page: object, login: Callable, axe: Callable
) -> None:
    today = timezone.localdate()
    _group, _leader, secretary, _ = group_with_members(
        club=ClubFactory(year=today.year, name="데이터 분석 동아리"), members=0
    )
    secretary.user.username = "home_secretary"
    secretary.user.save(update_fields=["username"])
    login("home_secretary", TEST_PASSWORD)
    if today.month > 2:  # from March on, February's report is owed
        assert "데이터 분석 동아리" in page.get_by_test_id("home-reports").inner_text()  # type: ignore[attr-defined]
    _check_both_widths(page, axe)


def test_the_error_pages_are_korean_in_the_portal_layout(page: object, axe: Callable) -> None:
    response = page.goto("/no-such-page/")  # type: ignore[attr-defined]
    assert response.status == 404
    assert page.locator("h1").inner_text() == "페이지를 찾을 수 없습니다"  # type: ignore[attr-defined]
    assert page.get_by_role("link", name="첫 화면으로").is_visible()  # type: ignore[attr-defined]
    _check_both_widths(page, axe)
    page.set_viewport_size({"width": 1280, "height": 720})  # type: ignore[attr-defined]
    response = page.goto("/programme/dashboard/")  # type: ignore[attr-defined]
    assert response.status == 200  # a visitor is sent to the login page first
    staff_user(username="error_staff")
    page.get_by_label("아이디").fill("error_staff")  # type: ignore[attr-defined]
    page.get_by_label("비밀번호", exact=True).fill(TEST_PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="로그인").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "이 화면을 볼 권한이 없습니다"  # type: ignore[attr-defined]
    assert "권한을 요청해 주세요" in page.get_by_test_id("error-page").inner_text()  # type: ignore[attr-defined]
    _check_both_widths(page, axe)
