"""Search and duplicate lookup: one statement each, whatever the size of the board."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board import selectors
from board.models import Post
from board.tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _posts(n: int) -> None:
    """``n`` posts an hour apart, newest last; every third has 주차장, every seventh 도서관."""
    start = timezone.now() - timedelta(hours=n)
    for i in range(n):
        words = ["주차장"] * (i % 3 == 0) + ["도서관"] * (i % 7 == 0) + ["안내"]
        post = PostFactory(area="docs", title=f"{' '.join(words)} {i}", body="본문")
        Post.objects.filter(pk=post.pk).update(created_at=start + timedelta(hours=i))


def test_a_search_is_one_statement_whatever_the_board_size() -> None:
    counts = []
    for n in (5, 40):
        _posts(n)
        with CaptureQueriesContext(connection) as captured:
            selectors.search_ranked(Post.objects.all(), "도서관")
        counts.append(len(captured.captured_queries))
    assert counts == [1, 1]


def test_the_duplicate_lookup_is_one_statement_whatever_the_board_size() -> None:
    counts, found = [], []
    for n in (5, 40):
        _posts(n)
        with CaptureQueriesContext(connection) as captured:
            candidates = selectors.duplicate_candidates(
                title="주차장 도서관 안내", body="", area="docs"
            )
        counts.append(len(captured.captured_queries))
        found.append(len(candidates))
    assert counts == [1, 1]
    assert found[0] >= 1 and found[1] == 10  # the limit, not the board, bounds the answer
