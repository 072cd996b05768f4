"""Board pages through Django's test client: permissions, bad input, query counts."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from board import services, views
from board.models import Area, Attachment, Comment, Post, PostStatus
from board.tests.factories import PostFactory
from org.tests.factories import UserFactory, portal_admin, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

# A first (uncached) page: session, user, department choices, count, rows, whether the
# reader has posts only they see (board.pagecache); no BEGIN/COMMIT (the list only reads);
# the roles and the notifications badge's count come from the cache a login fills
# (jisik_portal/roles_cache.py, notifications.selectors)
EXPECTED_LIST_QUERIES = 6
# An uncached post page: session, user, the post with whether the reader's view is recorded,
# its attachments, its comments; no BEGIN/COMMIT (it only reads); the badge as above.
EXPECTED_DETAIL_QUERIES = 5

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def hwpx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", "<hs:sec/>")
    return buf.getvalue()


@pytest.fixture
def author(client):
    return staff_user(username="writer")


@pytest.fixture
def reader():
    return staff_user(username="reader")


@pytest.fixture
def admin():
    return portal_admin(username="boss")


def login(client, user) -> None:
    client.force_login(user)


def approved(author, admin, **kw) -> Post:
    post = services.post_submit(
        author=author, area=kw.pop("area", "docs"), title=kw.pop("title", "업무 지침"),
        body=kw.pop("body", "지침 내용"), **kw,
    )  # fmt: skip
    return services.post_approve(post=post, reviewer=admin)


def test_the_area_list_needs_login_and_a_real_area(client, author) -> None:
    url = reverse("board:area_list", args=["docs"])
    assert client.get(url).status_code == 302
    login(client, author)
    assert client.get(url).status_code == 200
    assert client.get(reverse("board:area_list", args=["nope"])).status_code == 404


def test_staff_see_approved_posts_and_their_own_but_not_others_pending(
    client, author, reader, admin
) -> None:
    public = approved(author, admin, title="공개된 글")
    pending = services.post_submit(author=author, area="docs", title="대기 중인 글", body="b")
    login(client, reader)
    page = client.get(reverse("board:area_list", args=["docs"])).content.decode()
    assert "공개된 글" in page and "대기 중인 글" not in page
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(pending.get_absolute_url()).status_code == 404
    login(client, author)
    assert "대기 중인 글" in client.get(reverse("board:area_list", args=["docs"])).content.decode()
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_the_author_sees_the_status_and_rejection_reason(client, author, admin) -> None:
    post = services.post_submit(author=author, area="docs", title="t", body="b")
    services.post_reject(post=post, reviewer=admin, reason="출처를 밝혀 주세요")
    login(client, author)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "반려" in html and "출처를 밝혀 주세요" in html


def test_the_list_filters_by_keyword_department_status_and_period(
    client, author, reader, admin
) -> None:
    approved(author, admin, title="도서관 운영 개선", body="열람실")
    approved(reader, admin, title="주차장 공유", body="야간 개방")
    login(client, reader)
    url = reverse("board:area_list", args=["docs"])
    response = client.get(url, {"keyword": "도서"})
    titles = [p.title for p in response.context["page"]]  # the page marks 도서 in the title
    assert "도서관 운영 개선" in titles and "주차장 공유" not in titles
    assert "<mark>도서</mark>관 운영 개선" in response.content.decode()
    dept = reader.staff_profile.department
    html = client.get(url, {"department": dept.pk}).content.decode()
    assert "주차장 공유" in html and "도서관 운영 개선" not in html
    html = client.get(url, {"status": "approved", "period": "week"}).content.decode()
    assert "주차장 공유" in html and "도서관 운영 개선" in html
    html = client.get(url, {"keyword": "야간"}).content.decode()
    assert "주차장 공유" in html


def test_a_keyword_search_counts_only_up_to_a_cap(client, author, admin, monkeypatch) -> None:

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        PostFactory(area="docs", title=f"도서 목록 {i}")
    login(client, author)
    response = client.get(reverse("board:area_list", args=["docs"]), {"keyword": "도서"})
    assert "3건 이상" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 2
    response = client.get(reverse("board:area_list", args=["docs"]))
    assert "5건" in response.content.decode()


def test_writing_a_post_with_an_attachment(client, author, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(client, author)
    response = client.post(
        reverse("board:post_create", args=["docs"]),
        {
            "title": "2016년 업무계획",
            "body": "## 개요\n계획입니다 <script>alert(1)</script>",
            "action": "submit",
            "attachments": [SimpleUploadedFile("업무계획.pdf", PDF)],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.status == PostStatus.SUBMITTED
    assert "<script" not in post.body_html and "<h2>개요</h2>" in post.body_html
    attachment = post.attachments.get()
    assert (attachment.original_name, attachment.kind) == ("업무계획.pdf", "pdf")
    assert not attachment.file.name.endswith("업무계획.pdf")  # stored under a random name


def test_a_form_error_keeps_what_was_typed(client, author) -> None:
    login(client, author)
    response = client.post(
        reverse("board:post_create", args=["docs"]),
        {"title": "", "body": "길게 쓴 내용을 잃으면 안 됩니다", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "제목을 입력해 주세요." in html
    assert "길게 쓴 내용을 잃으면 안 됩니다" in html
    assert not Post.objects.exists()


def test_huge_text_gets_a_korean_message_and_is_kept(client, author) -> None:
    login(client, author)
    response = client.post(
        reverse("board:post_create", args=["docs"]),
        {"title": "긴 글", "body": "가" * 60_000, "action": "submit"},
    )
    assert response.status_code == 400
    assert "내용이 너무 깁니다" in response.content.decode()
    assert not Post.objects.exists()


def test_an_exe_renamed_pdf_is_refused_and_the_text_kept(
    client, author, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(client, author)
    response = client.post(
        reverse("board:post_create", args=["docs"]),
        {
            "title": "첨부 시험",
            "body": "본문",
            "action": "submit",
            "attachments": [SimpleUploadedFile("계획.pdf", b"MZ\x90\x00" + b"\x00" * 200)],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "첨부할 수 없는 파일입니다" in html and "첨부 시험" in html
    assert not Post.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "ok"),
    [
        ("a.pdf", PDF, True),
        ("a.png", PNG, True),
        ("a.docx", docx_bytes(), True),
        ("a.hwpx", hwpx_bytes(), True),
        ("a.zip", docx_bytes(), False),  # a docx is not a plain zip by content
        ("a.exe", PDF, False),
        ("a.pdf", PNG, False),
        ("a.html", b"<html><script>alert(1)</script></html>", False),
        ("a.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + b"HWP Document File", True),
        ("a.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, False),
    ],
)
def test_attachments_are_checked_by_content(name: str, data: bytes, ok: bool) -> None:
    from django.core.exceptions import ValidationError

    from org.files import check_upload

    upload = SimpleUploadedFile(name, data)
    if ok:
        assert check_upload(upload, name, len(data)).kind == name.rsplit(".", 1)[1]
    else:
        with pytest.raises(ValidationError):
            check_upload(upload, name, len(data))


def test_the_size_limit_comes_from_settings(settings) -> None:
    from django.core.exceptions import ValidationError

    from org.files import check_upload

    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="파일이 너무 큽니다"):
        check_upload(SimpleUploadedFile("a.pdf", PDF), "a.pdf", len(PDF))


def test_download_checks_permission_and_keeps_the_korean_name(
    client, author, reader, admin, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    post = services.post_submit(
        author=author, area="docs", title="t", body="b",
        attachments=[SimpleUploadedFile("주요 업무계획.pdf", PDF)],
    )  # fmt: skip
    url = post.attachments.get().get_absolute_url()
    login(client, reader)
    assert client.get(url).status_code == 404  # not approved yet
    services.post_approve(post=post, reviewer=admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('주요 업무계획.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    client.logout()
    assert client.get(url).status_code == 302


def _shown_count(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="view-count">', 1)[1].split("</dd>", 1)[0].strip()


def test_viewing_records_once_and_shows_the_count(
    client, author, reader, admin, django_capture_on_commit_callbacks
) -> None:
    post = approved(author, admin)
    login(client, reader)
    # The page counts the first view at once; the view is recorded by the job that runs
    # after the request's transaction (eagerly here, as without a broker).
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert _shown_count(client.get(post.get_absolute_url())) == "1"
    assert len(jobs) == 1
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert _shown_count(client.get(post.get_absolute_url())) == "1"
    assert jobs == []  # a returning reader hands nothing to a job
    post.refresh_from_db()
    assert post.view_count == 1
    login(client, author)
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert _shown_count(client.get(post.get_absolute_url())) == "1"
    assert jobs == []
    post.refresh_from_db()
    assert post.view_count == 1


def test_commenting_and_removing(client, author, reader, admin) -> None:
    post = approved(author, admin)
    login(client, reader)
    response = client.post(reverse("board:comment_add", args=[post.pk]), {"body": "좋은 자료"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert "좋은 자료" in client.get(post.get_absolute_url()).content.decode()
    # Another staff member can't remove it; the author of the comment can.
    login(client, staff_user())
    assert client.post(reverse("board:comment_remove", args=[comment.pk])).status_code == 403
    login(client, reader)
    client.post(reverse("board:comment_remove", args=[comment.pk]))
    assert Comment.objects.get().removed_at is not None
    assert "좋은 자료" not in client.get(post.get_absolute_url()).content.decode()


def test_removing_a_comment_asks_first_without_javascript(client, author, reader, admin) -> None:
    post = approved(author, admin)
    comment = services.comment_add(post=post, author=reader, body="지울 수도 있는 의견")
    url = reverse("board:comment_remove", args=[comment.pk])
    login(client, reader)
    # The post page links to the confirmation (and holds the same form in a <dialog>).
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and f'id="remove-comment-{comment.pk}"' in page
    # GET is the confirmation page: what will happen, 삭제 (a POST) or 취소; nothing removed.
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "이 의견을 삭제할까요?" in body and "되돌릴 수 없습니다" in body
    assert "점수가 취소됩니다" in body and "지울 수도 있는 의견" in body
    assert f'action="{url}"' in body and 'method="post"' in body
    assert f'href="{post.get_absolute_url()}#comment-{comment.pk}"' in body  # 취소
    assert Comment.objects.get().removed_at is None
    # Someone who may not remove it doesn't get the page either.
    login(client, staff_user())
    assert client.get(url).status_code == 403
    login(client, reader)
    assert client.post(url).status_code == 302
    assert Comment.objects.get().removed_at is not None


def test_an_empty_comment_keeps_the_page_and_says_why(client, author, reader, admin) -> None:
    post = approved(author, admin)
    login(client, reader)
    response = client.post(reverse("board:comment_add", args=[post.pk]), {"body": "  "})
    assert response.status_code == 400
    assert "의견 내용을 입력해 주세요." in response.content.decode()


def test_a_comment_on_a_rejected_post_is_refused_in_korean(client, author, admin) -> None:
    post = services.post_submit(author=author, area="docs", title="t", body="b")
    services.post_reject(post=post, reviewer=admin, reason="보완")
    login(client, author)
    response = client.post(reverse("board:comment_add", args=[post.pk]), {"body": "의견"})
    assert response.status_code == 400
    assert "승인된 게시글에만 의견을 남길 수 있습니다." in response.content.decode()
    assert not Comment.objects.exists()
    login(client, staff_user())
    assert (
        client.post(reverse("board:comment_add", args=[post.pk]), {"body": "x"}).status_code == 404
    )


def test_a_body_script_is_never_rendered(client, author, reader, admin) -> None:
    post = approved(author, admin, body='<script>alert("x")</script><p onclick="x()">본문</p>')
    login(client, reader)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'alert("x")' not in html and "onclick" not in html and "본문" in html


def test_editing_keeps_history_and_refuses_others(client, author, reader, admin) -> None:
    post = approved(author, admin)
    login(client, reader)
    assert client.get(reverse("board:post_edit", args=[post.pk])).status_code == 403
    login(client, author)
    response = client.post(
        reverse("board:post_edit", args=[post.pk]),
        {"title": "업무 지침(개정)", "body": "바뀐 내용", "action": "save"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("업무 지침(개정)", PostStatus.SUBMITTED)
    assert post.revisions.get().title == "업무 지침"


def test_the_review_queue_and_page_are_for_admins(client, author, admin) -> None:
    post = services.post_submit(author=author, area="proposal", title="제안", body="내용")
    login(client, author)
    assert client.get(reverse("board:review_queue")).status_code == 403
    assert client.get(reverse("board:post_review", args=[post.pk])).status_code == 403
    login(client, admin)
    assert "제안" in client.get(reverse("board:review_queue")).content.decode()
    response = client.post(reverse("board:post_review", args=[post.pk]), {"action": "reject"})
    assert "반려 사유를 입력해 주세요." in response.content.decode()
    client.post(reverse("board:post_review", args=[post.pk]), {"action": "approve"})
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_the_write_page_lists_similar_posts(client, author, admin) -> None:
    approved(
        staff_user(), admin, area="worksharing",
        title="주민참여예산으로 도서관 운영시간을 연장해 주세요", body="주말에도 열어 주세요",
    )  # fmt: skip
    login(client, author)
    response = client.get(
        reverse("board:similar_posts"),
        {"area": "worksharing", "title": "도서관 개방 시간 연장 요청드립니다(주민 참여 예산)"},
    )
    assert "도서관 운영시간을 연장해 주세요" in response.content.decode()
    response = client.post(
        reverse("board:post_create", args=["worksharing"]),
        {
            "title": "도서관 개방 시간 연장 요청드립니다(주민 참여 예산)",
            "body": "b",
            "action": "check",
        },
    )
    assert "도서관 운영시간을 연장해 주세요" in response.content.decode()
    assert Post.objects.count() == 1


def test_the_proposal_area_is_written_on_the_proposals_page(client, author) -> None:
    login(client, author)
    url = reverse("board:post_create", args=["proposal"])
    for response in (client.get(url), client.post(url, {"title": "t", "body": "b"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("proposals:write")
    assert not Post.objects.exists()


def _make_posts(n: int, area: str, admin) -> None:
    authors = [staff_user() for _ in range(3)] + [UserFactory()]
    for i in range(n):
        post = PostFactory(area=area, author=authors[i % 4], title=f"글 {i}")
        if i < 3:
            services.comment_add(post=post, author=admin, body=f"의견 {i}")


@pytest.mark.parametrize("n", [5, 200])
def test_the_list_page_runs_a_constant_number_of_queries(
    client, admin, django_assert_max_num_queries, n: int
) -> None:
    _make_posts(n, Area.WORKSHARING, admin)
    reader = staff_user()
    login(client, reader)
    url = reverse("board:area_list", args=["worksharing"])
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url, {"keyword": "글", "status": "approved", "period": "month"})
    assert response.status_code == 200
    # Same number for 5 and 200 posts (list page with filters and pagination).
    assert len(captured.captured_queries) == EXPECTED_LIST_QUERIES


@pytest.mark.parametrize("n", [5, 200])
def test_the_post_page_runs_a_constant_number_of_queries(
    client, admin, django_assert_max_num_queries, n: int, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    author = staff_user()
    post = approved(author, admin, attachments=[SimpleUploadedFile("a.pdf", PDF)])
    commenters = [staff_user() for _ in range(3)] + [UserFactory()]
    for i in range(n):
        services.comment_add(post=post, author=commenters[i % 4], body=f"의견 {i}")
    reader = staff_user()
    login(client, reader)
    services.post_view_record(post=post, viewer=reader)  # a returning reader
    with django_assert_max_num_queries(10) as captured:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert len(captured.captured_queries) == EXPECTED_DETAIL_QUERIES


@pytest.mark.parametrize("n", [5, 200])
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("board:area_list", {"sort": "views"}),
        ("board:area_list", {}),
        ("board:search", {"keyword": "글을", "sort": "comments"}),
        ("board:search", {"keyword": "글 민원을"}),
    ],
)
def test_sorted_lists_and_the_search_page_run_a_constant_number_of_queries(
    client, admin, django_assert_max_num_queries, n: int, name: str, params: dict
) -> None:
    _make_posts(n, Area.WORKSHARING, admin)
    login(client, staff_user())
    url = reverse(name, args=["worksharing"]) if name == "board:area_list" else reverse(name)
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(captured.captured_queries) <= EXPECTED_LIST_QUERIES


def test_a_search_with_particles_ranks_title_matches_first_and_highlights_safely(
    client, author, admin
) -> None:
    old_title = approved(author, admin, title="불법 주차 단속 강화 <b>방안</b>", body="골목길")
    approved(author, admin, title="골목 환경 개선", body="불법주차를 단속하는 카메라 설치")
    approved(author, admin, title="주차장 야간 개방", body="남는 공간을 엽니다")
    login(client, author)
    response = client.get(reverse("board:search"), {"keyword": "불법주차를 단속하는"})
    posts = list(response.context["page"])
    assert [p.title for p in posts] == [old_title.title, "골목 환경 개선"]
    html = response.content.decode()
    assert "<mark>불법</mark> <mark>주차</mark>" in html
    assert "&lt;b&gt;방안&lt;/b&gt;" in html and "<b>방안</b>" not in html
    assert "<mark>단속</mark>" in html  # the excerpt of the body match


def test_sorting_by_views_and_comments(client, author, admin) -> None:
    quiet = approved(author, admin, title="조용한 글")
    busy = approved(author, admin, title="많이 읽힌 글")
    Post.objects.filter(pk=busy.pk).update(view_count=50)
    Post.objects.filter(pk=quiet.pk).update(comment_count=9)
    login(client, author)
    url = reverse("board:area_list", args=["docs"])
    assert [p.pk for p in client.get(url, {"sort": "views"}).context["page"]] == [busy.pk, quiet.pk]
    assert [p.pk for p in client.get(url, {"sort": "comments"}).context["page"]] == [
        quiet.pk,
        busy.pk,
    ]


def test_the_search_page_covers_every_area_the_reader_may_see(
    client, author, reader, admin
) -> None:
    approved(author, admin, area="docs", title="회의 자료 양식")
    approved(author, admin, area="club", title="동아리 회의자료 모음")
    services.post_submit(author=author, area="worksharing", title="회의 자료 초안", body="b")
    login(client, reader)
    response = client.get(reverse("board:search"), {"keyword": "회의자료를"})
    titles = {p.title for p in response.context["page"]}
    assert titles == {"회의 자료 양식", "동아리 회의자료 모음"}
    assert "자료공유" in response.content.decode() and "학습동아리" in response.content.decode()


def test_with_no_post_holding_every_word_posts_with_some_are_listed(client, author, admin) -> None:
    approved(author, admin, title="도서관 연장 운영")
    login(client, author)
    response = client.get(reverse("board:search"), {"keyword": "도서관 수영장"})
    assert [p.title for p in response.context["page"]] == ["도서관 연장 운영"]
    assert "일부를 포함한 글" in response.content.decode()


def test_the_list_counts_up_to_a_cap_and_pages_on_past_it(
    client, author, admin, monkeypatch
) -> None:

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(views, "LIST_COUNT_PAGES_AHEAD", 1)
    for i in range(9):
        approved(author, admin, title=f"지침 {i}")
    login(client, staff_user())
    url = reverse("board:area_list", args=["docs"])
    first = client.get(url).content.decode()
    # page 1: counted up to max(3, (1 + 1) * 2) = 4 rows
    assert "4건 이상" in first and "?page=2" in first
    # page 4 asked: counted up to (4 + 1) * 2 = 10 rows, so all 9 are known
    deep = client.get(url, {"page": "4"}).content.decode()
    assert "9건" in deep and "9건 이상" not in deep and "?page=5" in deep
