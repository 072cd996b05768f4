"""A knowledge view 지식조회 from the post page: the page only reads, a job records the view
after the request's transaction (board.tasks), once, with every rule of post_view_record."""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from celery import current_app
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board import services
from board.models import Area, Post, PostStatus, PostView
from board.tasks import post_view_record_task
from org.tests.factories import UserFactory, portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

# A page whose shared part is cached: user, the post's live values with whether the
# reader's view is recorded (one statement); the session from its store; the notifications
# badge's count kept since the login. No BEGIN, COMMIT or write: the same for a first view
# and a return.
CACHED_PAGE_QUERIES = 3


def _approved(author, admin, title: str = "주차 민원 처리 사례") -> Post:
    post = services.post_submit(author=author, area=Area.WORKSHARING, title=title, body="본문")
    return services.post_approve(post=post, reviewer=admin)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _views(post: Post) -> tuple[int, int, int]:
    """(view rows, the post's stored count, live VIEW ledger rows) for ``post``."""
    post.refresh_from_db()
    ledger = Activity.objects.filter(
        kind=ActivityKind.VIEW, source_type="board.post", source_id=post.pk, voided_at=None
    )
    return PostView.objects.filter(post=post).count(), post.view_count, ledger.count()


def _page_jobs(django_capture_on_commit_callbacks, client: Client, post: Post) -> list:
    """Open the post page; the jobs it handed over, not run yet."""
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return jobs


def test_the_page_writes_nothing_and_the_job_records_the_view_once(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    client = _client(reader)
    with CaptureQueriesContext(connection) as captured:
        jobs = _page_jobs(django_capture_on_commit_callbacks, client, post)
    sql = " ".join(q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries)
    assert "INSERT" not in sql and "UPDATE" not in sql and "SAVEPOINT" not in sql
    assert _views(post) == (0, 0, 0) and len(jobs) == 1
    jobs[0]()
    assert _views(post) == (1, 1, 1)
    jobs[0]()  # a job run twice changes nothing
    assert _views(post) == (1, 1, 1)
    # Once recorded, the reader's return hands nothing over.
    assert _page_jobs(django_capture_on_commit_callbacks, client, post) == []


def test_a_reload_before_the_job_ran_is_recorded_once(django_capture_on_commit_callbacks) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    client = _client(reader)
    first = _page_jobs(django_capture_on_commit_callbacks, client, post)
    second = _page_jobs(django_capture_on_commit_callbacks, client, post)
    for job in first + second:
        job()
    assert _views(post) == (1, 1, 1)


def test_the_task_run_twice_changes_nothing_and_keeps_the_kst_month() -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    # 1 December 00:30 in Seoul is still 30 November in UTC: the ledger's month is December.
    at = datetime(2026, 11, 30, 15, 30, tzinfo=UTC).isoformat()
    first = post_view_record_task.apply(args=[post.pk, reader.pk, at]).get()
    second = post_view_record_task.apply(args=[post.pk, reader.pk, at]).get()
    assert first is not None and first == second
    assert _views(post) == (1, 1, 1)
    row = Activity.objects.get(kind=ActivityKind.VIEW, user=reader)
    assert row.month == date(2026, 12, 1)
    assert PostView.objects.get().viewed_at == datetime.fromisoformat(at)


def test_the_authors_own_view_hands_over_and_records_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    assert _page_jobs(django_capture_on_commit_callbacks, _client(author), post) == []
    # Even a job handed the author's id (a stale or forged one) records nothing.
    assert post_view_record_task.apply(args=[post.pk, author.pk, _now()]).get() is None
    assert _views(post) == (0, 0, 0)


def test_a_post_not_approved_when_the_job_runs_records_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    jobs = _page_jobs(django_capture_on_commit_callbacks, _client(reader), post)
    services.post_reject(post=post, reviewer=admin, reason="개인정보 포함")
    jobs[0]()
    assert _views(post) == (0, 0, 0)
    waiting = services.post_submit(author=author, area=Area.WORKSHARING, title="대기", body="b")
    assert waiting.status == PostStatus.SUBMITTED
    assert _page_jobs(django_capture_on_commit_callbacks, _client(admin), waiting) == []
    assert post_view_record_task.apply(args=[waiting.pk, admin.pk, _now()]).get() is None


def test_a_plain_user_without_a_profile_is_counted_too(django_capture_on_commit_callbacks) -> None:
    admin, author, reader = portal_admin(), staff_user(), UserFactory()
    post = _approved(author, admin)
    for job in _page_jobs(django_capture_on_commit_callbacks, _client(reader), post):
        job()
    assert _views(post) == (1, 1, 1)


def test_with_a_broker_the_view_goes_to_the_worker_task(
    django_capture_on_commit_callbacks, with_broker: None
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _client(reader).get(post.get_absolute_url())
    send_task.assert_called_once()
    name, args = send_task.call_args.args[0], send_task.call_args.kwargs["args"]
    assert name == services.VIEW_TASK == post_view_record_task.name
    assert name in current_app.tasks
    assert args[:2] == [post.pk, reader.pk]
    # Nobody waits for its result: none is kept, no subscription to one on the sender.
    assert send_task.call_args.kwargs["ignore_result"] is True
    assert post_view_record_task.ignore_result is True
    assert _views(post) == (0, 0, 0)  # the worker records it
    post_view_record_task.apply(args=args).get()
    assert _views(post) == (1, 1, 1)


def test_reloads_before_the_worker_ran_hand_over_one_job(
    django_capture_on_commit_callbacks, with_broker: None
) -> None:
    admin, author, reader, other = portal_admin(), staff_user(), staff_user(), staff_user()
    post = _approved(author, admin)
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        pages = [_client(reader).get(post.get_absolute_url()) for _ in range(3)]
        _client(other).get(post.get_absolute_url())
    # Each reload still shows the reader's view in the count (the worker has not run).
    assert all(page.context["post"].view_count == 1 for page in pages)
    assert [c.kwargs["args"][:2] for c in send_task.call_args_list] == [
        [post.pk, reader.pk], [post.pk, other.pk],
    ]  # fmt: skip
    # Once the key expires (a job the queue lost), a later visit hands it over again.
    cache.delete(services.VIEW_QUEUED_KEY.format(post=post.pk, viewer=reader.pk))
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _client(reader).get(post.get_absolute_url())
    send_task.assert_called_once()


def test_a_broker_failure_records_the_view_in_process(
    django_capture_on_commit_callbacks, with_broker: None
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    with (
        mock.patch.object(current_app, "send_task", side_effect=ConnectionError("no broker")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _client(reader).get(post.get_absolute_url()).status_code == 200
    assert _views(post) == (1, 1, 1)


@pytest.mark.parametrize("n", [3, 60])
def test_a_first_view_runs_the_statements_of_a_return_at_any_size(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, n: int
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    commenters = [staff_user() for _ in range(3)]
    for i in range(n):
        services.comment_add(post=post, author=commenters[i % 3], body=f"의견 {i}")
    with django_capture_on_commit_callbacks(execute=True):  # fills the page's cached part
        _client(UserFactory()).get(post.get_absolute_url())
    reader = staff_user()
    client = _client(reader)
    counts = []
    for _ in ("first", "return"):
        # The job runs after the page's statements are counted (as after the response).
        with (
            django_capture_on_commit_callbacks(execute=True),
            django_assert_max_num_queries(CACHED_PAGE_QUERIES) as captured,
        ):
            response = client.get(post.get_absolute_url())
        assert response.status_code == 200 and f"의견 {n - 1}" in response.content.decode()
        counts.append(len(captured.captured_queries))
    assert counts == [CACHED_PAGE_QUERIES, CACHED_PAGE_QUERIES]
    assert _views(post)[0] == 2  # the first viewer and this reader, once each


def _now() -> str:
    return datetime.now(tz=UTC).isoformat()


@pytest.mark.parametrize("n", [3, 40])
def test_an_admins_page_has_every_comments_own_buttons_in_the_same_statements(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, n: int
) -> None:
    """The buttons are rendered once per kind (the admin's own comments: edit and remove;
    the others': remove) and copied per comment: each copy names its own comment (links,
    dialog, form); an unedited post asks no history."""
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    commenters = [admin, staff_user(), staff_user()]
    comments = [
        services.comment_add(post=post, author=commenters[i % 3], body=f"의견 {i}")
        for i in range(n)
    ]
    client = _client(admin)
    with django_capture_on_commit_callbacks(execute=True):  # fills the page's cached part
        client.get(post.get_absolute_url())
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(CACHED_PAGE_QUERIES) as captured,
    ):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert len(captured.captured_queries) == CACHED_PAGE_QUERIES
    html = response.content.decode()
    for comment in comments:
        remove = reverse("board:comment_remove", args=[comment.pk])
        assert html.count(f'href="{remove}"') == 1
        assert html.count(f'action="{remove}"') == 1
        edit = reverse("board:comment_edit", args=[comment.pk])
        assert html.count(f'href="{edit}"') == (comment.author == admin)
        assert html.count(f'id="remove-comment-{comment.pk}"') == 1
    assert str(9_073_741_823_590_737_418) not in html
    assert "수정 이력" not in html


@pytest.mark.parametrize("edits", [1, 6])
def test_an_edited_posts_history_comes_in_one_more_statement_at_any_length(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, edits: int
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    editors = [portal_admin(), admin]
    for i in range(edits):
        post = services.post_edit(
            post=post, editor=editors[i % 2], title=f"제목 {i}", body=f"본문 {i}"
        )
    client = _client(admin)
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as first,
    ):
        client.get(post.get_absolute_url())
    # The page's first render asks the history once, its editors in the same statement.
    history = [
        q for q in first.captured_queries if q["sql"].startswith('SELECT "board_postrevision"."')
    ]
    assert len(history) == 1
    assert 'JOIN "auth_user"' in history[0]["sql"]
    # Then the reader's kind of page is kept with it: no statement more than an unedited one.
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(CACHED_PAGE_QUERIES) as captured,
    ):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert len(captured.captured_queries) == CACHED_PAGE_QUERIES
    html = response.content.decode()
    assert "수정 이력" in html
    assert html.count("판: ") == edits
