"""Reads of the board: who sees what, lists, the post page, search and duplicate lookup."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Greatest

from org.rules import is_portal_admin

from . import textsim
from .models import Attachment, Comment, Post, PostStatus, PostView

UserLike = AbstractBaseUser | AnonymousUser
# The SQLite path of the duplicate lookup compares in Python against this many recent posts.
SQLITE_DUPLICATE_SCAN = 20_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def visible_posts(user: UserLike) -> QuerySet[Post]:
    """Posts ``user`` may open: admins everything but others' drafts; staff the approved
    posts and their own in any status; anonymous users nothing."""
    if not getattr(user, "is_authenticated", False):
        return Post.objects.none()
    if is_portal_admin(user):
        return Post.objects.filter(~Q(status=PostStatus.DRAFT) | Q(author=user))
    return Post.objects.filter(Q(status=PostStatus.APPROVED) | Q(author=user))


def post_list(*, user: UserLike, area: str | None = None) -> QuerySet[Post]:
    """A list page's posts with what the rows show (author, department) in the same query."""
    qs = (
        visible_posts(user)
        .select_related("author", "department")
        .defer("body", "body_html", "body_text", "normalized", "search_grams")
    )
    if area:
        qs = qs.filter(area=area)
    return qs.order_by("-created_at", "-id")


def search(qs: QuerySet[Post], keyword: str) -> QuerySet[Post]:
    """Posts whose title or body contains every word of ``keyword`` (case-insensitive).

    Korean needs substring matching (도서 inside 도서관에서), which a plain LIKE '%도서%'
    can't do through an index and pg_trgm can't do for fewer than three letters. So on
    PostgreSQL each word's character bigrams must all be in the post's ``search_grams``
    (a GIN full-text index finds those posts), and the exact substring test then runs on
    those few rows only. SQLite runs the substring test alone."""
    for term in keyword.split()[:8]:
        grams = textsim.query_grams(term)
        if grams and is_postgresql():
            raw = " & ".join(f"'{g}'" for g in grams)  # grams are letters/digits only
            qs = qs.alias(_grams=SearchVector("search_grams", config="simple")).filter(
                _grams=SearchQuery(raw, config="simple", search_type="raw")
            )
            if grams == [textsim.normalize_term(term)]:
                # A two-letter word (도서) is contained exactly when its one bigram is: no
                # substring re-check, which lets PostgreSQL walk the newest posts first.
                continue
        qs = qs.filter(Q(title__icontains=term) | Q(body_text__icontains=term))
    return qs


def post_detail_queryset(user: UserLike) -> QuerySet[Post]:
    """The post page: the post, its people, attachments and live comments in 3 queries."""
    comments = Comment.objects.filter(removed_at__isnull=True).select_related(
        "author", "author__staff_profile__department"
    )
    return (
        visible_posts(user)
        .select_related("author", "department", "reviewer", "duplicate_of")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("comments", queryset=comments, to_attr="live_comments"),
        )
    )


def has_viewed(*, post: Post, user: UserLike) -> bool:
    return bool(user.is_authenticated) and PostView.objects.filter(post=post, viewer=user).exists()


def review_queue() -> QuerySet[Post]:
    """Posts waiting for approval, oldest first (선별 승인 대기 목록)."""
    return (
        Post.objects.filter(status=PostStatus.SUBMITTED)
        .select_related("author", "department")
        .defer("body", "body_html", "search_grams")
        .order_by("submitted_at", "id")
    )


def my_posts(user: UserLike) -> QuerySet[Post]:
    return Post.objects.filter(author=user).select_related("department", "reviewer")


def duplicate_candidates(
    *,
    title: str,
    body: str,
    area: str | None = None,
    exclude: Post | int | None = None,
    limit: int = 10,
    user: UserLike | None = None,
    threshold: float = textsim.DUPLICATE_THRESHOLD,
) -> list[Post]:
    """Earlier posts similar to a draft (title and body), most similar first, each with a
    ``similarity`` (0..1). Particles, endings and spacing don't hide a paraphrase: texts are
    compared by their nouns. A post's similarity is the better of two comparisons: title
    nouns with title nouns, and title-then-body nouns with the same of the draft.

    PostgreSQL: pg_trgm's ``%`` on the stored keys through two GIN indexes.
    SQLite: the same measure in Python over the most recent posts.
    ``user`` limits the candidates to posts that user may see (the write page)."""
    title_key = textsim.normalize(title)
    full_key = textsim.normalize_post(title, body)
    if not full_key:
        return []
    qs = (visible_posts(user) if user is not None else Post.objects.all()).exclude(
        status=PostStatus.DRAFT
    )
    if area:
        qs = qs.filter(area=area)
    if exclude is not None:
        qs = qs.exclude(pk=getattr(exclude, "pk", exclude))
    qs = qs.select_related("author", "department").defer("body", "body_html", "search_grams")
    if is_postgresql():
        # ``%`` (index-backed) applies pg_trgm's threshold, 0.3 by default; a higher
        # ``threshold`` narrows further.
        matches = Q(normalized__trigram_similar=full_key)
        score = TrigramSimilarity("normalized", full_key)
        if title_key:
            matches |= Q(title_key__trigram_similar=title_key)
            score = Greatest(score, TrigramSimilarity("title_key", title_key))
        return list(
            qs.filter(matches)
            .annotate(similarity=score)
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "-created_at")[:limit]
        )
    scored: list[tuple[float, int]] = []
    rows = qs.order_by("-created_at").values_list("pk", "normalized", "title_key")
    for pk, normalized, stored_title_key in rows[:SQLITE_DUPLICATE_SCAN]:
        score = textsim.normalized_similarity(full_key, normalized)
        if title_key:
            score = max(score, textsim.normalized_similarity(title_key, stored_title_key))
        if score >= threshold:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    top = {pk: score for score, pk in scored[:limit]}
    posts = qs.in_bulk(list(top))
    result = []
    for pk, score in top.items():
        post = posts[pk]
        post.similarity = score  # type: ignore[attr-defined]
        result.append(post)
    return result
