"""Rendered parts of the board's pages kept in the cache (Redis in production; issue 14).

Measured on the bench board (200,000 posts), a logged-in list page spent most of its time
rendering the same table for every reader; this module keeps that HTML, keyed so that a
cached part is only ever shown to a reader who would see exactly the same part:

- the list's part (filter form, count, table, pager) by area, the area's *version*, the
  reader's visibility (``board.rules.post_visibility``: the statuses they see) and the
  normalized query; a reader who has posts of their own that their visibility does not
  cover (a staff member's submitted or rejected post, anyone's draft) sees them in the list,
  so their part is kept under their own id;
- the post page's part (body, attachments, comments without their buttons) by post and the
  post's version, rendered by one request at a time (``post_part_rendering``: the others
  that miss it meanwhile wait for it);
- the post page's content (board/_post_page.html: header, status, buttons, comments with
  their buttons, the comment form) by the post's part key and the kind of reader
  (``page_key``: the rules' answers for the reader and each comment's buttons). It holds
  markers, never a reader's own values: each request puts in its view count, its CSRF token
  and a fresh one-time comment token (board.views).

A version moves on every save or delete of a post, comment or attachment (``board.signals``;
a post's also moves the pages of its duplicates, which name it),
right away and again once the transaction commits (a request in between may have cached what
it read before the commit). A key never comes back: a lost version restarts from the clock.
View counts are updated without a save: in the list they may be ``PART_SECONDS`` old (the post
page shows its own count live). Whatever changes without a signal (raw SQL, a department's
new name) is seen within ``PART_SECONDS``, and so is a post leaving a period filter's
window (최근 1주: up to ``PART_SECONDS`` late).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import Post
from .rules import UserLike, post_visibility

PART_SECONDS = 300
# The list's query parameters: the filter form's fields and the page. Others are dropped from
# the key and from the pager's links alike, so a part never carries a parameter it was not
# keyed by.
LIST_PARAMS = ("keyword", "department", "status", "period", "sort", "page")
# Change the number when what is kept changes shape (PostPart's fields, a part's template
# context): parts kept by the previous release are then never read.
_PREFIX = "board:part:2"


def _version_key(kind: str, ident: object) -> str:
    return f"{_PREFIX}:v:{kind}:{ident}"


def _version(kind: str, ident: object) -> int:
    key = _version_key(kind, ident)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key, time.time_ns())
    return int(value)


def _bump_now(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not there (never read, or evicted): a fresh, never-used value
            cache.set(key, time.time_ns(), None)


def bump(*, areas: Iterable[str] = (), posts: Iterable[object] = ()) -> None:
    """Move the versions of these areas' lists and these posts' pages, now and after the
    transaction commits."""
    keys = [_version_key("area", a) for a in set(areas) if a] + [
        _version_key("post", p) for p in set(posts) if p is not None
    ]
    if not keys:
        return
    _bump_now(keys)
    transaction.on_commit(lambda: _bump_now(keys))


def list_query(params: Mapping[str, str]) -> list[tuple[str, str]]:
    """The list's parameters that matter, in a fixed order, without empty ones."""
    return [(name, params[name]) for name in LIST_PARAMS if params.get(name)]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def list_part(*, area: str, user: UserLike, query: list[tuple[str, str]]) -> tuple[str, object]:
    """The key of an area list's part for this reader and query, and the part if cached.

    Keyed by the statuses the reader sees, and by the reader themself when they have posts
    in the area outside those statuses (their own submitted, rejected or draft posts are in
    their list, no one else's). Two cache round trips when the shared part is there: the
    area's version, then the reader's answer and the shared part together."""
    version = _version("area", area)
    seen = post_visibility(user)
    base = f"{_PREFIX}:list:{area}:{version}:{','.join(sorted(seen.statuses)) or '-'}"
    digest = _digest(repr(query))
    shared = f"{base}:{digest}"
    if not seen.own:
        return shared, cache.get(shared)
    own_key = f"{_PREFIX}:own:{area}:{version}:{user.pk}"
    found = cache.get_many([own_key, shared])
    own_hidden = found.get(own_key)
    if own_hidden is None:
        own_hidden = (
            Post.objects.filter(author_id=user.pk, area=area)
            .exclude(status__in=sorted(seen.statuses))
            .exists()
        )
        cache.set(own_key, own_hidden, PART_SECONDS)
    if not own_hidden:
        return shared, found.get(shared)
    mine = f"{base}:u{user.pk}:{digest}"
    return mine, cache.get(mine)


@dataclass(frozen=True)
class PostPart:
    """A post page's shared part: the body and attachments, and the live comments with a
    marker where a reader's buttons go (``comment_authors``: each comment's id and author,
    in order, for the rules that decide the buttons); ``post``: the post as the page read it
    (its columns, author, department, reviewer and original, whether it was edited), without
    its texts, its prefetched rows or anything of one reader's. A request that finds the part
    reads only the post's live values (selectors.post_live: its view count, whether the
    reader's view is recorded) and decides on this copy, so the page's rules see the post of
    the version they are keyed by."""

    body: str
    comments: str
    comment_authors: tuple[tuple[int, int], ...]
    post: Post


def comment_marker(comment_pk: int) -> str:
    """Where board/_post_comments.html leaves room for a comment's buttons."""
    return f"<!--board:comment-actions:{comment_pk}-->"


def _part_slot(post_pk: int) -> str:
    return f"{_PREFIX}:post:{post_pk}"


def post_part(post_pk: int) -> tuple[str, PostPart | None]:
    """The key of a post page's part for the post's current version (the page's content is
    kept under keys made from it: ``page_key``), and the part if it is kept for that
    version. One cache round trip when both are there: the part sits under the post's own
    key with the version key it was made for, read together with the version."""
    version_key = _version_key("post", post_pk)
    found = cache.get_many([version_key, _part_slot(post_pk)])
    version = found.get(version_key)
    key = (
        f"{_PREFIX}:post:{post_pk}:{version if version is not None else _version('post', post_pk)}"
    )
    return key, _kept_part(found.get(_part_slot(post_pk)), key)


def post_part_put(post_pk: int, key: str, part: PostPart) -> None:
    """Keep ``part`` as the post's part for ``key`` (from ``post_part``). A request still
    holding an older version may overwrite a newer part: the next reader of the newer
    version then renders it again, and nobody is shown the older one."""
    cache.set(_part_slot(post_pk), (key, part), PART_SECONDS)


# One request at a time renders a post's part for a version: the others that miss it meanwhile
# (a notice everyone opens at 09:00; the load test's two threads asking for each post at once)
# wait for it instead of each reading and rendering the post again, polling every
# RENDER_POLL_SECONDS for at most RENDER_WAIT_SECONDS (then they render it themselves). The
# claim expires on its own after RENDER_CLAIM_SECONDS, should its request die holding it.
RENDER_WAIT_SECONDS = 0.25
RENDER_POLL_SECONDS = 0.003
RENDER_CLAIM_SECONDS = 5


def _claim_key(key: str) -> str:
    return f"{key}:rendering"


def _kept_part(kept: object, key: str) -> PostPart | None:
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key:
        part = kept[1]
        return part if isinstance(part, PostPart) else None
    return None


@contextmanager
def post_part_rendering(post_pk: int, key: str) -> Iterator[PostPart | None]:
    """For a part ``post_part`` did not find: yields the part another request was rendering
    for ``key``, once it is kept, or None, and then this request renders it (inside the
    block; others that miss it meanwhile wait for it until the block ends). A renderer that
    fails (the post gone or hidden from its reader) keeps nothing, and its waiters stop
    waiting when it leaves the block. One cache round trip more than a plain miss."""
    claim = _claim_key(key)
    if cache.add(claim, 1, RENDER_CLAIM_SECONDS):
        try:
            yield None
        finally:
            cache.delete(claim)
        return
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        found = cache.get_many([_part_slot(post_pk), claim])
        part = _kept_part(found.get(_part_slot(post_pk)), key)
        if part is not None or claim not in found:
            yield part
            return
    yield None


def page_key(post_key: str, flags: object) -> str:
    """The key of a post page's content for one kind of reader: the post's part key (its
    version) and what decides the content for the reader (the rules' answers, each comment's
    buttons); never the reader's tokens (the content holds markers for them)."""
    return f"{post_key}:page:{_digest(repr(flags))}"


def get(key: str) -> object:
    return cache.get(key)


def put(key: str, value: object) -> None:
    cache.set(key, value, PART_SECONDS)
