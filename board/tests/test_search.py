"""Search and duplicate lookup at scale: bounded plans give the same answers as plain ones."""

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


@pytest.mark.parametrize("word", ["주차장", "도서관", "주차장 도서관", "없는말"])
def test_the_windowed_search_lists_the_newest_matches_as_a_plain_query_does(
    monkeypatch, word: str
) -> None:
    """Windows of 3 and 12 posts over 40: every word crosses them (the rare one reaches the
    oldest part), and the list is the plain newest-first list of matches."""
    _posts(40)
    monkeypatch.setattr(selectors, "SEARCH_WINDOWS", (3, 12))
    qs = Post.objects.all()
    plain = list(
        selectors.search(qs, word).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    for limit in (2, 5, 30):
        ranked = selectors.search_ranked(qs, word, sort="latest", window=limit)
        assert ranked.ids == plain[:limit]
        assert ranked.capped == (len(plain) > limit)


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
