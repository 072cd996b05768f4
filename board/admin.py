"""Django admin for the board: selective approval 선별 승인 in bulk.

Posts are written on the portal; here admins filter and search them and run the actions
approve, reject with a reason and mark duplicate of an original (listing similar earlier
posts). Each asks first on a confirmation page that says in numbers what will happen
(``common.admin``); only its 확인 acts, and every action calls ``board.services``, so the 창의왕
ledger and notifications follow exactly as on the review page. People are 이름 (부서)
(``org.admin_people``); a body is shown rendered from its nh3-cleaned HTML, a list row has a
plain-text excerpt.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import periods
from common.admin import SHOWN_OBJECTS, Confirmation, confirmation_page, confirmed, outcome_report
from common.errors import ServiceError
from org.admin_people import PERSON_RELATED, PeopleAdminMixin, person_label
from org.rules import is_portal_admin

from . import selectors, services
from .content import clean_html
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


EXCERPT_CHARS = 80


class ReadOnlyInline(PeopleAdminMixin, admin.TabularInline):
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
class PostAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = [
        "id", "title", "excerpt", "area", "status", "author", "department", "created_at",
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
        "author__staff_profile__department__name",
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

    @admin.display(description=gettext_lazy("내용 요약"))
    def excerpt(self, obj: Post) -> str:
        """Plain text (escaped by the admin), never HTML, in a list row."""
        return Truncator(obj.body_text).chars(EXCERPT_CHARS)

    @admin.display(description=gettext_lazy("내용"))
    def rendered_body(self, obj: Post) -> str:
        # body_html was cleaned by nh3 when saved; cleaning it again here keeps the admin safe
        # even from a row written some other way. Only the sanitizer's output is marked safe.
        cleaned = clean_html(obj.body_html)
        return format_html('<div class="post-body">{}</div>', mark_safe(cleaned))  # noqa: S308

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

    # --- actions: each asks first (common.admin), then acts through board.services ----------

    def _counts(self, queryset: QuerySet[Post]) -> dict[str, int]:
        approved = Q(status=PostStatus.APPROVED)
        return queryset.aggregate(
            total=Count("pk"),
            approved=Count("pk", filter=approved),
            rejected=Count("pk", filter=Q(status=PostStatus.REJECTED)),
            duplicate_pending=Count("pk", filter=~approved & Q(duplicate_of__isnull=False)),
            approved_with_points=Count("pk", filter=approved & Q(duplicate_of__isnull=True)),
        )

    @admin.action(description=gettext_lazy("선택한 게시글 승인"))
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> HttpResponse | None:
        if not confirmed(request):
            n = self._counts(queryset)
            todo = n["total"] - n["approved"]
            summary = [
                _(
                    "게시글 %(n)d건을 승인합니다. 승인하면 작성자에게 승인 포인트가 "
                    "적립됩니다 (%(points)d건)."
                )
                % {"n": todo, "points": todo - n["duplicate_pending"]},
            ]
            if n["duplicate_pending"]:
                summary.append(
                    _("중복으로 지정된 %(n)d건은 승인해도 포인트가 적립되지 않습니다.")
                    % {"n": n["duplicate_pending"]}
                )
            if n["approved"]:
                summary.append(_("이미 승인된 %(n)d건은 그대로 둡니다.") % {"n": n["approved"]})
            summary.append(_("작성자에게 승인 알림이 갑니다."))
            return confirmation_page(
                self, request, queryset, action="approve_selected",
                confirmation=Confirmation(
                    title=_("선택한 게시글 승인"), summary=summary, button=_("승인"),
                    rows=_rows(queryset),
                ),
            )  # fmt: skip
        done, unchanged, refused = 0, 0, []
        for post in queryset.select_related("author"):
            before = post.status
            try:
                services.post_approve(post=post, reviewer=_user(request))
            except ServiceError as err:
                refused.append((f"{post.pk}번 {post.title}", str(err)))
                continue
            if before == PostStatus.APPROVED:
                unchanged += 1
            else:
                done += 1
        outcome_report(
            self, request, done=done, done_message=_("게시글 %(n)d건을 승인했습니다."),
            refused=refused,
        )  # fmt: skip
        if unchanged:
            self.message_user(
                request, _("이미 승인된 %(n)d건은 그대로 두었습니다.") % {"n": unchanged}
            )
        return None

    @admin.action(description=gettext_lazy("선택한 게시글 반려(사유 입력)"))
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> HttpResponse | None:
        form = RejectActionForm(request.POST if confirmed(request) else None)
        if not confirmed(request, form):
            n = self._counts(queryset)
            summary = [
                _("게시글 %(n)d건을 반려합니다. 작성자에게 반려 사유가 통보됩니다.")
                % {"n": n["total"]}
            ]
            if n["approved_with_points"]:
                summary.append(
                    _("승인된 %(n)d건은 반려하면 작성자의 승인 포인트가 회수됩니다.")
                    % {"n": n["approved_with_points"]}
                )
            if n["rejected"]:
                summary.append(
                    _("이미 반려된 %(n)d건은 반려 사유가 새 사유로 바뀝니다.")
                    % {"n": n["rejected"]}
                )
            return confirmation_page(
                self, request, queryset, action="reject_selected",
                confirmation=Confirmation(
                    title=_("선택한 게시글 반려"), summary=summary, button=_("반려"), form=form,
                    rows=_rows(queryset),
                ),
            )  # fmt: skip
        done, refused = 0, []
        for post in queryset.select_related("author"):
            try:
                services.post_reject(
                    post=post, reviewer=_user(request), reason=form.cleaned_data["reason"]
                )
            except ServiceError as err:
                refused.append((f"{post.pk}번 {post.title}", str(err)))
            else:
                done += 1
        outcome_report(
            self, request, done=done, done_message=_("게시글 %(n)d건을 반려했습니다."),
            refused=refused,
        )  # fmt: skip
        return None

    @admin.action(description=gettext_lazy("선택한 게시글을 원글의 중복으로 지정"))
    def mark_duplicate_selected(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> HttpResponse | None:
        form = DuplicateActionForm(request.POST if confirmed(request) else None)
        if not confirmed(request, form):
            n = self._counts(queryset)
            summary = [
                _(
                    "게시글 %(n)d건을 원글의 중복으로 지정합니다. 중복 글에는 승인 포인트가 "
                    "적립되지 않습니다."
                )
                % {"n": n["total"]}
            ]
            if n["approved_with_points"]:
                summary.append(
                    _("승인된 %(n)d건은 작성자의 승인 포인트가 회수됩니다.")
                    % {"n": n["approved_with_points"]}
                )
            first = queryset.first()
            candidates = (
                selectors.duplicate_candidates(
                    title=first.title, body=first.body_text, area=first.area, exclude=first,
                    limit=5,
                )
                if first
                else []
            )  # fmt: skip
            hints = [
                _("%(pk)d번 %(title)s (%(date)s, 유사도 %(score).2f)")
                % {
                    "pk": c.pk,
                    "title": c.title,
                    "date": periods.local_date(c.created_at).isoformat(),
                    "score": selectors.similarity_of(c),
                }
                for c in candidates
            ]
            return confirmation_page(
                self, request, queryset, action="mark_duplicate_selected",
                confirmation=Confirmation(
                    title=_("선택한 게시글을 중복으로 지정"), summary=summary,
                    button=_("중복 지정"), form=form, rows=_rows(queryset),
                    hints_title=_("비슷한 기존 게시글(첫 번째 글 기준)"), hints=hints,
                ),
            )  # fmt: skip
        original = form.cleaned_data["original"]
        done, refused = 0, []
        for post in queryset:
            try:
                services.post_mark_duplicate(post=post, original=original, reviewer=_user(request))
            except ServiceError as err:
                refused.append((f"{post.pk}번 {post.title}", str(err)))
            else:
                done += 1
        outcome_report(
            self, request, done=done,
            done_message=_("게시글 %(n)d건을 중복으로 지정했습니다."), refused=refused,
        )  # fmt: skip
        return None


def _rows(queryset: QuerySet[Post]) -> list[str]:
    """'12번 제목 — 홍길동 (총무과), 승인 대기' for the first screenful of a confirmation."""
    posts = queryset.select_related(f"author__{PERSON_RELATED}").order_by("-created_at", "-pk")
    return [
        f"{p.pk}번 {p.title} — {person_label(p.author)}, {p.get_status_display()}"
        for p in posts[:SHOWN_OBJECTS]
    ]


@admin.register(Comment)
class CommentAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["id", "post", "excerpt", "author", "created_at", "removed_at"]
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

    @admin.display(description=gettext_lazy("의견 요약"))
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(EXCERPT_CHARS)

    @admin.action(description=gettext_lazy("선택한 의견 삭제(점수 회수)"))
    def remove_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        if not confirmed(request):
            n = queryset.aggregate(
                total=Count("pk"), removed=Count("pk", filter=Q(removed_at__isnull=False))
            )
            summary = [
                _("의견 %(n)d건을 삭제합니다. 삭제하면 작성자의 의견 포인트가 회수됩니다.")
                % {"n": n["total"] - n["removed"]}
            ]
            if n["removed"]:
                summary.append(_("이미 삭제된 %(n)d건은 그대로 둡니다.") % {"n": n["removed"]})
            rows = [
                f"{c.pk}번 — {person_label(c.author)}: {Truncator(c.body).chars(EXCERPT_CHARS)}"
                for c in queryset.select_related(f"author__{PERSON_RELATED}")[:SHOWN_OBJECTS]
            ]
            return confirmation_page(
                self, request, queryset, action="remove_selected",
                confirmation=Confirmation(
                    title=_("선택한 의견 삭제"), summary=summary, button=_("삭제"), rows=rows
                ),
            )  # fmt: skip
        done, refused = 0, []
        for comment in queryset:
            if comment.removed_at is not None:
                continue
            try:
                services.comment_remove(comment=comment, by=_user(request))
            except ServiceError as err:
                refused.append((comment, str(err)))
            else:
                done += 1
        outcome_report(
            self, request, done=done, done_message=_("의견 %(n)d건을 삭제했습니다."),
            refused=refused,
        )  # fmt: skip
        return None


@admin.register(PostView)
class PostViewAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["post", "viewer", "viewed_at"]
    list_select_related = ["post", "viewer"]
    search_fields = ["viewer__username", "viewer__last_name", "post__title"]

    def object_label(self, obj: PostView) -> str:
        return f"{person_label(obj.viewer)} → {obj.post}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
