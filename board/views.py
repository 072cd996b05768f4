"""Board pages. Thin: check permission (board.rules), validate (forms), call a service."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from org.files import protected_download
from org.rules import is_portal_admin

from . import selectors, services
from .filters import PostFilter
from .forms import CommentForm, DuplicateForm, PostForm, RejectForm
from .models import Area, Attachment, Comment, Post, PostStatus

PAGE_SIZE = 20
# A keyword search counts at most this many matches ("1,000건 이상"): counting every match
# of a common word costs hundreds of milliseconds at city scale and tells a reader nothing.
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts up to ``cap`` rows (then offers the first cap / per_page pages)."""

    def __init__(self, *args: object, cap: int, **kwargs: object) -> None:
        self.cap = cap
        super().__init__(*args, **kwargs)

    @cached_property
    def _count_to_cap(self) -> int:
        # Without ORDER BY: counting must not walk the newest-first index row by row.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._count_to_cap, self.cap)

    @property
    def capped(self) -> bool:
        return self._count_to_cap > self.cap


def _area_or_404(area: str) -> Area:
    try:
        return Area(area)
    except ValueError:
        raise Http404(_("없는 게시판입니다.")) from None


def _require(perm: str, user: object, obj: object = None) -> None:
    # rules.has_perm checks only the board's rules: a superuser follows them too.
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(_("이 작업을 할 권한이 없습니다."))


def _visible_post_or_404(request: HttpRequest, pk: int) -> Post:
    """A post the user may see; one they may not see is simply not found (404)."""
    return get_object_or_404(selectors.visible_posts(request.user), pk=pk)


# --- lists ---------------------------------------------------------------------------------


@login_required
@require_GET
def area_list(request: HttpRequest, area: str) -> HttpResponse:
    area_code = _area_or_404(area)
    post_filter = PostFilter(
        request.GET or None,
        queryset=selectors.post_list(user=request.user, area=area_code),
        request=request,
    )
    qs = post_filter.qs if post_filter.is_bound else post_filter.queryset
    if post_filter.is_bound and (request.GET.get("keyword") or "").strip():
        paginator: Paginator = CappedPaginator(qs, PAGE_SIZE, cap=SEARCH_COUNT_CAP)
    else:
        paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "board/area_list.html",
        {
            "area": area_code,
            "filter": post_filter,
            "page": page,
            "query": query.urlencode(),
            "can_review": is_portal_admin(request.user),
        },
    )


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require("board.review_queue", request.user)
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "board/review_queue.html", {"page": page})


# --- a post --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, post: Post, comment_form: CommentForm | None = None):
    user = request.user
    is_admin = is_portal_admin(user)
    is_author = user.pk == post.author_id
    return {
        "post": post,
        "area": Area(post.area),
        "comments": post.live_comments,
        "comment_form": comment_form or CommentForm(),
        "can_comment": rules.has_perm("board.comment_post", user, post),
        "can_edit": rules.has_perm("board.change_post", user, post),
        "can_review": is_admin and post.status != PostStatus.DRAFT,
        "show_status": is_author or is_admin,
        "revisions": post.revisions.order_by("-number") if (is_author or is_admin) else [],
        "user_is_admin": is_admin,
    }


@login_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(selectors.post_detail_queryset(request.user), pk=pk)
    services.record_view(post=post, viewer=request.user)
    return render(request, "board/post_detail.html", _detail_context(request, post))


@login_required
def post_create(request: HttpRequest, area: str) -> HttpResponse:
    area_code = _area_or_404(area)
    _require("board.add_post", request.user)
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
                    post = services.submit_post(
                        author=request.user,
                        area=area_code,
                        title=data["title"],
                        body=data["body"],
                        draft=action == "draft",
                        attachments=data["attachments"],
                    )
                except ValidationError as err:
                    form.add_service_error(err)
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
    post = get_object_or_404(
        Post.objects.select_related("author").prefetch_related("attachments"), pk=pk
    )
    if not rules.has_perm("board.view_post", request.user, post):
        raise Http404
    _require("board.change_post", request.user, post)
    attachments = list(post.attachments.all())
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, attachments=attachments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edit_post(
                    post=post,
                    editor=request.user,
                    title=data["title"],
                    body=data["body"],
                    submit=request.POST.get("action") == "submit",
                    attachments=data["attachments"],
                    remove_attachments=data.get("remove_attachments") or (),
                )
            except ValidationError as err:
                form.add_service_error(err)
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
    _require("board.review_queue", request.user)
    post = get_object_or_404(
        Post.objects.select_related("author", "department", "reviewer", "duplicate_of")
        .prefetch_related("attachments")
        .exclude(status=PostStatus.DRAFT),
        pk=pk,
    )
    reject_form, duplicate_form = RejectForm(), DuplicateForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                _require("board.review_post", request.user, post)
                services.approve_post(post=post, reviewer=request.user)
                messages.success(request, _("승인했습니다."))
                return redirect("board:review_queue")
            if action == "reject":
                _require("board.review_post", request.user, post)
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.reject_post(
                        post=post, reviewer=request.user, reason=reject_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("반려했습니다."))
                    return redirect("board:review_queue")
            elif action == "duplicate":
                _require("board.mark_duplicate", request.user, post)
                duplicate_form = DuplicateForm(request.POST)
                if duplicate_form.is_valid():
                    original = Post.objects.filter(
                        pk=duplicate_form.cleaned_data["original"]
                    ).first()
                    if original is None:
                        duplicate_form.add_error("original", _("해당 번호의 게시글이 없습니다."))
                    else:
                        services.mark_duplicate(post=post, original=original, reviewer=request.user)
                        messages.success(request, _("중복 글로 지정했습니다."))
                        return redirect("board:post_review", pk=post.pk)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
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
            "can_decide": rules.has_perm("board.review_post", request.user, post),
        },
    )


@login_required
@require_GET
def similar_posts(request: HttpRequest) -> HttpResponse:
    """Earlier posts similar to a draft, as an HTML fragment for the write page."""
    area = request.GET.get("area") or None
    if area is not None:
        area = _area_or_404(area)
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
    post = get_object_or_404(selectors.post_detail_queryset(request.user), pk=pk)
    form = CommentForm(request.POST)
    if not rules.has_perm("board.comment_post", request.user, post):
        form.is_valid()
        form.add_error(None, _("승인된 게시글에만 의견을 남길 수 있습니다."))
    elif form.is_valid():
        try:
            comment = services.add_comment(
                post=post, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as err:
            form.add_error(None, err.messages)
        else:
            messages.success(request, _("의견을 등록했습니다."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    # Show the page again with what was typed, and the error beside it.
    return render(
        request, "board/post_detail.html", _detail_context(request, post, form), status=400
    )


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("post", "author"), pk=pk)
    if not rules.has_perm("board.view_post", request.user, comment.post):
        raise Http404
    return comment


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    _require("board.change_comment", request.user, comment)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(
                    comment=comment, by=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as err:
                form.add_error(None, err.messages)
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
@require_POST
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    _require("board.remove_comment", request.user, comment)
    services.remove_comment(comment=comment, by=request.user)
    messages.success(request, _("의견을 삭제했습니다."))
    return redirect(comment.post)


# --- files ---------------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment to someone who may see its post: always as a download, with the
    Korean file name kept (RFC 5987 ``filename*``) and no content sniffing."""
    attachment = get_object_or_404(Attachment.objects.select_related("post"), pk=pk)
    if not rules.has_perm("board.download_attachment", request.user, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("파일을 찾을 수 없습니다.")) from None
    return protected_download(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )
