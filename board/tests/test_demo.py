"""The demo posts: made through the services (the ledger fills), idempotent."""

import pytest

from board import demo
from board.models import Comment, Post, PostStatus, PostView
from org import demo as org_demo
from scoring.models import Activity, ActivityKind

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def counts() -> tuple[int, ...]:
    return (
        Post.objects.count(),
        Comment.objects.count(),
        PostView.objects.count(),
        Activity.objects.count(),
    )


def test_it_seeds_all_areas_with_points_and_is_idempotent() -> None:
    org_demo.seed()
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert set(Post.objects.values_list("area", flat=True)) == {
        "proposal",
        "club",
        "worksharing",
        "docs",
    }
    assert Post.objects.filter(status=PostStatus.APPROVED).count() >= 5
    assert Post.objects.filter(duplicate_of__isnull=False).count() == 1
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {
        ActivityKind.APPROVAL,
        ActivityKind.COMMENT,
        ActivityKind.VIEW,
        ActivityKind.PROPOSAL_SUBMITTED,
    } <= kinds
    # The duplicate was approved but earned nothing.
    duplicate = Post.objects.get(duplicate_of__isnull=False)
    assert not Activity.objects.filter(
        source_id=duplicate.pk, kind=ActivityKind.APPROVAL, voided_at__isnull=True
    ).exists()
