"""manage.py board_rebuild_keys: every post's keys as the services compute them; resumable."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from board import services, textsim
from board.models import KeyRebuild, Post, SimilarityWord
from board.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _stale(n: int) -> list[Post]:
    posts = [
        PostFactory(
            title=f"주민참여예산으로 도서관 {i}호 연장", body=f"회의자료를 {i}번 공유합니다"
        )
        for i in range(n)
    ]
    Post.objects.update(normalized="", title_key="", search_grams="")
    return posts


def _expected(post: Post) -> tuple[str, str, str]:
    return (
        textsim.normalize_post(post.title, post.body_text),
        textsim.normalize(post.title),
        textsim.search_grams(post.title, post.body_text),
    )


def test_it_rebuilds_every_posts_keys_with_a_progress_bar() -> None:
    posts = _stale(7)
    err, out = io.StringIO(), io.StringIO()
    call_command("board_rebuild_keys", "--batch", "3", stderr=err, stdout=out)
    for post in posts:
        fresh = Post.objects.get(pk=post.pk)
        assert (fresh.normalized, fresh.title_key, fresh.search_grams) == _expected(post)
        assert "도서관" in fresh.title_key.split()
    assert "7/7 posts" in err.getvalue() and "#" * 30 in err.getvalue()
    assert "완료" in out.getvalue()
    assert KeyRebuild.objects.get().finished_at is not None


def test_a_stopped_run_resumes_after_its_last_batch() -> None:
    posts = _stale(5)
    out = io.StringIO()
    call_command("board_rebuild_keys", "--batch", "2", "--limit", "2", stdout=out, stderr=out)
    run = KeyRebuild.objects.get()
    assert (run.done, run.last_id, run.finished_at) == (2, posts[1].pk, None)
    assert Post.objects.get(pk=posts[2].pk).title_key == ""  # not reached yet
    call_command("board_rebuild_keys", "--batch", "2", stdout=out, stderr=out)
    run.refresh_from_db()
    assert run.done == 5 and run.finished_at is not None
    assert KeyRebuild.objects.count() == 1  # the same run, continued
    assert all(Post.objects.get(pk=p.pk).title_key == textsim.normalize(p.title) for p in posts)
    call_command("board_rebuild_keys", "--restart", stdout=out, stderr=out)
    assert KeyRebuild.objects.count() == 2


def _indexes() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'board_post'")
        return {row[0] for row in cur.fetchall()}


@pytest.mark.postgres
def test_a_bulk_run_sets_the_search_index_aside_and_puts_it_back_when_resumed() -> None:
    posts = _stale(5)
    SimilarityWord.objects.all().delete()
    run = services.post_keys_rebuild(batch=2, limit=2, bulk=True)
    # Stopped half-way: the GIN index is gone, and what restores it is on the run.
    assert "board_post_grams_fts" not in _indexes()
    assert "board_post_grams_fts" in run.suspended
    assert run.finished_at is None
    run = services.post_keys_rebuild(batch=2)  # resumed: continues in bulk, then restores
    assert run.finished_at is not None and run.suspended == ""
    assert "board_post_grams_fts" in _indexes()
    for post in posts:
        fresh = Post.objects.get(pk=post.pk)
        assert (fresh.normalized, fresh.title_key, fresh.search_grams) == _expected(post)
        words = SimilarityWord.objects.filter(source="board.post", object_id=post.pk)
        assert set(words.values_list("word", flat=True)) == set(fresh.normalized.split())
    # The trigger is back: a key change rewrites the post's words again.
    Post.objects.filter(pk=posts[0].pk).update(normalized="도서관 야간")
    words = SimilarityWord.objects.filter(source="board.post", object_id=posts[0].pk)
    assert set(words.values_list("word", flat=True)) == {"도서관", "야간"}


@pytest.mark.postgres
def test_a_restart_inherits_what_a_stopped_bulk_run_set_aside() -> None:
    _stale(3)
    services.post_keys_rebuild(batch=1, limit=1, bulk=True)
    assert "board_post_grams_fts" not in _indexes()
    run = services.post_keys_rebuild(restart=True)
    assert run.finished_at is not None
    assert "board_post_grams_fts" in _indexes()
    assert not KeyRebuild.objects.exclude(suspended="").exists()
