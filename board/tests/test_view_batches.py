"""Knowledge views recorded in batches (production: the cache on Redis): the post page puts
each first view on one shared list and the view that finds it empty hands over one drain
job (board.tasks), which records the list in batches, each one transaction, with every rule
of a single view's record."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from celery import current_app
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import Area, Post, PostStatus, PostView
from board.tasks import post_views_drain_task
from common.cache import list_pop, list_push
from org.tests.factories import UserFactory, portal_admin, staff_user
from scoring.models import Activity, ActivityKind, UserMonth

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _approved(author, admin, title: str = "주차 민원 처리 사례") -> Post:
    post = services.post_submit(author=author, area=Area.WORKSHARING, title=title, body="본문")
    return services.post_approve(post=post, reviewer=admin)


def _views(post: Post) -> tuple[int, int, int]:
    """(view rows, the post's stored count, live VIEW ledger rows) for ``post``."""
    post.refresh_from_db()
    ledger = Activity.objects.filter(
        kind=ActivityKind.VIEW, source_type="board.post", source_id=post.pk, voided_at=None
    )
    return PostView.objects.filter(post=post).count(), post.view_count, ledger.count()


AT = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 1 December 00:30 in Seoul


def test_a_batch_records_each_counting_view_once_with_the_rules_of_one() -> None:
    admin, author = portal_admin(), staff_user()
    readers = [staff_user() for _ in range(3)]
    plain = UserFactory()  # a user without a staff profile counts too
    first, second = _approved(author, admin), _approved(author, admin, "두 번째 사례")
    waiting = services.post_submit(author=author, area=Area.WORKSHARING, title="대기", body="b")
    assert waiting.status == PostStatus.SUBMITTED
    later = AT + timedelta(minutes=5)
    batch = [
        (first.pk, readers[0].pk, later),
        (first.pk, readers[0].pk, AT),  # the same reader's reload: once, as of the first
        (first.pk, readers[1].pk, AT),
        (second.pk, readers[0].pk, AT),
        (second.pk, plain.pk, AT),
        (first.pk, author.pk, AT),  # the author's own view
        (waiting.pk, readers[2].pk, AT),  # not approved
        (999_999, readers[2].pk, AT),  # a post gone meanwhile
        (first.pk, 999_999, AT),  # a reader gone meanwhile
    ]
    assert services.post_views_record(batch) == 4
    assert _views(first) == (2, 2, 2) and _views(second) == (2, 2, 2)
    assert _views(waiting) == (0, 0, 0)
    view = PostView.objects.get(post=first, viewer=readers[0])
    assert view.viewed_at == AT
    row = Activity.objects.get(kind=ActivityKind.VIEW, user=readers[0], source_id=first.pk)
    assert row.month == date(2026, 12, 1)  # the KST month of the view
    assert UserMonth.objects.get(user=readers[0], month=date(2026, 12, 1)).view_points > 0
    # the same batch again (a job run twice) changes nothing
    assert services.post_views_record(batch) == 0
    assert _views(first) == (2, 2, 2) and _views(second) == (2, 2, 2)
    assert Activity.objects.filter(kind=ActivityKind.VIEW).count() == 4


def test_a_view_recorded_one_by_one_is_not_recorded_again_by_a_batch() -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    services.post_view_record_by_id(post_id=post.pk, viewer_id=reader.pk, at=AT)
    assert services.post_views_record([(post.pk, reader.pk, AT)]) == 0
    assert _views(post) == (1, 1, 1)


def test_a_batchs_views_and_counts_are_one_statement_each_however_many() -> None:
    admin, author = portal_admin(), staff_user()
    posts = [_approved(author, admin, f"사례 {i}") for i in range(4)]
    readers = [staff_user() for _ in range(5)]
    batch = [(p.pk, r.pk, AT) for p in posts for r in readers]
    with CaptureQueriesContext(connection) as captured:
        assert services.post_views_record(batch) == 20
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum(s.startswith('INSERT INTO "board_postview"') for s in sql) == 1
    assert sum(s.startswith('UPDATE "board_post" ') for s in sql) == 1
    assert sum(s.startswith('SELECT "board_post"') for s in sql) == 1
    assert [_views(p)[:2] for p in posts] == [(5, 5)] * 4


def test_the_view_finding_the_list_empty_hands_over_the_one_drain_job(
    django_capture_on_commit_callbacks, with_broker: None, redis_cache: str
) -> None:
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    readers = [staff_user() for _ in range(3)]
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for reader in readers:
            client = Client()
            client.force_login(reader)
            assert client.get(post.get_absolute_url()).status_code == 200
    assert [c.args[0] for c in send_task.call_args_list] == [services.VIEWS_DRAIN_TASK]
    # due a moment later, so the views that come meanwhile go with it; no result kept
    assert send_task.call_args.kwargs == {
        "countdown": services.VIEWS_DRAIN_DELAY, "ignore_result": True,
    }  # fmt: skip
    assert services.VIEWS_DRAIN_TASK == post_views_drain_task.name
    assert _views(post) == (0, 0, 0)  # the worker records them
    assert post_views_drain_task.apply().get() == 3
    assert _views(post) == (3, 3, 3)
    assert post_views_drain_task.apply().get() == 0  # the list is empty: nothing to do
    # the list empty again, the next first view hands over a drain job again
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client = Client()
        client.force_login(staff_user())
        client.get(post.get_absolute_url())
    assert [c.args[0] for c in send_task.call_args_list] == [services.VIEWS_DRAIN_TASK]


def test_a_drain_takes_the_list_in_batches_and_each_view_once(
    redis_cache: str, monkeypatch
) -> None:
    monkeypatch.setattr(services, "VIEWS_BATCH", 2)
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    readers = [staff_user() for _ in range(5)]
    for reader in readers:
        assert list_push(services.VIEWS_PENDING, f"{post.pk} {reader.pk} {AT.isoformat()}")
    list_push(services.VIEWS_PENDING, f"{post.pk} {readers[0].pk} {AT.isoformat()}")
    with mock.patch.object(
        services, "post_views_record", wraps=services.post_views_record
    ) as record:
        assert services.post_views_drain() == 5
    assert [len(c.args[0]) for c in record.call_args_list] == [2, 2, 2]
    assert _views(post) == (5, 5, 5)
    assert list_pop(services.VIEWS_PENDING, 10) == []


def test_a_list_longer_than_a_batch_hands_over_one_more_drain_a_minute(
    django_capture_on_commit_callbacks, with_broker: None, redis_cache: str, monkeypatch
) -> None:
    """A drain job lost (or behind): the views behind it are not left waiting for ever."""
    monkeypatch.setattr(services, "VIEWS_BATCH", 2)
    admin, author = portal_admin(), staff_user()
    post = _approved(author, admin)
    for reader in [staff_user() for _ in range(2)]:  # waiting, their drain job lost
        list_push(services.VIEWS_PENDING, f"{post.pk} {reader.pk} {AT.isoformat()}")
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for reader in [staff_user() for _ in range(3)]:
            client = Client()
            client.force_login(reader)
            client.get(post.get_absolute_url())
    # the third in the list is the first beyond a batch: one job, not one per view
    assert [c.args[0] for c in send_task.call_args_list] == [services.VIEWS_DRAIN_TASK]
    assert services.post_views_drain() == 5


def test_a_broker_failure_records_the_pending_views_in_process(
    django_capture_on_commit_callbacks, with_broker: None, redis_cache: str
) -> None:
    admin, author, reader = portal_admin(), staff_user(), staff_user()
    post = _approved(author, admin)
    client = Client()
    client.force_login(reader)
    with (
        mock.patch.object(current_app, "send_task", side_effect=ConnectionError("no broker")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.get(post.get_absolute_url()).status_code == 200
    assert _views(post) == (1, 1, 1)
    assert list_pop(services.VIEWS_PENDING, 10) == []  # the next view finds it empty
