"""The board's cached page parts (board.pagecache): a cached part is never shown to a reader
who may not see all of it, every write shows at once, and a cached page's queries stay few
and constant."""

import pytest
from django.test import Client
from django.urls import reverse

from board import pagecache, services
from board.models import Area, PostStatus
from board.tests.factories import PostFactory
from org.tests.factories import portal_admin, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

LIST = reverse("board:area_list", args=[Area.WORKSHARING])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submitted(author, title: str):
    return services.post_submit(
        author=author, area=Area.WORKSHARING, title=title, body="검토를 기다리는 글"
    )


def _approved(author, admin, title: str):
    return services.post_approve(post=_submitted(author, title), reviewer=admin)


def test_a_staff_members_waiting_post_is_in_their_list_only_whoever_asks_first() -> None:
    admin = portal_admin()
    author, other = staff_user(), staff_user()
    _approved(author, admin, "공개된 사례")
    _submitted(author, "대기 중인 사례")
    for first, second in ((other, author), (author, other)):
        pages = {u: _client(u).get(LIST).content.decode() for u in (first, second)}
        assert "공개된 사례" in pages[other] and "공개된 사례" in pages[author]
        assert "대기 중인 사례" in pages[author]
        assert "대기 중인 사례" not in pages[other]


def test_an_admins_list_is_not_a_staff_members_and_back() -> None:
    admin, author, other = portal_admin(), staff_user(), staff_user()
    _submitted(author, "관리자만 보는 사례")
    assert "관리자만 보는 사례" in _client(admin).get(LIST).content.decode()
    assert "관리자만 보는 사례" not in _client(other).get(LIST).content.decode()
    assert "관리자만 보는 사례" in _client(admin).get(LIST).content.decode()


def test_a_draft_is_its_authors_alone_even_for_an_admin() -> None:
    admin, author = portal_admin(), staff_user()
    services.post_submit(
        author=author, area=Area.WORKSHARING, title="임시 저장 사례", body="초안", draft=True
    )
    assert "임시 저장 사례" in _client(author).get(LIST).content.decode()
    assert "임시 저장 사례" not in _client(admin).get(LIST).content.decode()


def test_approving_rejecting_and_commenting_show_at_once_in_a_cached_list() -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _submitted(author, "승인될 사례")
    client = _client(reader)
    assert "승인될 사례" not in client.get(LIST).content.decode()
    services.post_approve(post=post, reviewer=admin)
    assert "승인될 사례" in client.get(LIST).content.decode()
    services.comment_add(post=post, author=reader, body="좋은 사례입니다")
    response = client.get(LIST)
    assert [p.comment_count for p in response.context["page"]] == [1]
    services.post_reject(post=post, reviewer=admin, reason="중복")
    assert "승인될 사례" not in client.get(LIST).content.decode()


def test_deleting_a_post_with_its_comments_leaves_the_cached_list() -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin, "지워질 사례")
    services.comment_add(post=post, author=reader, body="의견")
    client = _client(reader)
    assert "지워질 사례" in client.get(LIST).content.decode()
    post.delete()  # the admin's delete: the comments go with it (a cascade)
    assert "지워질 사례" not in client.get(LIST).content.decode()


def test_unknown_parameters_are_neither_in_the_key_nor_in_the_pager() -> None:
    author = staff_user()
    PostFactory.create_batch(25, area=Area.WORKSHARING, author=author)
    client = _client(staff_user())
    html = client.get(LIST, {"utm": "<x>", "sort": "views"}).content.decode()
    assert "utm" not in html and "page=2" in html and "sort=views" in html
    assert "utm" not in client.get(LIST, {"sort": "views"}).content.decode()


@pytest.mark.parametrize("n", [5, 60])
def test_a_cached_list_runs_the_same_few_queries(django_assert_max_num_queries, n: int) -> None:
    PostFactory.create_batch(n, area=Area.WORKSHARING)
    client = _client(staff_user())
    params = {"status": PostStatus.APPROVED, "sort": "views"}
    client.get(LIST, params)  # fills the cache
    with django_assert_max_num_queries(10) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert len(response.context["part"]) > 1000  # the table itself, from the cache
    # session and user (no BEGIN/COMMIT: the list only reads; the badge's count kept since the
    # login): nothing of the board's rows, counts or department choices.
    assert len(captured.captured_queries) == 2


# --- the post page ---------------------------------------------------------------------------


def test_comment_buttons_are_the_readers_own_and_never_cached() -> None:
    admin, author, commenter, other = portal_admin(), staff_user(), staff_user(), staff_user()
    post = _approved(author, admin, "의견이 달린 사례")
    comment = services.comment_add(post=post, author=commenter, body="첫 의견")
    edit = reverse("board:comment_edit", args=[comment.pk])
    remove = reverse("board:comment_remove", args=[comment.pk])
    url = post.get_absolute_url()
    pages = {u: _client(u).get(url).content.decode() for u in (other, commenter, admin, other)}
    assert "첫 의견" in pages[other] and edit not in pages[other] and remove not in pages[other]
    assert edit in pages[commenter] and remove in pages[commenter]
    assert remove in pages[admin] and edit not in pages[admin]
    _key, part = pagecache.post_part(post.pk)
    assert isinstance(part, pagecache.PostPart)
    assert "csrfmiddlewaretoken" not in part.comments + part.body
    assert edit not in part.comments and pagecache.comment_marker(comment.pk) in part.comments


def test_a_comment_an_edit_and_a_removal_show_at_once_on_a_cached_post_page() -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin, "바뀌는 사례")
    client = _client(reader)
    assert "아직 의견이 없습니다" in client.get(post.get_absolute_url()).content.decode()
    comment = services.comment_add(post=post, author=reader, body="새 의견")
    assert "새 의견" in client.get(post.get_absolute_url()).content.decode()
    services.post_edit(post=post, editor=admin, title=post.title, body="고친 본문", submit=False)
    assert "고친 본문" in client.get(post.get_absolute_url()).content.decode()
    services.comment_remove(comment=comment, by=admin)
    assert "새 의견" not in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize("n", [3, 40])
def test_a_cached_post_page_runs_the_same_few_queries(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, n: int
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin, "의견 많은 사례")
    commenters = [staff_user() for _ in range(3)]
    for i in range(n):
        services.comment_add(post=post, author=commenters[i % 3], body=f"의견 {i}")
    services.comment_add(post=post, author=reader, body="내 의견")
    client = _client(reader)
    with django_capture_on_commit_callbacks(execute=True):  # fills the cache, records the view
        client.get(post.get_absolute_url())
    with django_assert_max_num_queries(10) as captured:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"의견 {n - 1}" in html and html.count("의견 수정") == 1  # the reader's own comment
    # session, user, the post's live values with whether the reader's view is recorded (the
    # badge's count kept since the login): no comments, attachments or their authors,
    # and no BEGIN/COMMIT (the page only reads).
    assert len(captured.captured_queries) == 3
