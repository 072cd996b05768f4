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


def _ranked_in_python(keyword: str) -> list[int]:
    """The relevance order by the Python rules (textsim.term_matches on each stored key)."""
    terms = selectors.textsim.search_terms(keyword)
    qs = selectors.search(Post.objects.all(), keyword)
    if not qs.exists():
        qs = selectors.search(Post.objects.all(), keyword, every=False)
    rows = list(qs.order_by("-created_at", "-id").values_list("pk", "search_grams"))

    def rank(row: tuple[int, str]) -> tuple[bool, bool]:
        in_title, anywhere = selectors.textsim.split_key(row[1])
        return (
            not all(selectors.textsim.term_matches(t, anywhere) for t in terms),
            not all(selectors.textsim.term_matches(t, in_title) for t in terms),
        )

    return [pk for pk, _key in sorted(rows, key=rank)]


def test_the_rank_flags_computed_in_sql_agree_with_the_python_rules() -> None:
    start = timezone.now() - timedelta(hours=10)
    texts = [
        ("주차장 개방 안내", "본문"),
        ("안내", "주차장을 야간에 개방합니다"),
        ("야간 주차장", "도서관 옆"),
        ("도서관 주차장 요금", "야간 개방은 없습니다"),
        ("회의자료 공유", "주차"),
        ("회의 자료", "도서관 주차장"),
        ("LED 교체", "가로등 LED"),
    ]
    for i, (title, body) in enumerate(texts):
        post = PostFactory(area="docs", title=title, body=body)
        Post.objects.filter(pk=post.pk).update(created_at=start + timedelta(hours=i))
    for keyword in ("주차장", "주차장 야간", "회의자료", "도서관 개방", "led", "주차장 수영장"):
        ranked = selectors.search_ranked(Post.objects.all(), keyword)
        assert ranked.ids == _ranked_in_python(keyword), keyword
    assert selectors.search_ranked(Post.objects.all(), "주차장 수영장").partial
