"""Issue 12 #3: two identical POSTs released together store ONE post and ONE comment, and the
comment's points are earned once (common.once: a one-time token under a unique index)."""

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from board import services
from board.models import Comment, Post
from org.tests.factories import portal_admin, staff_user
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _twice_at_once(user: object, call: Callable[[Client], int]) -> list[int]:
    """Run ``call`` in two threads released by one barrier; their response status codes."""
    barrier = threading.Barrier(2)
    codes: list[int] = []
    clients = [Client() for _ in range(2)]

    def run(client: Client) -> None:
        barrier.wait()
        try:
            codes.append(call(client))
        finally:
            connection.close()

    for client in clients:
        client.force_login(user)
    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.fixture
def writer():
    return staff_user(username="racer")


def test_two_identical_posts_at_once_store_one(writer) -> None:
    token = str(uuid.uuid4())
    data = {"title": "동시 제출", "body": "같은 글을 두 번", "submission_token": token}
    url = reverse("board:post_create", args=["worksharing"])
    for _ in range(3):  # a few rounds: the race must never win
        codes = _twice_at_once(writer, lambda c, d=data: c.post(url, d).status_code)
        assert codes == [302, 302]
        assert Post.objects.filter(title="동시 제출").count() == 1
    assert Post.objects.get(title="동시 제출").submission_token == uuid.UUID(token)


def test_two_identical_comments_at_once_store_one_and_earn_once(writer) -> None:
    admin = portal_admin()
    post = services.post_approve(
        post=services.post_submit(author=staff_user(), area="docs", title="지침", body="내용"),
        reviewer=admin,
    )
    url = reverse("board:comment_add", args=[post.pk])
    for round_ in range(3):
        data = {"body": f"좋은 자료입니다 {round_}", "submission_token": str(uuid.uuid4())}
        codes = _twice_at_once(writer, lambda c, d=data: c.post(url, d).status_code)
        assert codes == [302, 302]
    assert Comment.objects.filter(post=post).count() == 3
    assert (
        Activity.objects.filter(
            kind=ActivityKind.COMMENT, user=writer, voided_at__isnull=True
        ).count()
        == 3
    )
    post.refresh_from_db()
    assert post.comment_count == 3


def test_a_replayed_token_returns_the_first_post_and_only_to_its_author(writer) -> None:
    token = uuid.uuid4()
    first = services.post_submit(
        author=writer, area="docs", title="t", body="b", submission_token=token
    )
    again = services.post_submit(
        author=writer, area="docs", title="t2", body="b2", submission_token=token
    )
    assert again.pk == first.pk and Post.objects.count() == 1
    with pytest.raises(services.ServiceError):
        services.post_submit(
            author=staff_user(), area="docs", title="t", body="b", submission_token=token
        )
