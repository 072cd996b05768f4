"""The post page's views recorded by a real Celery worker on Redis, through the shared list
of pending views in the cache (board.services: one drain job for the views of a moment)."""

import time
from collections.abc import Callable

import pytest
from django.test import Client

from board import services
from board.models import Area, Post, PostView
from conftest import TEST_REDIS_URL
from org.tests.factories import portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.celery, pytest.mark.postgres]


def test_a_real_worker_records_the_first_views_of_many_readers_in_one_drain(
    celery_worker_process: Callable, redis_cache: str
) -> None:
    admin, author = portal_admin(), staff_user()
    post = services.post_submit(author=author, area=Area.WORKSHARING, title="사례", body="본문")
    post = services.post_approve(post=post, reviewer=admin)
    readers = [staff_user() for _ in range(4)]
    # the worker shares the page's cache: the same Redis, the same prefix
    celery_worker_process(env={"CACHE_URL": f"{TEST_REDIS_URL}?key_prefix={redis_cache}"})
    for reader in readers:
        client = Client()
        client.force_login(reader)
        assert client.get(post.get_absolute_url()).status_code == 200
    deadline = time.monotonic() + 30
    while PostView.objects.filter(post=post).count() < len(readers):
        assert time.monotonic() < deadline, "the worker did not record the views"
        time.sleep(0.2)
    post = Post.objects.get(pk=post.pk)
    assert post.view_count == len(readers)
    ledger = Activity.objects.filter(kind=ActivityKind.VIEW, source_id=post.pk, voided_at=None)
    assert sorted(ledger.values_list("user_id", flat=True)) == sorted(r.pk for r in readers)
