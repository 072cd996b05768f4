"""The post page's content kept per post version and kind of reader (board.views,
board/_post_page.html): each request still gets its own view count, CSRF token and
one-time comment token, and a reader of another kind never gets someone else's buttons."""

import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board import pagecache, services
from board.models import Area, Post
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db

# The comment form's CSRF token (the layout's logout form has one of its own, not cached).
TOKEN = re.compile(
    r'/comments/"\s+novalidate>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
)
ONCE = re.compile(r'name="submission_token" value="([^"]+)"')


def _approved(author, admin) -> Post:
    post = services.post_submit(
        author=author, area=Area.WORKSHARING, title="민원 사례", body="본문"
    )
    return services.post_approve(post=post, reviewer=admin)


def _page(client: Client, post: Post, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):  # the view job runs
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_each_request_gets_its_own_tokens_and_count(django_capture_on_commit_callbacks) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    first, second = _client(staff_user()), _client(staff_user())
    page_a = _page(first, post, django_capture_on_commit_callbacks)
    page_b = _page(second, post, django_capture_on_commit_callbacks)  # same kind: from the cache
    again = _page(first, post, django_capture_on_commit_callbacks)
    for html in (page_a, page_b, again):
        assert "\x00" not in html and "00000000-0000-4000-8000-000000000000" not in html
    # The readers' own CSRF tokens (their cookies differ), a fresh one-time token each time.
    assert TOKEN.search(page_a)[1] != TOKEN.search(page_b)[1]
    onces = {ONCE.search(html)[1] for html in (page_a, page_b, again)}
    assert len(onces) == 3
    # The count is live: each reader's first view counts, the return does not.
    counts = [
        re.search(r'data-testid="view-count">\s*([\d,]+)', h)[1] for h in (page_a, page_b, again)
    ]
    assert counts == ["1", "2", "2"]
    # The token on the cached page is the reader's: the comment goes through the CSRF check.
    response = second.post(
        reverse("board:comment_add", args=[post.pk]),
        {"body": "좋은 사례입니다", "csrfmiddlewaretoken": TOKEN.search(page_b)[1],
         "submission_token": ONCE.search(page_b)[1]},
    )  # fmt: skip
    assert response.status_code == 302
    assert post.comments.filter(body="좋은 사례입니다").count() == 1
    # The new comment is on the next page (a new version), for both readers.
    assert "좋은 사례입니다" in _page(first, post, django_capture_on_commit_callbacks)


def test_a_reader_of_another_kind_never_gets_the_cached_buttons(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author, staff = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    comment = services.comment_add(post=post, author=author, body="작성자 의견")
    admin_page = _page(_client(admin), post, django_capture_on_commit_callbacks)
    staff_page = _page(_client(staff), post, django_capture_on_commit_callbacks)
    author_page = _page(_client(author), post, django_capture_on_commit_callbacks)
    remove = f'href="{reverse("board:comment_remove", args=[comment.pk])}"'
    edit_marker = reverse("board:comment_edit", args=[comment.pk])
    review = reverse("board:post_review", args=[post.pk])
    assert remove in admin_page and review in admin_page and edit_marker not in admin_page
    assert remove not in staff_page and review not in staff_page and edit_marker not in staff_page
    assert remove in author_page and edit_marker in author_page and review not in author_page
    # The status box is the admin's and the author's, never another staff member's.
    assert 'data-testid="post-status"' in admin_page
    assert 'data-testid="post-status"' not in staff_page


def test_a_kept_part_brings_the_post_and_the_page_reads_only_its_live_values(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    services.comment_add(post=post, author=staff_user(), body="첫 의견")
    reader = _client(staff_user())
    _page(reader, post, django_capture_on_commit_callbacks)  # reads the post, keeps the part
    _key, part = pagecache.post_part(post.pk)
    assert isinstance(part, pagecache.PostPart)
    # The kept post holds none of the texts, rows or reader's answer the part has elsewhere.
    kept = part.post.__dict__
    assert "body_html" not in kept and "viewer_seen" not in kept
    assert "live_comments" not in kept and "_prefetched_objects_cache" not in kept
    assert part.post.author.last_name == author.last_name  # its author came with it
    with CaptureQueriesContext(connection) as queries:
        html = _page(reader, post, django_capture_on_commit_callbacks)
    post_reads = [q["sql"] for q in queries.captured_queries if '"board_post"' in q["sql"]]
    assert post_reads == []  # the ORM's read of the post: not run
    assert "첫 의견" in html and "민원 사례" in html


def test_a_copys_page_follows_the_delete_of_its_original(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author = portal_admin(), staff_user()
    original = _approved(staff_user(), admin)
    copy = _approved(author, admin)
    services.post_mark_duplicate(post=copy, original=original, reviewer=admin)
    reader = _client(staff_user())
    assert original.get_absolute_url() in _page(reader, copy, django_capture_on_commit_callbacks)
    # Deleting the original sets the copy's link to NULL by a bulk UPDATE, which sends no
    # signal for the copy: the original's own delete moves the copy's version.
    Post.objects.filter(pk=original.pk).delete()
    again = _page(reader, copy, django_capture_on_commit_callbacks)
    assert original.get_absolute_url() not in again


def test_a_post_gone_since_its_part_was_kept_is_not_found(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    reader = _client(staff_user())
    _page(reader, post, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:  # no signal: the part and its version stay
        cursor.execute("DELETE FROM board_postview WHERE post_id = %s", [post.pk])
        cursor.execute("DELETE FROM board_comment WHERE post_id = %s", [post.pk])
        cursor.execute("DELETE FROM board_attachment WHERE post_id = %s", [post.pk])
        cursor.execute("DELETE FROM board_postrevision WHERE post_id = %s", [post.pk])
        cursor.execute("DELETE FROM board_post WHERE id = %s", [post.pk])
    assert reader.get(post.get_absolute_url()).status_code == 404


def test_the_comments_read_brings_names_and_departments_and_no_password_hashes(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author, commenter = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    services.comment_add(post=post, author=commenter, body="부서 의견")
    with CaptureQueriesContext(connection) as queries:
        html = _page(_client(staff_user()), post, django_capture_on_commit_callbacks)
    [read] = [q["sql"] for q in queries.captured_queries if 'FROM "board_comment"' in q["sql"]]
    assert '"auth_user"."password"' not in read and '"auth_user"."email"' not in read
    assert '"org_staffprofile"."position"' not in read
    department = commenter.staff_profile.department.name
    assert f"<strong>{commenter.last_name}{commenter.first_name}</strong>" in html
    assert f"({department})" in html and "부서 의견" in html


# --- one request renders a part, the others missing it meanwhile wait ----------------------


def _statements(client: Client, post: Post, django_capture_on_commit_callbacks) -> int:
    with CaptureQueriesContext(connection) as captured:
        _page(client, post, django_capture_on_commit_callbacks)
    return len(captured.captured_queries)


def _in_another_request(render) -> threading.Thread:
    """Run ``render`` in a thread (another request's render of a part), once it holds the
    claim: ``render(claimed)`` sets the event when it does."""
    claimed = threading.Event()
    thread = threading.Thread(target=render, args=(claimed,))
    thread.start()
    assert claimed.wait(5)
    return thread


def _a_new_version(callbacks) -> tuple[Post, Client, int, str]:
    """A post, a reader whose view is recorded, the statements of the reader's page when it
    renders the post's part, and the key of a new version of the post whose part nobody
    has (its version moved)."""
    post = _approved(staff_user(), portal_admin())
    reader = _client(staff_user())
    _page(reader, post, callbacks)  # the reader's view recorded
    pagecache.bump(posts=[post.pk])
    miss = _statements(reader, post, callbacks)  # renders the part
    pagecache.bump(posts=[post.pk])
    key, missing = pagecache.post_part(post.pk)
    assert missing is None
    return post, reader, miss, key


def test_a_request_missing_a_part_another_is_rendering_waits_for_it_and_reads_no_post(
    django_capture_on_commit_callbacks,
) -> None:
    post, reader, miss, _key = _a_new_version(django_capture_on_commit_callbacks)
    _page(reader, post, django_capture_on_commit_callbacks)  # renders that version's part
    hit = _statements(reader, post, django_capture_on_commit_callbacks)
    assert hit < miss
    _key, part = pagecache.post_part(post.pk)
    assert part is not None
    pagecache.bump(posts=[post.pk])  # a new version again: nobody has its part yet
    key, missing = pagecache.post_part(post.pk)
    assert missing is None

    def render(claimed: threading.Event) -> None:
        with pagecache.post_part_rendering(post.pk, key) as found:
            assert found is None  # this one renders
            claimed.set()
            time.sleep(0.05)
            pagecache.post_part_put(post.pk, key, part)

    thread = _in_another_request(render)
    waited = _statements(reader, post, django_capture_on_commit_callbacks)
    thread.join()
    assert waited == hit  # the page came from the part the other request kept
    # and that request's claim ended with it: the next to claim this version gets the claim
    # (a claim still held would hand it the kept part after a wait)
    with pagecache.post_part_rendering(post.pk, key) as found:
        assert found is None


def test_a_waiting_request_renders_itself_when_the_renderer_keeps_nothing(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr(pagecache, "RENDER_WAIT_SECONDS", 30.0)
    post, reader, miss, key = _a_new_version(django_capture_on_commit_callbacks)

    def fail(claimed: threading.Event) -> None:  # e.g. the post was hidden from its reader
        with pagecache.post_part_rendering(post.pk, key):
            claimed.set()
            time.sleep(0.05)

    thread = _in_another_request(fail)
    start = time.monotonic()
    assert _statements(reader, post, django_capture_on_commit_callbacks) == miss
    thread.join()
    # it stopped waiting when the renderer left, not after RENDER_WAIT_SECONDS
    assert time.monotonic() - start < 10


def test_a_claim_whose_request_died_holds_readers_back_no_longer_than_the_wait(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr(pagecache, "RENDER_WAIT_SECONDS", 0.05)
    post, reader, miss, key = _a_new_version(django_capture_on_commit_callbacks)
    claim = pagecache.post_part_rendering(post.pk, key)
    assert claim.__enter__() is None  # claimed, and never left: a request that died
    assert _statements(reader, post, django_capture_on_commit_callbacks) == miss
    assert "본문" in _page(reader, post, django_capture_on_commit_callbacks)
