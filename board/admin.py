"""Django admin for the board: selective approval 선별 승인 in bulk.

Posts are written on the portal; here admins filter and search them and run the actions
approve, reject with a reason (an intermediate form) and mark duplicate of an original (an
intermediate form listing similar earlier posts). Every action calls ``board.services``, so
the 창의왕 ledger and notifications follow exactly as on the review page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import ServiceError
from org.models import display_name
from org.rules import is_portal_admin

from . import selectors, services
from .models import Attachment, Comment, Post, PostRevision, PostStatus, PostView


def _user(request: HttpRequest) -> User:
    """The admin acting (the admin site lets only logged-in staff in)."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin site logged them in
        raise PermissionDenied
    return user


class RejectActionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("반려 사유"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"required": gettext_lazy("반려 사유를 입력해 주세요.")},
    )


class DuplicateActionForm(forms.Form):
    original = forms.IntegerField(
        label=gettext_lazy("원글 번호"),
        min_value=1,
        error_messages={"required": gettext_lazy("원글 번호를 입력해 주세요.")},
    )

    def clean_original(self) -> Post:
        original = Post.objects.filter(pk=self.cleaned_data["original"]).first()
        if original is None:
            raise ValidationError(_("해당 번호의 게시글이 없습니다."))
        return original


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    readonly_fields = ("download", "kind", "size", "uploaded_at")
    fields = readonly_fields

    @admin.display(description=gettext_lazy("파일"))
    def download(self, obj: Attachment) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class CommentInline(ReadOnlyInline):
    model = Comment
    readonly_fields = ("author", "body", "created_at", "removed_at")
    fields = readonly_fields


class RevisionInline(ReadOnlyInline):
    model = PostRevision
    readonly_fields = ("number", "title", "status", "edited_by", "edited_at")
    fields = readonly_fields


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "id", "title", "area", "status", "author_name", "department", "created_at",
        "view_count", "comment_count", "duplicate_of",
    ]  # fmt: skip
    list_display_links = ["id", "title"]
    list_filter = [
        "status",
        "area",
        "department",
        ("duplicate_of", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = [
        "title",
        "body_text",
        "author__username",
        "author__last_name",
        "author__first_name",
    ]
    list_select_related = ["author", "department", "duplicate_of"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected", "mark_duplicate_selected"]
    readonly_fields = (
        "area", "author", "department", "title", "rendered_body", "status", "submitted_at",
        "reviewer", "reviewed_at", "reject_reason", "duplicate_of", "duplicate_marked_at",
        "duplicate_marked_by", "view_count", "comment_count", "created_at", "updated_at",
        "similar_posts", "site_link",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [AttachmentInline, RevisionInline, CommentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # posts are written on the portal (with their checks and points)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)  # a post's points and history stay

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_portal_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_portal_admin(request.user)  # needed for actions; every field is read-only

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        # Drafts are the author's own business.
        return super().get_queryset(request).exclude(status=PostStatus.DRAFT)

    @admin.display(description=gettext_lazy("작성자"), ordering="author__last_name")
    def author_name(self, obj: Post) -> str:
        return display_name(obj.author)

    @admin.display(description=gettext_lazy("내용"))
    def rendered_body(self, obj: Post) -> str:
        return format_html('<div class="post-body">{}</div>', obj.body_html)  # cleaned by nh3

    @admin.display(description=gettext_lazy("포털에서 보기"))
    def site_link(self, obj: Post) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("게시글 화면"))

    @admin.display(description=gettext_lazy("비슷한 기존 게시글"))
    def similar_posts(self, obj: Post) -> str:
        candidates = selectors.duplicate_candidates(
            title=obj.title, body=obj.body_text, area=obj.area, exclude=obj, limit=5
        )
        if not candidates:
            return _("없음")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}번 {}</a> (유사도 {})</li>',
                (
                    (
                        reverse("admin:board_post_change", args=[c.pk]),
                        c.pk,
                        c.title,
                        f"{selectors.similarity_of(c):.2f}",
                    )
                    for c in candidates
                ),
            ),
        )

    # --- actions ---------------------------------------------------------------------------

    def _report(self, request: HttpRequest, done: int, failed: list[str], verb: str) -> None:
        if done:
            self.message_user(request, _("%(n)d건을 %(verb)s했습니다.") % {"n": done, "verb": verb})
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=gettext_lazy("선택한 게시글 승인"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        done, failed = 0, []
        for post in queryset.select_related("author"):
            try:
                services.post_approve(post=post, reviewer=_user(request))
                done += 1
            except ServiceError as err:
                failed.append(f"{post.pk}번: {err}")
        self._report(request, done, failed, _("승인"))

    def _intermediate(
        self,
        request: HttpRequest,
        queryset: QuerySet[Post],
        form: forms.Form,
        *,
        action: str,
        title: str,
        extra: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "posts": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **(extra or {}),
        }
        return TemplateResponse(request, "admin/board/post/action_form.html", context)

    @admin.action(description=gettext_lazy("선택한 게시글 반려(사유 입력)"))
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> HttpResponse | None:
        form = RejectActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, failed = 0, []
            for post in queryset.select_related("author"):
                try:
                    services.post_reject(
                        post=post, reviewer=_user(request), reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except ServiceError as err:
                    failed.append(f"{post.pk}번: {err}")
            self._report(request, done, failed, _("반려"))
            return None
        return self._intermediate(
            request, queryset, form, action="reject_selected", title=_("선택한 게시글 반려")
        )

    @admin.action(description=gettext_lazy("선택한 게시글을 원글의 중복으로 지정"))
    def mark_duplicate_selected(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> HttpResponse | None:
        form = DuplicateActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            original = form.cleaned_data["original"]
            done, failed = 0, []
            for post in queryset:
                try:
                    services.post_mark_duplicate(
                        post=post, original=original, reviewer=_user(request)
                    )
                    done += 1
                except ServiceError as err:
                    failed.append(f"{post.pk}번: {err}")
            self._report(request, done, failed, _("중복 지정"))
            return None
        first = queryset.first()
        candidates = (
            selectors.duplicate_candidates(
                title=first.title, body=first.body_text, area=first.area, exclude=first, limit=5
            )
            if first
            else []
        )
        return self._intermediate(
            request,
            queryset,
            form,
            action="mark_duplicate_selected",
            title=_("선택한 게시글을 중복으로 지정"),
            extra={"candidates": candidates},
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "author", "created_at", "removed_at"]
    list_filter = ["post__area", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__username", "author__last_name"]
    list_select_related = ["post", "author"]
    readonly_fields = [
        "post",
        "author",
        "body",
        "created_at",
        "updated_at",
        "removed_at",
        "removed_by",
    ]
    actions = ["remove_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # remove (the points are voided), never delete

    @admin.action(description=gettext_lazy("선택한 의견 삭제(점수 회수)"))
    def remove_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset:
            services.comment_remove(comment=comment, by=_user(request))
        self.message_user(request, _("%(n)d건의 의견을 삭제했습니다.") % {"n": queryset.count()})


@admin.register(PostView)
class PostViewAdmin(admin.ModelAdmin):
    list_display = ["post", "viewer", "viewed_at"]
    list_select_related = ["post", "viewer"]
    raw_id_fields = ["post", "viewer"]
    search_fields = ["viewer__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
