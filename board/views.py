"""Board pages. Thin: fetch and check with ``common.access`` (the rules in board.rules),
validate (forms), call a service; a service's refusal goes on the form (``add_to_form``)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import allowed, get_for_user, require
from common.errors import ServiceError, add_to_form
from common.once import new_token
from common.web import message_error
from org.files import protected_download

from . import pagecache, selectors, services, textsim
from .filters import PostFilter
from .forms import CommentForm, DuplicateForm, PostForm, RejectForm
from .models import Area, Attachment, Comment, Post, PostRevision, PostStatus, PostView

PAGE_SIZE = 20
# A keyword search ranks and counts at most this many matches ("1,000건 이상"): counting every
# match of a common word costs hundreds of milliseconds at city scale and tells a reader nothing.
SEARCH_COUNT_CAP = selectors.SEARCH_WINDOW


# A list counts its posts up to this many ("1,000건 이상"), or a few pages past the page asked
# for: counting 68,000 visible posts of an area cost 90-300 ms a page view at city scale, and
# a reader paging forward still always sees the next pages.
LIST_COUNT_CAP = 1_000
LIST_COUNT_PAGES_AHEAD = 5


class CappedPaginator(Paginator):
    """A paginator whose count stops at a cap: ``LIST_COUNT_CAP`` rows, or enough for the
    asked page and ``LIST_COUNT_PAGES_AHEAD`` more. ``capped``: there are more than counted."""

    def __init__(self, rows: QuerySet[Post], per_page: int, *, page: str | None = None) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        try:
            asked = max(1, int(page or 1))
        except ValueError:
            asked = 1
        self.cap = max(LIST_COUNT_CAP, (asked + LIST_COUNT_PAGES_AHEAD) * per_page)
        self.capped = False

    @cached_property
    def count(self) -> int:
        found = self.rows.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def _user(request: HttpRequest) -> User:
    """The logged-in person (every view here is behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - login_required ran first
        raise PermissionDenied
    return user


def _area_or_404(area: str) -> Area:
    try:
        return Area(area)
    except ValueError:
        raise Http404(_("없는 게시판입니다.")) from None


# --- lists ---------------------------------------------------------------------------------


def _listing(
    request: HttpRequest, *, area: Area | None, template: str, **extra: Any
) -> HttpResponse:
    """A list of posts (one area, or every area the reader may see). The part every reader
    of the same visibility shares (form, count, table, pager) comes from the cache for an
    area's list (board.pagecache); the search over every area renders it each time."""
    query = pagecache.list_query(request.GET)
    key, part = (
        pagecache.list_part(area=area, user=request.user, query=query)
        if area is not None
        else (None, None)
    )
    if not isinstance(part, str):
        part = _list_part(request, area=area, query=query, **extra)
        if key is not None:
            pagecache.put(key, part)
    return render(
        request,
        template,
        {
            "area": area,
            "part": mark_safe(part),  # noqa: S308 - rendered by our template, escaped there
            "can_review": allowed(request.user, "board.review_queue"),
            **extra,
        },
    )


def _list_part(
    request: HttpRequest, *, area: Area | None, query: list[tuple[str, str]], **extra: Any
) -> str:
    """The list's form, count, table and pager: filtered, sorted, and for a keyword ranked
    and highlighted (selectors.search_ranked). Rendered without the request: nothing of the
    reader's but what the key says (their visibility) may go into it."""
    params = QueryDict(mutable=True)
    for name, value in query:
        params[name] = value
    post_filter = PostFilter(
        params or None,
        queryset=selectors.post_list(user=request.user, area=area),
        request=request,
    )
    qs = post_filter.qs if post_filter.is_bound else post_filter.queryset
    data = post_filter.form.cleaned_data if post_filter.is_bound else {}
    keyword = (data.get("keyword") or "").strip()
    sort = data.get("sort") or ""
    page_asked = params.get("page")
    partial = capped = False
    pattern = None
    if keyword:
        ranked = selectors.search_ranked(qs, keyword, sort=sort, window=SEARCH_COUNT_CAP)
        partial, capped = ranked.partial, ranked.capped
        pattern = textsim.highlight_pattern(textsim.search_terms(keyword))
        ids = Paginator(ranked.ids, PAGE_SIZE).get_page(page_asked)
        # The same page, holding the posts of its ids (in rank order) for the template.
        page: Page[Any] = Page(
            selectors.posts_in_order(qs, list(ids.object_list)), ids.number, ids.paginator
        )
    else:
        ordered = qs.order_by(*selectors.SORTS.get(sort, selectors.SORTS["latest"]))
        paginator = CappedPaginator(ordered, PAGE_SIZE, page=page_asked)
        page = paginator.get_page(page_asked)
        capped = paginator.capped
    params.pop("page", None)
    return render_to_string(
        "board/_list_part.html",
        {
            "area": area,
            "filter": post_filter,
            "page": page,
            "capped": capped,
            "partial": partial,
            "keyword": keyword,
            "highlight": pattern,
            "query": params.urlencode(),
            "post_url_prefix": reverse("board:post_detail", args=[0]).removesuffix("0/"),
            **extra,
        },
    )


# The lists only read: without the request's transaction (no BEGIN and COMMIT round trips,
# the only statements left on a list whose part is cached besides the user's).
@transaction.non_atomic_requests
@login_required
@require_GET
def area_list(request: HttpRequest, area: str) -> HttpResponse:
    return _listing(request, area=_area_or_404(area), template="board/area_list.html")


@transaction.non_atomic_requests
@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search over every area the reader may see (통합 검색)."""
    return _listing(request, area=None, template="board/area_list.html", all_areas=True)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "board.review_queue")
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "board/review_queue.html", {"page": page})


# --- a post --------------------------------------------------------------------------------


def _post_part(post: Post) -> pagecache.PostPart:
    """The post page's part every reader shares: body, attachments, comments without their
    buttons (``post`` comes with its attachments and live comments prefetched)."""
    comments = post.live_comments  # type: ignore[attr-defined]  # Prefetch to_attr
    context = {"post": post, "comments": comments}
    return pagecache.PostPart(
        body=render_to_string("board/_post_body.html", context),
        comments=render_to_string("board/_post_comments.html", context),
        comment_authors=tuple((c.pk, c.author_id) for c in comments),
        post=_post_kept(post),
    )


# What the page's read put on the post that the kept copy leaves out: its texts (in the part
# already), its prefetched rows (idem) and the reader's own answer.
_NOT_KEPT = ("body_html", "live_comments", "_prefetched_objects_cache", "viewer_seen")


def _post_kept(post: Post) -> Post:
    """A copy of the page's post for the shared part (``PostPart.post``)."""
    kept = copy.copy(post)  # Django's pickling copy: its own state and related objects
    for name in _NOT_KEPT:
        kept.__dict__.pop(name, None)
    return kept


# A comment id that no real comment's buttons contain: a reader's buttons are rendered once
# per kind (edit, remove, both) with it, and each comment gets a copy with its own id in it.
_COMMENT_SLOT = 9_073_741_823_590_737_418

# Where the cached page content (board/_post_page.html) leaves room for what each request
# brings: its view count, its CSRF token and the comment form's one-time token. NUL cannot come
# from a person (Django's form fields refuse it), so no post or comment can hold a marker.
_VIEWS_MARK = "\x00board:views\x00"
_CSRF_MARK = "\x00board:csrf\x00"
_ONCE_MARK = uuid.UUID("00000000-0000-4000-8000-000000000000")

Kinds = tuple[tuple[bool, bool], ...]


def _comment_kinds(request: HttpRequest, post: Post, part: pagecache.PostPart) -> Kinds:
    """For each cached comment, in order, whether this reader may edit and remove it. The
    rules' answers for a live comment depend on its author, its post and the reader, never on
    which comment it is: they are asked once per author."""
    by_author: dict[int, tuple[bool, bool]] = {}
    for pk, author_id in part.comment_authors:
        if author_id not in by_author:
            comment = Comment(pk=pk, author_id=author_id, post=post)  # a live comment, as listed
            by_author[author_id] = (
                allowed(request.user, "board.change_comment", comment),
                allowed(request.user, "board.remove_comment", comment),
            )
    return tuple(by_author[author_id] for _pk, author_id in part.comment_authors)


def _comments_with_buttons(
    post: Post, part: pagecache.PostPart, kinds: Kinds, *, csrf_token: str
) -> str:
    """The cached comments with this reader's buttons (``kinds``: board.rules) in them, their
    forms carrying ``csrf_token`` (the request's, or the page cache's marker). The buttons
    template is rendered at most once per kind of buttons, not once per comment (cProfile on
    the bench: ~30 % of an admin's post page with six comments)."""
    html = part.comments
    rendered: dict[tuple[bool, bool], str] = {}
    slot = str(_COMMENT_SLOT)
    for (pk, author_id), kind in zip(part.comment_authors, kinds, strict=True):
        if kind not in rendered:
            rendered[kind] = (
                render_to_string(
                    "board/_comment_actions.html",
                    {
                        "comment": Comment(pk=_COMMENT_SLOT, author_id=author_id, post=post),
                        "can_change": kind[0],
                        "can_remove": kind[1],
                        "csrf_token": csrf_token,
                    },
                )
                if any(kind)
                else ""
            )
        html = html.replace(pagecache.comment_marker(pk), rendered[kind].replace(slot, str(pk)), 1)
    return html


def _detail_context(
    request: HttpRequest,
    post: Post,
    comment_form: CommentForm | None = None,
    *,
    part: pagecache.PostPart | None = None,
) -> dict[str, Any]:
    """The post page's context (its flags by board.rules); ``part``: its shared part from
    the cache, else rendered from ``post`` (which then has its attachments and comments
    prefetched); ``comment_form``: the form shown again with what was typed, None for the
    page cache's (``_page_content`` puts in a marked one). The comments with their buttons
    are added by ``_page_content``."""
    user = request.user
    show_status = allowed(user, "board.see_post_status", post)
    part = part or _post_part(post)
    return {
        "post": post,
        "part": part,
        "area": Area(post.area),
        "body_part": mark_safe(part.body),  # noqa: S308 - rendered by our template, escaped there
        "comment_total": len(part.comment_authors),
        "comment_form": comment_form,
        "can_comment": allowed(user, "board.comment_post", post),
        "can_edit": allowed(user, "board.change_post", post),
        "can_review": allowed(user, "board.open_review", post),
        # A duplicate's original is named only to a reader who may open it (issue 12 #15).
        "original_visible": post.duplicate_of is not None
        and allowed(user, "board.view_post", post.duplicate_of),
        "show_status": show_status,
        # Asked only of a post that has revisions (``edited``: in the post's own statement),
        # with their editors in the same query.
        "revisions": (
            post.revisions.select_related("edited_by").order_by("-number")
            if show_status and getattr(post, "edited", True)
            else []
        ),
        "kinds": _comment_kinds(request, post, part),
    }


def _page_content(request: HttpRequest, context: dict[str, Any], *, marked: bool = False) -> str:
    """board/_post_page.html for this request, or (``marked``) for the page cache: with
    markers instead of the view count, the CSRF token and the one-time token."""
    post = context["post"]
    overrides: dict[str, Any]
    if marked:
        csrf_token = _CSRF_MARK
        overrides = {
            "comment_form": CommentForm(initial={"submission_token": _ONCE_MARK}),
            "view_count_text": _VIEWS_MARK,
        }
    else:  # a bound comment form: the errors and what was typed are this request's
        csrf_token = get_token(request)
        overrides = {"view_count_text": intcomma(post.view_count)}
    comments = _comments_with_buttons(
        post, context["part"], context["kinds"], csrf_token=csrf_token
    )
    return render_to_string(
        "board/_post_page.html",
        {
            **context,
            **overrides,
            "csrf_token": csrf_token,
            "comments_part": mark_safe(comments),  # noqa: S308 - our templates, escaped there
        },
    )


def _cached_page_content(request: HttpRequest, key: str, context: dict[str, Any]) -> str:
    """board/_post_page.html from the cache, kept per post version (``key``) and the flags
    that decide it (the rules' answers for this reader, each comment's buttons), with this
    request's view count, CSRF token and a fresh one-time token put in."""
    flags = tuple(
        bool(context[name])
        for name in ("show_status", "can_comment", "can_edit", "can_review", "original_visible")
    )
    page_key = pagecache.page_key(key, (flags, context["kinds"]))
    content = pagecache.get(page_key)
    if not isinstance(content, str):
        content = _page_content(request, context, marked=True)
        pagecache.put(page_key, content)
    return (
        content.replace(_VIEWS_MARK, intcomma(context["post"].view_count))
        .replace(_CSRF_MARK, get_token(request))
        .replace(str(_ONCE_MARK), str(new_token()))
    )


def _post_for_page(request: HttpRequest, pk: int, *, seen: bool = False) -> Post:
    """The post page's post, if the reader may see it (else 404: it is simply not there);
    ``edited``: whether it has revisions (the history is asked only then). ``seen``: the
    page's own read when its shared part is not in the cache, only the columns it shows
    (selectors.post_page_queryset), with ``viewer_seen``, whether the reader's view of it is
    recorded (in the same statement). Else (a comment's form shown again) the whole post."""
    revised = Exists(PostRevision.objects.filter(post=OuterRef("pk")))
    queryset: QuerySet[Post]
    if seen:
        views = PostView.objects.filter(post=OuterRef("pk"), viewer_id=request.user.pk)
        queryset = selectors.post_page_queryset().annotate(
            edited=revised, viewer_seen=Exists(views)
        )
    else:
        # A duplicate's original shows its title and link only: none of its texts.
        texts = ("body", "body_html", "body_text", "normalized", "title_key", "search_grams")
        queryset = (
            selectors.post_detail_queryset()
            .defer(*(f"duplicate_of__{name}" for name in texts))
            .annotate(edited=revised)
        )
    return get_for_user(request.user, queryset, "board.view_post", hide=True, pk=pk)


def _post_from_part(request: HttpRequest, pk: int, part: pagecache.PostPart) -> tuple[Post, bool]:
    """The post page's post from its cached part (kept for the post's version, which every
    write that shows on the page moves: board.signals), with its view count read now, and
    whether the reader's view is recorded; 404 if the post is gone or hidden from the
    reader."""
    live = selectors.post_live(pk, viewer_id=_user(request).pk)
    if live is None:
        raise Http404
    post = part.post
    post.view_count, seen = live
    if not allowed(request.user, "board.view_post", post):
        raise Http404
    return post, seen


# The page only reads (its view is recorded by a job after the response: board.tasks), so it
# runs without the request's transaction: no BEGIN and COMMIT round trips.
@transaction.non_atomic_requests
@login_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The key before the post: a change committed meanwhile moves the version, so what this
    # request renders from the newer rows is kept under a key no one asks for any more.
    key, part = pagecache.post_part(pk)
    read: Post | None = None
    if part is None:
        with pagecache.post_part_rendering(pk, key) as part:
            if part is None:  # this request renders it; others missing it meanwhile wait
                read = _post_for_page(request, pk, seen=True)
                part = _post_part(read)
                pagecache.post_part_put(pk, key, part)
    if read is not None:
        post, seen = read, read.viewer_seen  # type: ignore[attr-defined]
    else:
        post, seen = _post_from_part(request, pk, part)
    services.post_view_note(post=post, viewer=_user(request), seen=seen)
    content = _cached_page_content(request, key, _detail_context(request, post, part=part))
    return render(
        request,
        "board/post_detail.html",
        {"post": post, "content": mark_safe(content)},  # noqa: S308 - our templates, escaped there
    )


@login_required
def post_create(request: HttpRequest, area: str) -> HttpResponse:
    area_code = _area_or_404(area)
    if area_code == Area.PROPOSAL:
        # One write path for staff proposals: the proposals app writes the post with the
        # proposal's own fields (현황, 제안 내용, 기대효과) and its lifecycle.
        return redirect(reverse("proposals:write"))
    require(request.user, "board.add_post")
    candidates: list[Post] = []
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES)
        action = request.POST.get("action", "submit")
        if form.is_valid():
            data = form.cleaned_data
            if action == "check":
                candidates = selectors.duplicate_candidates(
                    title=data["title"], body=data["body"], area=area_code, user=request.user
                )
                if not candidates:
                    messages.info(request, _("비슷한 기존 게시글이 없습니다."))
            else:
                try:
                    post = services.post_submit(
                        author=_user(request),
                        area=area_code,
                        title=data["title"],
                        body=data["body"],
                        draft=action == "draft",
                        attachments=data["attachments"],
                        submission_token=data.get("submission_token"),
                    )
                except ServiceError as err:
                    add_to_form(form, err)
                else:
                    if post.status == PostStatus.DRAFT:
                        messages.success(request, _("임시저장했습니다. 준비가 되면 제출해 주세요."))
                    else:
                        messages.success(
                            request, _("게시글을 제출했습니다. 관리자 승인 후 공개됩니다.")
                        )
                    return redirect(post)
        if request.FILES:  # a browser can't refill a file input
            messages.warning(request, _("보안을 위해 첨부파일은 다시 선택해 주세요."))
    else:
        form = PostForm()
    return render(
        request,
        "board/post_form.html",
        {"form": form, "area": area_code, "candidates": candidates, "post": None},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_for_user(
        request.user,
        Post.objects.select_related("author").prefetch_related("attachments"),
        "board.view_post",
        hide=True,
        pk=pk,
    )
    require(request.user, "board.change_post", post)
    attachments = list(post.attachments.all())
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, attachments=attachments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.post_edit(
                    post=post,
                    editor=_user(request),
                    title=data["title"],
                    body=data["body"],
                    submit=request.POST.get("action") == "submit",
                    attachments=data["attachments"],
                    remove_attachments=data.get("remove_attachments") or (),
                )
            except ServiceError as err:
                add_to_form(form, err)
            else:
                if post.status == PostStatus.SUBMITTED and request.user.pk == post.author_id:
                    messages.success(request, _("수정했습니다. 관리자 승인 후 다시 공개됩니다."))
                else:
                    messages.success(request, _("수정했습니다."))
                return redirect(post)
    else:
        form = PostForm(initial={"title": post.title, "body": post.body}, attachments=attachments)
    return render(
        request,
        "board/post_form.html",
        {"form": form, "area": Area(post.area), "post": post, "candidates": []},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def post_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin's review page: the post, similar earlier posts, approve / reject / duplicate."""
    require(request.user, "board.review_queue")
    post = get_for_user(
        request.user,
        Post.objects.select_related(
            "author", "department", "reviewer", "duplicate_of"
        ).prefetch_related("attachments"),
        "board.open_review",
        hide=True,
        pk=pk,
    )
    reject_form, duplicate_form = RejectForm(), DuplicateForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                require(request.user, "board.review_post", post)
                services.post_approve(post=post, reviewer=_user(request))
                messages.success(request, _("승인했습니다."))
                return redirect("board:review_queue")
            if action == "reject":
                require(request.user, "board.review_post", post)
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.post_reject(
                        post=post,
                        reviewer=_user(request),
                        reason=reject_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("반려했습니다."))
                    return redirect("board:review_queue")
            elif action == "duplicate":
                require(request.user, "board.mark_duplicate", post)
                duplicate_form = DuplicateForm(request.POST)
                if duplicate_form.is_valid():
                    original = Post.objects.filter(
                        pk=duplicate_form.cleaned_data["original"]
                    ).first()
                    if original is None:
                        duplicate_form.add_error("original", _("해당 번호의 게시글이 없습니다."))
                    else:
                        services.post_mark_duplicate(
                            post=post, original=original, reviewer=_user(request)
                        )
                        messages.success(request, _("중복 글로 지정했습니다."))
                        return redirect("board:post_review", pk=post.pk)
        except ServiceError as err:
            message_error(request, err)
    candidates = selectors.duplicate_candidates(
        title=post.title, body=post.body_text, area=post.area, exclude=post
    )
    return render(
        request,
        "board/post_review.html",
        {
            "post": post,
            "area": Area(post.area),
            "candidates": candidates,
            "reject_form": reject_form,
            "duplicate_form": duplicate_form,
            "can_decide": allowed(request.user, "board.review_post", post),
            "original_visible": post.duplicate_of is not None
            and allowed(request.user, "board.view_post", post.duplicate_of),
        },
    )


@login_required
@require_GET
def similar_posts(request: HttpRequest) -> HttpResponse:
    """Earlier posts similar to a draft, as an HTML fragment for the write page."""
    area_code = request.GET.get("area") or None
    area = _area_or_404(area_code) if area_code is not None else None
    title = request.GET.get("title", "")[:200]
    body = request.GET.get("body", "")[:5000]
    candidates = (
        selectors.duplicate_candidates(title=title, body=body, area=area, user=request.user)
        if (title + body).strip()
        else []
    )
    return render(request, "board/_similar.html", {"candidates": candidates, "checked": True})


# --- comments ------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for_page(request, pk)
    form = CommentForm(request.POST)
    if not allowed(request.user, "board.comment_post", post):
        form.is_valid()
        form.add_error(None, _("승인된 게시글에만 의견을 남길 수 있습니다."))
    elif form.is_valid():
        try:
            comment = services.comment_add(
                post=post,
                author=_user(request),
                body=form.cleaned_data["body"],
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except ServiceError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("의견을 등록했습니다."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    # Show the page again with what was typed, and the error beside it.
    content = _page_content(request, _detail_context(request, post, form))
    return render(
        request,
        "board/post_detail.html",
        {"post": post, "content": mark_safe(content)},  # noqa: S308 - our templates, escaped there
        status=400,
    )


def _comment_for(request: HttpRequest, perm: str, pk: int) -> Comment:
    """A comment on a post the user may see (else 404), if they may ``perm`` it (else 403)."""
    comment = get_for_user(
        request.user,
        Comment.objects.select_related("post", "author"),
        "board.view_comment",
        hide=True,
        pk=pk,
    )
    require(request.user, perm, comment)
    return comment


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, "board.change_comment", pk)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment_edit(
                    comment=comment, by=_user(request), body=form.cleaned_data["body"]
                )
            except ServiceError as err:
                add_to_form(form, err)
            else:
                messages.success(request, _("의견을 수정했습니다."))
                return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")
    else:
        form = CommentForm(initial={"body": comment.body})
    return render(
        request,
        "board/comment_form.html",
        {"form": form, "comment": comment, "post": comment.post},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (what the removal does, 삭제 or 취소); the post page opens
    the same confirmation in a dialog when JavaScript runs. POST: the removal."""
    comment = _comment_for(request, "board.remove_comment", pk)
    if request.method == "GET":
        return render(
            request, "board/comment_remove.html", {"comment": comment, "post": comment.post}
        )
    services.comment_remove(comment=comment, by=_user(request))
    messages.success(request, _("의견을 삭제했습니다."))
    return redirect(comment.post)


# --- files ---------------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment to someone who may see its post: always as a download, with the
    Korean file name kept (RFC 5987 ``filename*``) and no content sniffing."""
    attachment = get_for_user(
        request.user,
        Attachment.objects.select_related("post"),
        "board.download_attachment",
        hide=True,
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("파일을 찾을 수 없습니다.")) from None
    return protected_download(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )
