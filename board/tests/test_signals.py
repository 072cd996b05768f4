"""board.signals.post_status_changed: sent once per status change, inside the transaction,
with post, old_status, new_status, by, at, reason, original."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from board import services
from board.models import Post, PostStatus
from board.signals import post_status_changed
from org.tests.factories import portal_admin, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent() -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def receiver(sender: type, **kwargs: Any) -> None:
        assert sender is Post
        kwargs.pop("signal")
        kwargs["in_atomic_block"] = connection.in_atomic_block
        kwargs["saved_status"] = Post.objects.get(pk=kwargs["post"].pk).status
        calls.append(kwargs)

    post_status_changed.connect(receiver, dispatch_uid="test-board-signals")
    yield calls
    post_status_changed.disconnect(dispatch_uid="test-board-signals")


def test_each_transition_sends_the_signal_once_with_its_arguments(sent) -> None:
    author, admin = staff_user(), portal_admin()
    at = timezone.now()
    post = services.post_submit(author=author, area="docs", title="지침", body="내용", at=at)
    assert sent == []  # writing is not a change of status

    services.post_approve(post=post, reviewer=admin, at=at + timedelta(minutes=1))
    services.post_approve(post=post, reviewer=admin, at=at + timedelta(minutes=2))  # no-op
    assert len(sent) == 1
    call = sent.pop()
    assert call == {
        "post": post, "old_status": PostStatus.SUBMITTED, "new_status": PostStatus.APPROVED,
        "by": admin, "at": at + timedelta(minutes=1), "reason": "", "original": None,
        "in_atomic_block": True, "saved_status": PostStatus.APPROVED,
    }  # fmt: skip

    services.post_edit(post=post, editor=author, title="지침(수정)", body="새 내용", at=at)
    assert [(c["old_status"], c["new_status"], c["by"]) for c in sent] == [
        (PostStatus.APPROVED, PostStatus.SUBMITTED, author)
    ]
    sent.clear()

    services.post_reject(post=post, reviewer=admin, reason="근거 부족", at=at)
    assert [(c["old_status"], c["new_status"], c["reason"], c["by"]) for c in sent] == [
        (PostStatus.SUBMITTED, PostStatus.REJECTED, "근거 부족", admin)
    ]
    sent.clear()

    original = services.post_approve(
        post=services.post_submit(
            author=staff_user(), area="docs", title="원글", body="b", at=at - timedelta(days=1)
        ),
        reviewer=admin,
    )
    sent.clear()
    services.post_mark_duplicate(post=post, original=original, reviewer=admin, at=at)
    services.post_mark_duplicate(post=post, original=original, reviewer=admin, at=at)  # no-op
    assert len(sent) == 1
    assert (sent[0]["original"], sent[0]["old_status"], sent[0]["new_status"]) == (
        original,
        PostStatus.REJECTED,
        PostStatus.REJECTED,
    )
    assert sent[0]["in_atomic_block"]


def test_submitting_a_draft_and_resubmitting_a_rejected_post_send_it(sent) -> None:
    author, admin = staff_user(), portal_admin()
    draft = services.post_submit(author=author, area="docs", title="초안", body="b", draft=True)
    services.post_edit(post=draft, editor=author, title="초안", body="b", submit=True)
    services.post_reject(post=draft, reviewer=admin, reason="보완 필요")
    services.post_edit(post=draft, editor=author, title="보완", body="보완한 내용")
    assert [(c["old_status"], c["new_status"]) for c in sent] == [
        (PostStatus.DRAFT, PostStatus.SUBMITTED),
        (PostStatus.SUBMITTED, PostStatus.REJECTED),
        (PostStatus.REJECTED, PostStatus.SUBMITTED),
    ]


def test_a_receiver_that_fails_undoes_the_change() -> None:
    author, admin = staff_user(), portal_admin()
    post = services.post_submit(author=author, area="docs", title="지침", body="내용")

    def refuse(sender: type, **kwargs: Any) -> None:
        raise RuntimeError("the proposal could not follow")

    post_status_changed.connect(refuse, dispatch_uid="test-board-refuse")
    try:
        with pytest.raises(RuntimeError):
            services.post_approve(post=post, reviewer=admin)
    finally:
        post_status_changed.disconnect(dispatch_uid="test-board-refuse")
    assert Post.objects.get(pk=post.pk).status == PostStatus.SUBMITTED
