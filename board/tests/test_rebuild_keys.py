"""manage.py board_rebuild_keys: every post's keys as the services compute them; resumable."""

import io
import threading

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


def _indexes() -> dict[str, str]:
    """board_post's indexes: name -> definition."""
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'board_post'")
        return dict(cur.fetchall())


# What a bulk run keeps while it writes: the primary key and the unique index.
KEPT = {"board_post_pkey", "board_post_submission_token_key"}


@pytest.mark.postgres
def test_a_bulk_run_sets_every_secondary_index_aside_and_puts_it_back_when_resumed() -> None:
    posts = _stale(5)
    SimilarityWord.objects.all().delete()
    # A word no key has any more: the refill (by difference) deletes it.
    SimilarityWord.objects.create(
        source="board.post", object_id=posts[1].pk, scope=posts[1].area, word="낡은말",
        at=posts[1].created_at,
    )  # fmt: skip
    before = _indexes()
    assert {"board_post_grams_fts", "board_post_area_recent", "board_post_visible"} < set(before)
    run = services.post_keys_rebuild(batch=2, limit=2, bulk=True)
    # Stopped half-way: only the constraint indexes are left, what restores the others is on
    # the run, and reads still work without them.
    assert set(_indexes()) == KEPT
    assert all(before[name] in run.suspended for name in set(before) - KEPT)
    assert run.finished_at is None
    assert Post.objects.filter(area=posts[0].area).order_by("-created_at").count() == 5
    run = services.post_keys_rebuild(batch=2)  # resumed: continues in bulk, then restores
    assert run.finished_at is not None and run.suspended == ""
    assert _indexes() == before  # every index back, with the same definition
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
    posts = _stale(3)
    before = _indexes()
    out = io.StringIO()
    services.post_keys_rebuild(batch=1, limit=1, bulk=True)
    assert set(_indexes()) == KEPT
    call_command("board_rebuild_keys", "--restart", stdout=out, stderr=out)
    assert KeyRebuild.objects.count() == 2
    run = KeyRebuild.objects.first()
    assert run is not None and run.finished_at is not None and run.done == 3
    assert _indexes() == before
    assert not KeyRebuild.objects.exclude(suspended="").exists()
    assert all(Post.objects.get(pk=p.pk).title_key == textsim.normalize(p.title) for p in posts)


@pytest.mark.postgres
def test_a_run_that_changes_few_keys_keeps_every_index() -> None:
    _stale(3)
    before = _indexes()
    services.post_keys_rebuild(batch=2)
    assert services.post_keys_rebuild(restart=True).suspended == ""
    assert _indexes() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_run_outside_a_transaction_builds_the_gin_index_beside_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts = _stale(5)
    first, last = posts[0], posts[-1]
    # Words the keys no longer have: one on a post, one left by a post past the last id.
    for object_id, word in ((first.pk, "낡은말"), (last.pk + 100, "지운글")):
        SimilarityWord.objects.create(
            source="board.post", object_id=object_id, scope=first.area, word=word,
            at=first.created_at,
        )  # fmt: skip
    before = _indexes()
    built: dict[str, str] = {}
    build = services._build

    def recorded(sql: str) -> None:
        built[sql] = threading.current_thread().name
        build(sql)

    monkeypatch.setattr(services, "_build", recorded)
    run = services.post_keys_rebuild(batch=2, bulk=True)
    assert run.finished_at is not None and run.suspended == ""
    assert (run.done, run.last_id) == (5, last.pk)
    assert _indexes() == before
    gin = [sql for sql in built if "USING gin" in sql]
    assert len(gin) == 1 and built[gin[0]].startswith("restore")  # on its own connection
    assert {name for sql, name in built.items() if sql not in gin} == {"MainThread"}
    assert len(built) == len(before) - len(KEPT) + 1  # every index once, and the words' ANALYZE
    for post in posts:
        fresh = Post.objects.get(pk=post.pk)
        assert (fresh.normalized, fresh.title_key, fresh.search_grams) == _expected(post)
        words = SimilarityWord.objects.filter(source="board.post", object_id=post.pk)
        assert set(words.values_list("word", flat=True)) == set(fresh.normalized.split())
    assert not SimilarityWord.objects.filter(object_id=last.pk + 100).exists()


@pytest.mark.postgres
def test_a_bulk_run_leaves_the_words_of_unchanged_keys_alone_and_rewrites_the_others() -> None:
    posts = _stale(4)
    services.post_keys_rebuild(batch=3, bulk=True)
    kept, moved = posts[0], posts[1]
    # Keys blanked behind the trigger's back (the words stay), as bench.board does; one post's
    # words carry another area, as if its area had changed while the trigger was paused.
    with connection.cursor() as cur:
        cur.execute(services.WORDS_PAUSED, ["on"])
        cur.execute("UPDATE board_post SET normalized = '', title_key = '', search_grams = ''")
        cur.execute(services.WORDS_PAUSED, ["off"])
    SimilarityWord.objects.filter(object_id=moved.pk).update(scope="elsewhere")
    ids = dict(SimilarityWord.objects.filter(object_id=kept.pk).values_list("word", "pk"))
    assert ids
    services.post_keys_rebuild(restart=True, batch=3, bulk=True)
    assert dict(SimilarityWord.objects.filter(object_id=kept.pk).values_list("word", "pk")) == ids
    for post in posts:
        fresh = Post.objects.get(pk=post.pk)
        words = SimilarityWord.objects.filter(source="board.post", object_id=post.pk)
        assert set(words.values_list("word", "scope")) == {
            (word, fresh.area) for word in fresh.normalized.split()
        }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_batch_keeps_the_watermark_before_it_while_two_are_written_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts = _stale(6)
    save = services._keys_save

    def failing(rows: list[tuple[int, str, str, str]]) -> None:
        if rows[0][0] == posts[2].pk:
            raise RuntimeError("stopped")
        save(rows)

    monkeypatch.setattr(services, "_keys_save", failing)
    with pytest.raises(RuntimeError):
        services.post_keys_rebuild(batch=2)
    run = KeyRebuild.objects.get()
    assert (run.done, run.last_id, run.finished_at) == (2, posts[1].pk, None)
    assert Post.objects.get(pk=posts[1].pk).title_key == textsim.normalize(posts[1].title)
    # The batch after the failed one was written beside it, and rolled back with it.
    assert Post.objects.get(pk=posts[4].pk).title_key == ""
    monkeypatch.setattr(services, "_keys_save", save)
    run = services.post_keys_rebuild(batch=2)  # resumed from the watermark
    assert run.done == 6 and run.finished_at is not None
    assert all(Post.objects.get(pk=p.pk).title_key == textsim.normalize(p.title) for p in posts)
