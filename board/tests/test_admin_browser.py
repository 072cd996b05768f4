"""In headless Chromium (issue 13 #7): an admin selects posts, picks 승인, reads what will
happen on the confirmation page, cancels (nothing changes), then confirms; with axe at
desktop width and on a phone (390×844)."""

from collections.abc import Callable

import pytest

from board import services
from board.models import Post, PostStatus
from org.tests.factories import TEST_PASSWORD, DepartmentFactory, portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})


def _choose(page: object, posts: list[Post]) -> None:
    page.goto("/admin/board/post/?status__exact=submitted")
    page.wait_for_load_state()
    for post in posts:
        page.locator(f"input[name=_selected_action][value='{post.pk}']").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.locator("button[name=index], input[name=index]").first.click()
    page.wait_for_load_state()


def test_bulk_approval_asks_first_cancel_keeps_everything_confirm_approves(
    page: object, login: Callable, axe: Callable
) -> None:
    portal_admin(username="boss", last_name="한", first_name="지혜")
    author = staff_user(
        username="writer", department=DepartmentFactory(name="총무과"), last_name="김",
        first_name="민수",
    )  # fmt: skip
    posts = [
        services.post_submit(author=author, area="proposal", title=f"제안 {i}", body="주민 편의")
        for i in range(3)
    ]
    login("boss", TEST_PASSWORD)
    batches = (posts[:2], posts[2:])
    for size, batch in zip(SIZES, batches, strict=True):
        page.set_viewport_size(size)
        _choose(page, batch)
        summary = page.get_by_test_id("action-confirmation").inner_text()
        assert f"게시글 {len(batch)}건을 승인합니다." in summary
        assert "승인 포인트가 적립됩니다" in summary and "김민수 (총무과)" in summary
        assert axe(page) == [], size
        before = set(Post.objects.filter(status=PostStatus.APPROVED).values_list("pk", flat=True))

        with page.expect_navigation():
            page.get_by_test_id("cancel-link").click()  # 취소: back to the list, nothing done
        assert "/admin/board/post/" in page.url
        now = set(Post.objects.filter(status=PostStatus.APPROVED).values_list("pk", flat=True))
        assert now == before

        _choose(page, batch)
        page.get_by_test_id("confirm-button").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the button is reachable and works from the keyboard
        assert f"게시글 {len(batch)}건을 승인했습니다." in page.locator("body").inner_text()
        assert axe(page) == [], size
        for post in batch:
            post.refresh_from_db()
            assert post.status == PostStatus.APPROVED
    assert Activity.objects.filter(kind=ActivityKind.APPROVAL).count() == 3


def test_a_person_is_picked_by_search_as_name_and_department(
    page: object, login: Callable, axe: Callable
) -> None:
    portal_admin(username="boss2")
    staff_user(department=DepartmentFactory(name="총무과"), last_name="홍", first_name="길동")
    login("boss2", TEST_PASSWORD)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/admin/contests/casecontact/add/")
        page.wait_for_load_state()
        assert page.locator("select[name=user] option").count() <= 1  # no list of the staff
        page.locator(".field-user .select2-selection").click()
        page.locator(".select2-search__field").fill("홍길")
        option = page.locator(".select2-results__option", has_text="홍길동 (총무과)")
        option.wait_for()
        option.click()
        assert "홍길동 (총무과)" in page.locator(".field-user").inner_text()
        assert axe(page) == [], size
