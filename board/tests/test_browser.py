"""The must-show journey in real headless Chromium: a staff member writes a post with an
attachment → an admin approves it in Django admin → another staff member reads, downloads
and comments → the author sees the approval and the comment."""

from collections.abc import Callable
from pathlib import Path

import pytest

from board import services as board_services
from board.models import Post, PostStatus
from org.roles import Role
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILE_NAME = "2016년 주요업무계획.pdf"


def logout(page: object) -> None:
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state()


def test_a_post_goes_from_writing_to_approval_to_comments(
    page: object, login: Callable, axe: Callable, tmp_path: Path, settings: object
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    staff_user(username="writer", last_name="김", first_name="민수", roles=[Role.STAFF])
    staff_user(username="reader", last_name="이", first_name="서연", roles=[Role.STAFF])
    portal_admin(username="boss", last_name="한", first_name="지혜")
    upload = tmp_path / FILE_NAME
    upload.write_bytes(PDF)

    # 1. The author writes a post with an attachment; an empty title keeps the typed body.
    login("writer", TEST_PASSWORD)
    page.goto("/board/docs/")
    assert axe(page) == []
    page.get_by_role("link", name="글쓰기").click()
    page.get_by_label("내용").fill("## 개요\n중구 2016년 주요업무계획을 공유합니다.")
    page.get_by_role("button", name="제출").click()
    assert "제목을 입력해 주세요." in page.locator("main").inner_text()
    assert page.get_by_label("내용").input_value().startswith("## 개요")
    assert axe(page) == []
    page.get_by_label("제목").fill("2016년 주요업무계획")
    page.get_by_label("첨부파일", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="제출").click()
    assert "관리자 승인 후 공개됩니다" in page.locator(".messages").inner_text()
    assert "승인 대기" in page.get_by_test_id("post-status").inner_text()
    assert axe(page) == []
    post = Post.objects.get()
    logout(page)

    # 2. An admin approves it in Django admin with the bulk action.
    login("boss", TEST_PASSWORD)
    page.goto("/admin/board/post/?status__exact=submitted")
    page.locator(f"input[name=_selected_action][value='{post.pk}']").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.locator("button[name=index], input[name=index]").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("confirm-button").click()  # the action asks first (issue 13)
    page.wait_for_load_state()
    assert "1건을 승인했습니다" in page.locator("body").inner_text()
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    logout(page)

    # 3. Another staff member finds it, reads, downloads and comments.
    login("reader", TEST_PASSWORD)
    page.goto("/board/docs/")
    page.get_by_label("검색어").fill("업무")
    page.get_by_role("button", name="검색").click()
    page.get_by_role("link", name="2016년 주요업무계획").click()
    assert page.get_by_test_id("view-count").inner_text() == "1"
    assert axe(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name=FILE_NAME).click()
    download = download_info.value
    assert download.suggested_filename == FILE_NAME
    assert Path(download.path()).read_bytes() == PDF
    page.get_by_label("의견", exact=True).fill("우리 부서 계획 수립에 참고하겠습니다.")
    page.get_by_role("button", name="의견 등록").click()
    assert "의견을 등록했습니다" in page.locator(".messages").inner_text()
    assert "우리 부서 계획 수립에 참고하겠습니다." in page.get_by_test_id("comments").inner_text()
    assert axe(page) == []
    logout(page)

    # 4. The author sees the approval and the comment.
    login("writer", TEST_PASSWORD)
    page.goto(f"/board/posts/{post.pk}/")
    status = page.get_by_test_id("post-status").inner_text()
    assert "승인" in status and "한지혜" in status
    comments = page.get_by_test_id("comments").inner_text()
    assert "우리 부서 계획 수립에 참고하겠습니다." in comments and "이서연" in comments
    assert page.get_by_test_id("view-count").inner_text() == "1"  # the author's view is not counted
    assert axe(page) == []
    kinds = sorted(Activity.objects.values_list("kind", flat=True))
    assert kinds == sorted([ActivityKind.APPROVAL, ActivityKind.VIEW, ActivityKind.COMMENT])


def test_similar_posts_show_while_writing_and_on_the_review_page(
    page: object, login: Callable, axe: Callable
) -> None:
    from board import services

    admin = portal_admin(username="boss2")
    original = services.post_submit(
        author=staff_user(), area="worksharing",
        title="주민참여예산으로 도서관 운영시간을 연장해 주세요", body="주말에도 열어 주세요",
    )  # fmt: skip
    services.post_approve(post=original, reviewer=admin)
    staff_user(username="writer2")
    login("writer2", TEST_PASSWORD)
    # (창의제안 posts are written on the proposals app's page; the board's write page is the
    # same for the other areas.)
    page.goto("/board/worksharing/write/")
    page.get_by_label("제목").fill("도서관 개방 시간 연장 요청드립니다(주민 참여 예산)")
    similar = page.get_by_test_id("similar-posts")
    similar.wait_for()  # filled in by the page's script after a pause in typing
    assert "도서관 운영시간을 연장해 주세요" in similar.inner_text()
    assert axe(page) == []
    page.get_by_label("내용").fill("저녁에도 도서관을 이용하고 싶습니다.")
    page.get_by_role("button", name="제출").click()
    logout(page)

    login("boss2", TEST_PASSWORD)
    page.goto("/board/review/")
    assert axe(page) == []
    page.get_by_role("link", name="도서관 개방 시간 연장 요청드립니다(주민 참여 예산)").click()
    assert "주민참여예산으로 도서관 운영시간을 연장해 주세요" in page.locator("main").inner_text()
    assert axe(page) == []
    page.get_by_label("원글 번호").fill(str(original.pk))
    page.get_by_role("button", name="중복으로 지정").click()
    assert "중복 글로 지정했습니다" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="승인").click()
    copy = Post.objects.get(title__startswith="도서관 개방")
    assert copy.status == PostStatus.APPROVED and copy.duplicate_of == original
    assert not Activity.objects.filter(
        kind=ActivityKind.APPROVAL, source_id=copy.pk, voided_at__isnull=True
    ).exists()


def test_a_search_with_particles_finds_the_post_first_and_the_phone_list_is_cards(
    page: object, login: Callable, axe: Callable
) -> None:
    from board import services

    admin = portal_admin(username="boss3")
    author = staff_user(username="writer3")
    for title, body in [
        ("도서관 연장 운영 제안", "평일 야간에도 열어 주세요"),
        ("주민 쉼터 개방", "도서관 옆 공터를 정비합니다"),
        ("체육관 예약 개선", "온라인 예약"),
    ]:
        services.post_approve(
            post=services.post_submit(author=author, area="worksharing", title=title, body=body),
            reviewer=admin,
        )
    staff_user(username="reader3")
    login("reader3", TEST_PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/board/search/")
        page.get_by_label("검색어").fill("도서관을 연장")
        page.get_by_role("button", name="검색").click()
        page.wait_for_load_state()
        rows = page.get_by_test_id("post-list").locator("tbody tr")
        assert rows.count() == 1
        first = rows.first
        assert "도서관 연장 운영 제안" in first.inner_text()
        assert first.locator("mark").first.inner_text() == "도서관"
        assert axe(page) == []
        page.goto("/board/worksharing/")
        assert axe(page) == []
        header = page.get_by_test_id("post-list").locator("thead")
        card = page.get_by_test_id("post-list").locator("tbody tr").first
        box = card.bounding_box()
        if width < 576:
            # A card per post: the table header is hidden from view, each row is a block as
            # wide as the list, and it still names its department, date and counts.
            assert header.bounding_box()["height"] <= 1
            assert box["width"] > 300
            title_box = card.locator("td.board-list-title").bounding_box()
            dept_box = card.locator("td[data-label]").first.bounding_box()
            assert dept_box["y"] >= title_box["y"] + title_box["height"] - 1  # under the title
            text = card.inner_text()
            assert author.staff_profile.department.name in text and "-" in text  # dept, date
        else:
            assert header.bounding_box()["height"] > 10


def test_removing_a_comment_asks_first_and_cancel_keeps_it(
    page: object, login: Callable, axe: Callable
) -> None:
    """Issue 13 #2: the irreversible removal opens a dialog saying what will happen; 취소
    keeps the comment, 삭제 removes it (the same confirmation is a page without JavaScript)."""
    admin = portal_admin(username="boss4")
    post = board_services.post_approve(
        post=board_services.post_submit(
            author=staff_user(), area="docs", title="민원 응대 매뉴얼", body="전화 응대 순서"
        ),
        reviewer=admin,
    )
    reader = staff_user(username="reader4")
    comment = board_services.comment_add(
        post=post, author=reader, body="표준 문구도 있으면 좋겠습니다."
    )
    login("reader4", TEST_PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/board/posts/{post.pk}/")
        dialog = page.locator(f"#remove-comment-{comment.pk}")
        assert not dialog.is_visible()
        page.get_by_role("link", name="의견 삭제").click()
        assert dialog.is_visible()
        assert page.url.endswith(f"/board/posts/{post.pk}/")  # the dialog, not the page
        assert "되돌릴 수 없습니다" in dialog.inner_text()
        assert "점수가 취소됩니다" in dialog.inner_text()
        # Focus starts on the safe choice.
        assert page.evaluate("document.activeElement.textContent.trim()") == "취소"
        assert axe(page) == []
        dialog.get_by_role("button", name="취소").click()
        assert not dialog.is_visible()
        assert "표준 문구도 있으면 좋겠습니다." in page.get_by_test_id("comments").inner_text()
        comment.refresh_from_db()
        assert comment.removed_at is None
        # Escape closes it too, and still nothing changes.
        page.get_by_role("link", name="의견 삭제").click()
        page.keyboard.press("Escape")
        assert not dialog.is_visible()
        comment.refresh_from_db()
        assert comment.removed_at is None
    page.get_by_role("link", name="의견 삭제").click()
    dialog.get_by_role("button", name="삭제").click()
    page.wait_for_load_state()
    assert "의견을 삭제했습니다" in page.locator(".messages").inner_text()
    assert "표준 문구도 있으면 좋겠습니다." not in page.get_by_test_id("comments").inner_text()
    comment.refresh_from_db()
    assert comment.removed_at is not None
    assert axe(page) == []


def test_the_comment_removal_page_works_without_javascript(
    browser: object, live_server: object
) -> None:
    admin = portal_admin(username="boss5")
    post = board_services.post_approve(
        post=board_services.post_submit(
            author=staff_user(), area="docs", title="예산 절감 사례", body="사무용품 공동 구매"
        ),
        reviewer=admin,
    )
    reader = staff_user(username="reader5")
    comment = board_services.comment_add(post=post, author=reader, body="우리 과도 해 보겠습니다.")
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="ko-KR",
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("아이디").fill("reader5")
        page.get_by_label("비밀번호", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state()
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"/board/posts/{post.pk}/")
            page.get_by_role("link", name="의견 삭제").click()
            page.wait_for_load_state()
            assert page.url.endswith(f"/board/comments/{comment.pk}/remove/")
            assert "이 의견을 삭제할까요?" in page.get_by_test_id("confirm").inner_text()
            page.get_by_test_id("confirm-cancel").click()
            page.wait_for_load_state()
            comment.refresh_from_db()
            assert comment.removed_at is None
        page.get_by_role("link", name="의견 삭제").click()
        page.wait_for_load_state()
        page.get_by_test_id("confirm-submit").click()
        page.wait_for_load_state()
        comment.refresh_from_db()
        assert comment.removed_at is not None
    finally:
        context.close()
