"""manage.py board_rebuild_keys: every post's keys as the services compute them; resumable."""

import io

import pytest
from django.core.management import call_command

from board import textsim
from board.models import KeyRebuild, Post
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
