"""Every write to the board. Views, admin actions, imports, tasks and tests all call these.

Each write runs in a transaction, takes ``at`` (when it happened; default now) and records or
voids its 창의왕 activity through ``scoring.services``:

| event                          | activity                         | source            |
|--------------------------------|----------------------------------|-------------------|
| a proposal-area post submitted | PROPOSAL_SUBMITTED for author    | board.post / id   |
| a post approved (not duplicate)| APPROVAL for author              | board.post / id   |
| marked duplicate / rejected    | that APPROVAL voided             | board.post / id   |
| a comment by someone else      | COMMENT for commenter            | board.comment / id|
| a comment removed              | that COMMENT voided              | board.comment / id|
| first view by someone else     | VIEW for viewer                  | board.post / id   |

Edit after approval (decided): when the *author* edits the title or body of an approved
post, it goes back to 승인 대기 and is hidden from other staff until re-approved, because
approval is a quality gate on the content. The approval points stay (re-approving records
nothing new); rejecting it afterwards voids them. Every edit first saves the previous
version as a :class:`PostRevision`. An admin's edit (e.g. a formatting fix) keeps the status.

Services check the *state* (a comment needs an approved post, a rejection needs a reason)
and raise ``ValidationError`` with a Korean message; *who* may act is checked by callers
through ``board.rules``. A plain user with no staff profile works everywhere (미지정 부서).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from org.files import check_upload, safe_original_name
from org.models import Department
from org.selectors import department_of
from scoring.models import ActivityKind
from scoring.services import activity_record, activity_void

from . import textsim
from .content import html_to_text, render_body
from .models import Area, Attachment, Comment, Post, PostRevision, PostStatus, PostView

logger = logging.getLogger(__name__)

POST_SOURCE = "board.post"
COMMENT_SOURCE = "board.comment"
MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 50_000
MAX_COMMENT_CHARS = 2_000
# The same text sent twice within this window is one submission (a double click, a retry).
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


# --- helpers -------------------------------------------------------------------------------


def _validate_post(*, area: str, title: str, body: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if area not in Area.values:
        errors["area"] = [_("알 수 없는 게시판 분야입니다.")]
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = [_("제목을 입력해 주세요.")]
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = [_("제목은 %(max)d자 이내로 입력해 주세요.") % {"max": MAX_TITLE_CHARS}]
    if not body:
        errors["body"] = [_("내용을 입력해 주세요.")]
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = [
            _("내용이 너무 깁니다. %(max)s자 이내로 줄이거나 파일로 첨부해 주세요.")
            % {"max": f"{MAX_BODY_CHARS:,}"}
        ]
    if errors:
        raise ValidationError(errors)
    return title, body


def _fill_derived(post: Post) -> None:
    """Cleaned HTML, plain text and the two search keys, from title and body."""
    post.body_html = render_body(post.body)
    post.body_text = html_to_text(post.body_html)
    if not post.body_text:
        raise ValidationError(
            {
                "body": [
                    _("내용을 입력해 주세요. 스크립트 등 허용되지 않는 내용은 저장되지 않습니다.")
                ]
            }
        )
    post.normalized = textsim.normalize_post(post.title, post.body_text)
    post.title_key = textsim.normalize(post.title)
    post.search_grams = textsim.search_grams(post.title, post.body_text)


def _notify(*, recipient: AbstractBaseUser, verb: str, title: str, url: str, at: datetime) -> None:
    """Tell someone through the notifications app (absent in a trimmed install: skip)."""
    try:
        from notifications.services import notify
    except ImportError:  # pragma: no cover - the notifications app is part of the portal
        return
    notify(recipient=recipient, verb=verb, title=title, url=url, at=at)


def _record_proposal_submitted(post: Post, at: datetime) -> None:
    if post.area == Area.PROPOSAL:
        activity_record(
            user=post.author,
            area=post.area,
            kind=ActivityKind.PROPOSAL_SUBMITTED,
            source_type=POST_SOURCE,
            source_id=post.pk,
            at=at,
        )


def _locked(post: Post) -> Post:
    """Re-read the post under a row lock, so two admins' actions don't interleave."""
    return Post.objects.select_for_update().get(pk=post.pk)


def _sync(target: Post, source: Post) -> None:
    """Copy the fresh state into the caller's instance, so it sees what happened."""
    for field in Post._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- posts ---------------------------------------------------------------------------------


@transaction.atomic
def submit_post(
    *,
    author: AbstractBaseUser,
    area: str,
    title: str,
    body: str,
    at: datetime | None = None,
    department: Department | None = None,
    draft: bool = False,
    attachments: Iterable[UploadedFile] = (),
) -> Post:
    """Write a post 게시글 and submit it for approval (or keep it as a draft 임시저장).

    ``department`` overrides the author's current department (the snapshot kept on the post).
    Sending the same title and body again within a minute returns the first post."""
    at = at or timezone.now()
    title, body = _validate_post(area=area, title=title, body=body)
    status = PostStatus.DRAFT if draft else PostStatus.SUBMITTED
    recent = (
        Post.objects.filter(
            author=author,
            area=area,
            title=title,
            body=body,
            status=status,
            created_at__gte=at - DOUBLE_SUBMIT_WINDOW,
            created_at__lte=at,
        )  # fmt: skip
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent
    post = Post(
        area=area,
        author=author,
        department=department if department is not None else department_of(author),
        title=title,
        body=body,
        status=status,
        submitted_at=None if draft else at,
        created_at=at,
        updated_at=at,
    )
    _fill_derived(post)
    post.save()
    for upload in attachments:
        add_attachment(post=post, upload=upload, by=author, at=at)
    if not draft:
        _record_proposal_submitted(post, at)
    return post


@transaction.atomic
def edit_post(
    *,
    post: Post,
    editor: AbstractBaseUser,
    title: str,
    body: str,
    at: datetime | None = None,
    submit: bool = False,
    attachments: Iterable[UploadedFile] = (),
    remove_attachments: Iterable[Attachment] = (),
) -> Post:
    """Change a post's title and body, keeping the previous version as a revision.

    A draft is submitted when ``submit`` is true. The author's edit of a rejected post
    resubmits it; of an approved post sends it back to 승인 대기 (see the module docstring)."""
    at = at or timezone.now()
    fresh = _locked(post)
    title, body = _validate_post(area=fresh.area, title=title, body=body)
    if fresh.duplicate_of_id is not None and editor.pk == fresh.author_id:
        raise ValidationError(_("중복으로 지정된 글은 수정할 수 없습니다."))
    content_changed = (title, body) != (fresh.title, fresh.body)
    if content_changed:
        number = (fresh.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        PostRevision.objects.create(
            post=fresh,
            number=number,
            title=fresh.title,
            body=fresh.body,
            status=fresh.status,
            reject_reason=fresh.reject_reason,
            edited_by=editor,
            edited_at=at,
        )
        fresh.title, fresh.body = title, body
        _fill_derived(fresh)
    by_author = editor.pk == fresh.author_id
    was_draft = fresh.status == PostStatus.DRAFT
    if was_draft and submit:
        fresh.status = PostStatus.SUBMITTED
        fresh.submitted_at = at
    elif (
        by_author
        and content_changed
        and fresh.status
        in (
            PostStatus.APPROVED,
            PostStatus.REJECTED,
        )
    ):
        fresh.status = PostStatus.SUBMITTED
        fresh.submitted_at = at
        fresh.reviewer = None
        fresh.reviewed_at = None
        fresh.reject_reason = ""
    fresh.updated_at = at
    fresh.save()
    for attachment in remove_attachments:
        if attachment.post_id == fresh.pk:
            remove_attachment(attachment=attachment, by=editor, at=at)
    for upload in attachments:
        add_attachment(post=fresh, upload=upload, by=editor, at=at)
    if was_draft and fresh.status == PostStatus.SUBMITTED:
        _record_proposal_submitted(fresh, at)
    _sync(post, fresh)
    return post


@transaction.atomic
def approve_post(*, post: Post, reviewer: AbstractBaseUser, at: datetime | None = None) -> Post:
    """Approve 승인 a submitted (or earlier rejected) post: public to staff, approval points
    for the author unless it is marked a duplicate. Approving twice changes nothing."""
    at = at or timezone.now()
    fresh = _locked(post)
    if fresh.status == PostStatus.APPROVED:
        _sync(post, fresh)
        return post
    if fresh.status == PostStatus.DRAFT:
        raise ValidationError(_("임시저장 글은 승인할 수 없습니다."))
    fresh.status = PostStatus.APPROVED
    fresh.reviewer = reviewer
    fresh.reviewed_at = at
    fresh.reject_reason = ""
    fresh.save(update_fields=["status", "reviewer", "reviewed_at", "reject_reason"])
    if fresh.duplicate_of_id is None:
        activity_record(
            user=fresh.author,
            area=fresh.area,
            kind=ActivityKind.APPROVAL,
            source_type=POST_SOURCE,
            source_id=fresh.pk,
            at=at,
        )
    _notify(
        recipient=fresh.author,
        verb="board.approved",
        title=_("게시글이 승인되었습니다: %(title)s") % {"title": fresh.title},
        url=fresh.get_absolute_url(),
        at=at,
    )
    _sync(post, fresh)
    return post


@transaction.atomic
def reject_post(
    *, post: Post, reviewer: AbstractBaseUser, reason: str, at: datetime | None = None
) -> Post:
    """Reject 반려 a post with a reason the author sees. Rejecting an approved post voids its
    approval points."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("반려 사유를 입력해 주세요.")]})
    fresh = _locked(post)
    if fresh.status == PostStatus.DRAFT:
        raise ValidationError(_("임시저장 글은 반려할 수 없습니다."))
    fresh.status = PostStatus.REJECTED
    fresh.reviewer = reviewer
    fresh.reviewed_at = at
    fresh.reject_reason = reason
    fresh.save(update_fields=["status", "reviewer", "reviewed_at", "reject_reason"])
    # Points from an earlier approval go, also when the post was sent back to 승인 대기 by an
    # edit after approval; voiding a post that never had them changes nothing.
    activity_void(
        source_type=POST_SOURCE,
        source_id=fresh.pk,
        kind=ActivityKind.APPROVAL,
        reason=_("승인 후 반려된 게시글"),
        at=at,
    )
    _notify(
        recipient=fresh.author,
        verb="board.rejected",
        title=_("게시글이 반려되었습니다: %(title)s") % {"title": fresh.title},
        url=fresh.get_absolute_url(),
        at=at,
    )
    _sync(post, fresh)
    return post


@transaction.atomic
def mark_duplicate(
    *, post: Post, original: Post, reviewer: AbstractBaseUser, at: datetime | None = None
) -> Post:
    """Mark ``post`` a duplicate 중복 of an earlier ``original``: it earns no approval points,
    and points already given are voided (기존 제안과 동일한 내용 등록시 미부여)."""
    at = at or timezone.now()
    fresh = _locked(post)
    # Point at the root original, so duplicates never chain.
    root = original
    while root.duplicate_of_id is not None and root.duplicate_of_id != fresh.pk:
        root = Post.objects.get(pk=root.duplicate_of_id)
    if root.pk == fresh.pk:
        raise ValidationError(_("자기 자신을 원글로 지정할 수 없습니다."))
    if (root.created_at, root.pk) > (fresh.created_at, fresh.pk):
        raise ValidationError(_("원글은 이 글보다 먼저 작성된 글이어야 합니다."))
    fresh.duplicate_of = root
    fresh.duplicate_marked_at = at
    fresh.duplicate_marked_by = reviewer
    fresh.save(update_fields=["duplicate_of", "duplicate_marked_at", "duplicate_marked_by"])
    activity_void(
        source_type=POST_SOURCE,
        source_id=fresh.pk,
        kind=ActivityKind.APPROVAL,
        reason=_("기존 게시글(#%(id)s)과 중복된 내용") % {"id": root.pk},
        at=at,
    )
    _sync(post, fresh)
    return post


# --- attachments ---------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    *, post: Post, upload: UploadedFile, by: AbstractBaseUser, at: datetime | None = None
) -> Attachment:
    """Attach a file after checking its content (see ``org.files``)."""
    at = at or timezone.now()
    name = safe_original_name(upload.name or "file")
    checked = check_upload(upload, name, upload.size or 0)
    attachment = Attachment(
        post=post,
        original_name=name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
        uploaded_at=at,
    )
    upload.seek(0)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    # A rolled-back transaction can leave the stored file behind; it is unreachable (random
    # name, no row) and harmless.
    return attachment


@transaction.atomic
def remove_attachment(
    *, attachment: Attachment, by: AbstractBaseUser, at: datetime | None = None
) -> None:
    """Remove an attachment; the file is deleted once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- comments ------------------------------------------------------------------------------


def _validate_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("의견 내용을 입력해 주세요.")]})
    if len(body) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {
                "body": [
                    _("의견은 %(max)s자 이내로 입력해 주세요.") % {"max": f"{MAX_COMMENT_CHARS:,}"}
                ]
            }
        )
    return body


@transaction.atomic
def add_comment(
    *, post: Post, author: AbstractBaseUser, body: str, at: datetime | None = None
) -> Comment:
    """Add an opinion 추가의견 to an approved post. The commenter earns comment points unless
    it is their own post; the post's author is told. A double submit returns the first."""
    at = at or timezone.now()
    body = _validate_comment(body)
    if post.status != PostStatus.APPROVED:
        raise ValidationError(_("승인된 게시글에만 의견을 남길 수 있습니다."))
    recent = (
        Comment.objects.filter(
            post=post,
            author=author,
            body=body,
            removed_at__isnull=True,
            created_at__gte=at - DOUBLE_SUBMIT_WINDOW,
            created_at__lte=at,
        )  # fmt: skip
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent
    comment = Comment.objects.create(
        post=post, author=author, body=body, created_at=at, updated_at=at
    )
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    post.comment_count += 1
    if author.pk != post.author_id:
        activity_record(
            user=author,
            area=post.area,
            kind=ActivityKind.COMMENT,
            source_type=COMMENT_SOURCE,
            source_id=comment.pk,
            at=at,
        )
        _notify(
            recipient=post.author,
            verb="board.commented",
            title=_("내 게시글에 새 의견이 있습니다: %(title)s") % {"title": post.title},
            url=f"{post.get_absolute_url()}#comment-{comment.pk}",
            at=at,
        )
    return comment


@transaction.atomic
def edit_comment(
    *, comment: Comment, by: AbstractBaseUser, body: str, at: datetime | None = None
) -> Comment:
    """Change a comment's text (its points stay: it is the same opinion)."""
    at = at or timezone.now()
    body = _validate_comment(body)
    if comment.is_removed:
        raise ValidationError(_("삭제된 의견은 수정할 수 없습니다."))
    comment.body = body
    comment.updated_at = at
    comment.save(update_fields=["body", "updated_at"])
    return comment


@transaction.atomic
def remove_comment(
    *, comment: Comment, by: AbstractBaseUser, at: datetime | None = None
) -> Comment:
    """Remove a comment (kept as a row, hidden); its comment points are voided."""
    at = at or timezone.now()
    fresh = Comment.objects.select_for_update().get(pk=comment.pk)
    if fresh.is_removed:
        comment.removed_at, comment.removed_by_id = fresh.removed_at, fresh.removed_by_id
        return comment
    fresh.removed_at = at
    fresh.removed_by = by
    fresh.save(update_fields=["removed_at", "removed_by"])
    Post.objects.filter(pk=fresh.post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    activity_void(
        source_type=COMMENT_SOURCE,
        source_id=fresh.pk,
        kind=ActivityKind.COMMENT,
        reason=_("삭제된 의견"),
        at=at,
    )
    comment.removed_at, comment.removed_by = fresh.removed_at, by
    return comment


# --- views ---------------------------------------------------------------------------------


def record_view(
    *, post: Post, viewer: AbstractBaseUser, at: datetime | None = None
) -> PostView | None:
    """Record a knowledge view 지식조회: once per person per post (a database constraint),
    never for the author, only for approved posts. Returns the view, or None if none counts."""
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == post.author_id:
        return None
    if post.status != PostStatus.APPROVED:
        return None
    existing = PostView.objects.filter(post=post, viewer=viewer).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    try:
        with transaction.atomic():
            view = PostView.objects.create(post=post, viewer=viewer, viewed_at=at)
            Post.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
            post.view_count += 1  # the page being shown counts this view too
            activity_record(
                user=viewer,
                area=post.area,
                kind=ActivityKind.VIEW,
                source_type=POST_SOURCE,
                source_id=post.pk,
                at=at,
            )
    except IntegrityError:  # the same reader's other tab recorded it first
        return PostView.objects.get(post=post, viewer=viewer)
    return view
