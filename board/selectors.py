"""Reads of the board: who sees what, lists, the post page, search and duplicate lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, TruncMonth

from common import periods
from common.queries import union_of_slices

from . import textsim
from .models import Area, Attachment, Comment, Post, PostStatus, PostView
from .rules import UserLike, post_visibility

# board.SimilarityWord's name for posts (the trigger of migration 0013 writes it).
SIMILARITY_SOURCE = "board.post"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def visible_posts(user: UserLike | None) -> QuerySet[Post]:
    """Posts ``user`` may open, as SQL: the rule ``board.rules.post_visibility`` (the same
    one the ``board.view_post`` predicate reads, tested to agree)."""
    seen = post_visibility(user)
    if not seen.statuses and not seen.own:
        return Post.objects.none()
    visible = Q(status__in=sorted(seen.statuses))
    if seen.own and user is not None:
        visible |= Q(author_id=user.pk)
    return Post.objects.filter(visible)


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


def _term_q_sqlite(term: tuple[str, ...]) -> Q:
    # SQLite has no tsvector: a substring of the stored key stands in for a lexeme prefix.
    every = Q()
    for part in term:
        every &= Q(search_grams__icontains=part)
    if len(term) > 1:
        return Q(search_grams__icontains="".join(term)) | every
    return every


def search(qs: QuerySet[Post], keyword: str, *, every: bool = True) -> QuerySet[Post]:
    """Posts containing every word ``keyword`` means (``every=False``: at least one).

    The query is analysed like the posts (``textsim.search_terms``): particles, endings and
    spacing don't matter (도서관을 연장, 회의자료를 ↔ 회의 자료, 주민참여예산 ↔ 주민 참여
    예산, LED). PostgreSQL matches the stored lexemes through the GIN full-text index
    ``board_post_grams_fts``; SQLite compares substrings of the stored key."""
    terms = textsim.search_terms(keyword)
    if not terms:
        return qs
    if is_postgresql():
        joiner = " & " if every else " | "
        raw = joiner.join(f"({textsim.term_query(t)})" for t in terms)
        # board_post.search_vector: the stored tsvector of search_grams (migration 0010).
        return qs.filter(
            RawSQL(
                "board_post.search_vector @@ to_tsquery('simple'::regconfig, %s)",
                [raw],
                output_field=BooleanField(),
            )
        )
    combined = Q() if every else Q(pk__in=[])
    for term in terms:
        combined = combined & _term_q_sqlite(term) if every else combined | _term_q_sqlite(term)
    return qs.filter(combined)


SORTS = {
    "latest": ("-created_at", "-id"),
    "views": ("-view_count", "-created_at", "-id"),
    "comments": ("-comment_count", "-created_at", "-id"),
}
# A search ranks at most this many matches, the newest (ten pages; the count says "200건
# 이상" beyond): a common word (주차장 in a third of the posts) costs one walk of the newest
# posts until this many match, a rare one a GIN index scan, whatever the size of the board.
# Measured on the bench board (200,000 posts): 1,000 made a common word cost ~300 ms.
SEARCH_WINDOW = 200


@dataclass(frozen=True)
class Ranked:
    """A search's ranked post ids (at most ``SEARCH_WINDOW``), whether there were more, and
    whether no post had every word (then posts with some of them are listed)."""

    ids: list[int]
    capped: bool
    partial: bool


def _rank_flags_sql(terms: list[tuple[str, ...]], *, partial: bool) -> dict[str, Any]:
    """The two rank flags as SQL on the rows the search returns (PostgreSQL): whether the
    title's lexemes hold every meant word, and (when only some words had to match) whether
    all of them do. The same tsquery as the match, on the title's part of the stored key
    (before ``textsim.SEARCH_SEPARATOR``), so ``textsim.term_matches`` and these agree; the
    key itself is not sent back (cProfile: splitting 200 keys in Python was ~10 % of a
    search page)."""
    every = " & ".join(f"({textsim.term_query(t)})" for t in terms)
    separator = textsim.SEARCH_SEPARATOR.strip()
    titled = RawSQL(
        "to_tsvector('simple'::regconfig, split_part(COALESCE(board_post.search_grams, ''),"
        " %s, 1)) @@ to_tsquery('simple'::regconfig, %s)",
        [separator, every],
        output_field=BooleanField(),
    )
    has_every = (
        RawSQL(
            "board_post.search_vector @@ to_tsquery('simple'::regconfig, %s)",
            [every],
            output_field=BooleanField(),
        )
        if partial
        else Value(True, output_field=BooleanField())
    )
    return {"rank_every": has_every, "rank_titled": titled}


def _ranked_rows(
    qs: QuerySet[Post],
    terms: list[tuple[str, ...]],
    *,
    partial: bool,
    by_relevance: bool,
    limit: int,
) -> list[tuple[int, bool, bool]]:
    """(pk, has every word, every word in the title) of the newest ``limit`` matches."""
    if not by_relevance:
        return [(pk, True, True) for pk in qs.values_list("pk", flat=True)[:limit]]
    if is_postgresql():
        flags = _rank_flags_sql(terms, partial=partial)
        return list(qs.annotate(**flags).values_list("pk", *flags)[:limit])
    rows = []
    for pk, key in qs.values_list("pk", "search_grams")[:limit]:
        in_title, anywhere = textsim.split_key(key or "")
        rows.append(
            (
                pk,
                all(textsim.term_matches(t, anywhere) for t in terms),
                all(textsim.term_matches(t, in_title) for t in terms),
            )
        )
    return rows


def search_ranked(
    qs: QuerySet[Post], keyword: str, *, sort: str = "", window: int = SEARCH_WINDOW
) -> Ranked:
    """The posts of ``qs`` matching ``keyword``, best first: posts containing every meant
    word (when none does: any), those with every word in the title above those with some in
    the body, then the newest; or by ``sort`` (views, comments, latest)."""
    terms = textsim.search_terms(keyword)
    order = SORTS.get(sort, SORTS["latest"])
    by_relevance = sort not in SORTS and bool(terms)
    rows = _ranked_rows(
        search(qs, keyword).order_by(*order),
        terms,
        partial=False,
        by_relevance=by_relevance,
        limit=window + 1,
    )
    partial = False
    if not rows and len(terms) > 1:
        partial = True
        rows = _ranked_rows(
            search(qs, keyword, every=False).order_by(*order),
            terms,
            partial=True,
            by_relevance=by_relevance,
            limit=window + 1,
        )
    capped = len(rows) > window
    rows = rows[:window]
    if by_relevance:  # every word, then the title, then the newest (a stable sort)
        rows.sort(key=lambda row: (not row[1], not row[2]))
    return Ranked([row[0] for row in rows], capped=capped, partial=partial)


def posts_in_order(qs: QuerySet[Post], ids: list[int]) -> list[Post]:
    """The posts of ``ids`` (a page of a ranked search), in that order, with their plain text
    for the excerpt (not the source, the HTML or the keys: only what the rows show)."""
    found = (
        qs.defer(None)
        .defer("body", "body_html", "normalized", "title_key", "search_grams")
        .select_related("author", "department")
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


def post_detail_queryset() -> QuerySet[Post]:
    """The post page: the post, its people, attachments and live comments in 3 queries.
    Not filtered by reader: the view fetches through ``common.access`` with
    ``board.view_post``, so who sees a post is decided by the rule alone."""
    # A comment shows its text, time, author's name and department: the authors' password
    # hashes, dates and flags, and the profiles' other columns, stay in the database.
    comments = (
        Comment.objects.filter(removed_at__isnull=True)
        .select_related("author", "author__staff_profile__department")
        .only(*COMMENT_FIELDS)
    )
    # The page shows the cleaned HTML: the source, plain text and keys stay in the database.
    return (
        Post.objects.defer("body", "body_text", "normalized", "title_key", "search_grams")
        .select_related("author", "department", "reviewer", "duplicate_of")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("comments", queryset=comments, to_attr="live_comments"),
        )
    )


# What the post page shows of a post's people and of a duplicate's original: names, and what
# board.rules needs to tell whether the reader may open the original. The password hashes,
# dates and texts of the joined rows stay in the database (cProfile on the bench: half of the
# page's query cost was building and reading ~60 columns it never shows).
_PEOPLE = ("username", "first_name", "last_name")
# What a comment on the post page shows: its text and time, its author's name and department.
COMMENT_FIELDS = (
    "id", "post_id", "author_id", "body", "created_at",
    *(f"author__{name}" for name in _PEOPLE),
    "author__staff_profile__user_id", "author__staff_profile__department_id",
    "author__staff_profile__department__name",
)  # fmt: skip
POST_PAGE_FIELDS = (
    "id", "area", "author_id", "department_id", "title", "status", "submitted_at",
    "reviewer_id", "reviewed_at", "reject_reason", "duplicate_of_id", "view_count",
    "comment_count", "created_at",
    *(f"author__{name}" for name in _PEOPLE),
    *(f"reviewer__{name}" for name in _PEOPLE),
    "department__name",
    "duplicate_of__title", "duplicate_of__status", "duplicate_of__author_id",
    "duplicate_of__area",
)  # fmt: skip


def post_page_queryset() -> QuerySet[Post]:
    """The post page's read of a post when its shared part is not in the cache (its HTML,
    attachments and comments go into that part): only what the page shows."""
    return post_detail_queryset().only(*POST_PAGE_FIELDS, "body_html")


def post_live(pk: int, *, viewer_id: int) -> tuple[int, bool] | None:
    """What the post page reads of a post every time, when the rest comes from its cached
    part (board.pagecache): its view count and whether ``viewer_id``'s view of it is
    recorded; None if the post is gone. One statement, written out: it runs on every view of
    a post, and building it through the ORM cost more than running it."""
    post, view = Post._meta.db_table, PostView._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.view_count, EXISTS (SELECT 1 FROM {view} v WHERE v.post_id = p.id"  # noqa: S608
            f" AND v.viewer_id = %s) FROM {post} p WHERE p.id = %s",  # names from the models
            [viewer_id, pk],
        )
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), bool(row[1]))


def review_queue() -> QuerySet[Post]:
    """Posts waiting for approval, oldest first (선별 승인 대기 목록)."""
    return (
        Post.objects.filter(status=PostStatus.SUBMITTED)
        .select_related("author", "department")
        .defer("body", "body_html", "search_grams")
        .order_by("submitted_at", "id")
    )


def similarity_of(post: Post) -> float:
    """The ``similarity`` :func:`duplicate_candidates` gave a post (0 for any other post)."""
    return float(getattr(post, "similarity", 0.0))


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

    ``textsim.similar`` finds them (on PostgreSQL through the word index, bounded whatever
    the size of the board); ``user`` limits the candidates to posts that user may see (the
    write page)."""
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
    found = textsim.similar(
        qs,
        source=SIMILARITY_SOURCE,
        keys={"normalized": full_key, "title_key": title_key},
        at_field="created_at",
        scopes=[area] if area else [a.value for a in Area],
        threshold=threshold,
        limit=limit,
    )
    for post, value in found:
        setattr(post, "similarity", value)  # noqa: B010 - read through similarity_of
    return [post for post, _value in found]


# --- figures for the programme dashboard and the knowledge day -----------------------------------

# Every status but the draft: the posts that count as registered knowledge. Spelled as a list
# (not "status != draft") so the database walks the (status, submitted_at) index.
REGISTERED_STATUSES = [s for s in PostStatus if s != PostStatus.DRAFT]


@dataclass(frozen=True)
class Registered:
    """Knowledge registered in a period: posts submitted (drafts don't count), and how many
    of them are approved so far."""

    registered: int = 0
    approved: int = 0


def registered_in(*, period: periods.Period) -> Registered:
    """The knowledge registered in a period (e.g. a 지식등록의 날 month): one index range."""
    start, end = period.instants()
    counts = Post.objects.filter(
        status__in=REGISTERED_STATUSES, submitted_at__gte=start, submitted_at__lt=end
    ).aggregate(registered=Count("id"), approved=Count("id", filter=Q(status=PostStatus.APPROVED)))
    return Registered(counts["registered"] or 0, counts["approved"] or 0)


def registered_by_area_and_month(*, period: periods.Period) -> dict[tuple[str, date], Registered]:
    """{(area, first day of the month): registered} for every month of ``period`` that has
    posts; one grouped range scan of the (status, submitted_at) index, Asia/Seoul months."""
    start, end = period.instants()
    rows = (
        Post.objects.filter(
            status__in=REGISTERED_STATUSES, submitted_at__gte=start, submitted_at__lt=end
        )
        .annotate(month=TruncMonth("submitted_at", tzinfo=periods.KST))
        .values("area", "month")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(status=PostStatus.APPROVED)))
        .order_by()
    )
    return {
        (row["area"], periods.month_of(row["month"])): Registered(row["n"], row["approved"])
        for row in rows
    }


def approved_by_area_and_year(*, period: periods.Period) -> dict[tuple[str, int], int]:
    """{(area, year): posts approved} by the approval date 승인 일자, Asia/Seoul years."""
    start, end = period.instants()
    rows = (
        Post.objects.filter(status=PostStatus.APPROVED, reviewed_at__gte=start, reviewed_at__lt=end)
        .annotate(year=ExtractYear("reviewed_at", tzinfo=periods.KST))
        .values("area", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["area"], row["year"]): row["n"] for row in rows}


@dataclass(frozen=True)
class DepartmentKnowledge:
    department: str
    registered: int
    approved: int


def top_departments(*, period: periods.Period, limit: int = 10) -> list[DepartmentKnowledge]:
    """The departments that registered the most knowledge in ``period`` (approvals break
    ties, then the name)."""
    start, end = period.instants()
    rows = (
        Post.objects.filter(
            status__in=REGISTERED_STATUSES,
            submitted_at__gte=start,
            submitted_at__lt=end,
            department__isnull=False,
        )
        .values("department__name")
        .annotate(
            registered=Count("id"), approved=Count("id", filter=Q(status=PostStatus.APPROVED))
        )
        .order_by("-registered", "-approved", "department__name")[:limit]
    )
    return [
        DepartmentKnowledge(r["department__name"], r["registered"], r["approved"]) for r in rows
    ]


# --- the home page ------------------------------------------------------------------------------

HOME_COUNT_CAP = 1_000  # "1,000+" waiting is as useful as the exact number and costs no scan


def waiting_posts_of(*, user: UserLike, limit: int = 5) -> tuple[list[Post], int]:
    """A person's posts waiting for approval (승인 대기), newest first, and how many."""
    rows = Post.objects.filter(author_id=user.pk, status=PostStatus.SUBMITTED)
    latest = list(
        rows.only("id", "area", "title", "submitted_at").order_by("-submitted_at")[:limit]
    )
    return latest, rows.count()


def review_queue_count(*, cap: int = HOME_COUNT_CAP) -> int:
    """How many posts wait for an admin's approval, counted up to ``cap`` (+1 means more)."""
    return Post.objects.filter(status=PostStatus.SUBMITTED).values("pk")[: cap + 1].count()


def latest_approved(*, area: str, limit: int = 3) -> list[Post]:
    """The newest approved posts of an area (visible to every staff member)."""
    return list(
        Post.objects.filter(area=area, status=PostStatus.APPROVED)
        .select_related("department")
        .only("id", "area", "title", "created_at", "department__name")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class HomePosts:
    """What the home page shows of the board, read in one query (:func:`home_posts`)."""

    waiting: list[Post]  # my posts waiting for approval, newest first
    waiting_count: int  # counted up to the cap (cap + 1 means more)
    latest: dict[str, list[Post]]  # area -> its newest approved posts
    queue: int | None  # posts waiting for an admin, up to the cap + 1; None unless asked


def _capped_count(rows: QuerySet[Post], cap: int) -> RawSQL:
    sql, params = rows.order_by().values("pk")[: cap + 1].query.sql_with_params()
    # sql is Django-compiled with its params apart: nothing of the user is in the string.
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608, S611


def home_posts(
    *,
    user: UserLike,
    latest_limit: int = 3,
    waiting_limit: int = 5,
    with_queue: bool = False,
    cap: int = HOME_COUNT_CAP,
) -> HomePosts:
    """My waiting posts, the newest approved posts of every area and (for admins) the
    approval queue's size in ONE statement: a UNION ALL of small index-ordered slices (one per
    area, LIMIT each, so 200,000 posts cost what 20 do), the counts riding on one row of a
    carrier slice that exists whenever anything waits."""
    mine = Post.objects.filter(author_id=user.pk, status=PostStatus.SUBMITTED)
    queue = Post.objects.filter(status=PostStatus.SUBMITTED)
    fields = ("id", "area", "status", "title", "created_at", "submitted_at")
    zero = Value(0, output_field=IntegerField())

    def part(rows: QuerySet[Post], kind: str, *, counts: bool = False) -> QuerySet[Post]:
        return rows.only(*fields).annotate(
            home_part=Value(kind, output_field=CharField()),
            department_name=F("department__name"),
            mine_count=_capped_count(mine, cap) if counts else zero,
            queue_count=_capped_count(queue, cap) if counts and with_queue else zero,
        )

    parts = [
        part(queue.order_by("-submitted_at", "-id"), "counts", counts=True)[:1],
        part(mine.order_by("-submitted_at", "-id"), "waiting")[:waiting_limit],
    ] + [
        part(
            Post.objects.filter(area=area, status=PostStatus.APPROVED).order_by(
                "-created_at", "-id"
            ),
            "latest",
        )[:latest_limit]
        for area in Area.values
    ]
    rows: list[Any] = union_of_slices(parts)  # annotated Posts
    counts = next((r for r in rows if r.home_part == "counts"), None)
    waiting = sorted(
        (r for r in rows if r.home_part == "waiting"),
        key=lambda r: (r.submitted_at, r.pk),
        reverse=True,
    )
    latest: dict[str, list[Post]] = {area: [] for area in Area.values}
    for r in rows:
        if r.home_part == "latest":
            latest[r.area].append(r)
    for posts in latest.values():
        posts.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
    return HomePosts(
        waiting=waiting,
        waiting_count=counts.mine_count if counts else 0,
        latest=latest,
        queue=(counts.queue_count if counts else 0) if with_queue else None,
    )
