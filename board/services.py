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
and raise ``common.errors.ServiceError`` with a Korean message and a code; *who* may act is
checked by callers through ``board.rules`` (``common.access``). A plain user with no staff profile works everywhere (미지정 부서).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from celery import current_app
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from common.cache import list_pop, list_push
from common.errors import ServiceError
from common.once import create_once
from common.queries import insert_new_rows
from notifications.services import notification_send
from org.files import check_upload, safe_original_name
from org.models import Department
from org.selectors import department_of
from scoring.models import ActivityKind
from scoring.services import NewActivity, activities_record, activity_record, activity_void

from . import tally, textsim
from .content import html_to_text, render_body
from .models import (
    Area,
    Attachment,
    Comment,
    KeyRebuild,
    Post,
    PostRevision,
    PostStatus,
    PostView,
)
from .rules import can_view_post
from .signals import post_status_changed

logger = logging.getLogger(__name__)

POST_SOURCE = "board.post"
COMMENT_SOURCE = "board.comment"
MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 50_000
MAX_COMMENT_CHARS = 2_000
# The same text sent twice within this window is one submission (a double click, a retry).
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


# --- helpers -------------------------------------------------------------------------------


def check_post(*, area: str, title: str, body: str) -> dict[str, str]:
    """What is wrong with a post's area, title and body, per field (empty when nothing):
    pure validation, apart from saving."""
    errors: dict[str, str] = {}
    if area not in Area.values:
        errors["area"] = _("알 수 없는 게시판 분야입니다.")
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = _("제목을 입력해 주세요.")
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = _("제목은 %(max)d자 이내로 입력해 주세요.") % {"max": MAX_TITLE_CHARS}
    if not body:
        errors["body"] = _("내용을 입력해 주세요.")
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = _(
            "내용이 너무 깁니다. %(max)s자 이내로 줄이거나 파일로 첨부해 주세요."
        ) % {"max": f"{MAX_BODY_CHARS:,}"}
    return errors


def _validate_post(*, area: str, title: str, body: str) -> tuple[str, str]:
    errors = check_post(area=area, title=title, body=body)
    if errors:
        # One error, every problem in its message, placed on the first field at fault.
        raise ServiceError(" ".join(errors.values()), code="invalid", field=next(iter(errors)))
    return title.strip(), body.strip()


def _fill_derived(post: Post) -> None:
    """Cleaned HTML, plain text and the two search keys, from title and body."""
    post.body_html = render_body(post.body)
    post.body_text = html_to_text(post.body_html)
    if not post.body_text:
        raise ServiceError(
            _("내용을 입력해 주세요. 스크립트 등 허용되지 않는 내용은 저장되지 않습니다."),
            code="empty_body",
            field="body",
        )
    post.normalized, post.title_key, post.search_grams = _keys(post.title, post.body_text)


def _keys(title: str, body_text: str) -> tuple[str, str, str]:
    """The post's stored search keys: (normalized, title_key, search_grams)."""
    return textsim.post_keys(title, body_text)


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


def _check_own(author_id: int, user: User) -> None:
    """A replayed token returns its row only to the person who sent it."""
    if author_id != user.pk:
        raise ServiceError(_("이미 처리된 요청입니다. 화면을 새로 고쳐 주세요."), code="token")


def _status_changed(
    post: Post,
    *,
    old_status: str,
    by: User | None,
    at: datetime,
    reason: str = "",
    original: Post | None = None,
) -> None:
    """Tell the apps above (``board.signals``), inside the caller's transaction."""
    post_status_changed.send(
        sender=Post,
        post=post,
        old_status=old_status,
        new_status=post.status,
        by=by,
        at=at,
        reason=reason,
        original=original,
    )


def _sync(target: Post, source: Post) -> None:
    """Copy the fresh state into the caller's instance, so it sees what happened."""
    for field in Post._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- posts ---------------------------------------------------------------------------------


@transaction.atomic
def post_submit(
    *,
    author: User,
    area: str,
    title: str,
    body: str,
    at: datetime | None = None,
    department: Department | None = None,
    draft: bool = False,
    attachments: Iterable[UploadedFile] = (),
    submission_token: uuid.UUID | None = None,
) -> Post:
    """Write a post 게시글 and submit it for approval (or keep it as a draft 임시저장).

    ``department`` overrides the author's current department (the snapshot kept on the post).
    The write form's ``submission_token`` makes a double submit store one post, even when
    both requests arrive together (``common.once``); without a token, sending the same title
    and body again within a minute returns the first post."""
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

    def create() -> Post:
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
            submission_token=submission_token,
        )
        _fill_derived(post)
        post.save()
        tally.post_changed(None, tally.state(post))
        for upload in attachments:
            attachment_add(post=post, upload=upload, by=author, at=at)
        if not draft:
            _record_proposal_submitted(post, at)
        return post

    post, _created = create_once(Post, submission_token, create)
    _check_own(post.author_id, author)
    return post


@transaction.atomic
def post_edit(
    *,
    post: Post,
    editor: User,
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
    before = tally.state(fresh)
    title, body = _validate_post(area=fresh.area, title=title, body=body)
    if fresh.duplicate_of_id is not None and editor.pk == fresh.author_id:
        raise ServiceError(_("중복으로 지정된 글은 수정할 수 없습니다."), code="duplicate")
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
    old_status = fresh.status
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
    tally.post_changed(before, tally.state(fresh))
    for attachment in remove_attachments:
        if attachment.post_id == fresh.pk:
            attachment_remove(attachment=attachment, by=editor, at=at)
    for upload in attachments:
        attachment_add(post=fresh, upload=upload, by=editor, at=at)
    if was_draft and fresh.status == PostStatus.SUBMITTED:
        _record_proposal_submitted(fresh, at)
    if fresh.status != old_status:
        _status_changed(fresh, old_status=old_status, by=editor, at=at)
    _sync(post, fresh)
    return post


@transaction.atomic
def post_approve(*, post: Post, reviewer: User, at: datetime | None = None) -> Post:
    """Approve 승인 a submitted (or earlier rejected) post: public to staff, approval points
    for the author unless it is marked a duplicate. Approving twice changes nothing."""
    at = at or timezone.now()
    fresh = _locked(post)
    if fresh.status == PostStatus.APPROVED:
        _sync(post, fresh)
        return post
    if fresh.status == PostStatus.DRAFT:
        raise ServiceError(_("임시저장 글은 승인할 수 없습니다."), code="draft")
    old_status = fresh.status
    before = tally.state(fresh)
    fresh.status = PostStatus.APPROVED
    fresh.reviewer = reviewer
    fresh.reviewed_at = at
    fresh.reject_reason = ""
    fresh.save(update_fields=["status", "reviewer", "reviewed_at", "reject_reason"])
    tally.post_changed(before, tally.state(fresh))
    if fresh.duplicate_of_id is None:
        activity_record(
            user=fresh.author,
            area=fresh.area,
            kind=ActivityKind.APPROVAL,
            source_type=POST_SOURCE,
            source_id=fresh.pk,
            at=at,
        )
    notification_send(
        recipient=fresh.author,
        verb="board.post_approved",
        title=_("게시글이 승인되었습니다: %(title)s") % {"title": fresh.title},
        url=fresh.get_absolute_url(),
        at=at,
    )
    _status_changed(fresh, old_status=old_status, by=reviewer, at=at)
    _sync(post, fresh)
    return post


@transaction.atomic
def post_reject(*, post: Post, reviewer: User, reason: str, at: datetime | None = None) -> Post:
    """Reject 반려 a post with a reason the author sees. Rejecting an approved post voids its
    approval points."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("반려 사유를 입력해 주세요."), code="reason_required", field="reason")
    fresh = _locked(post)
    if fresh.status == PostStatus.DRAFT:
        raise ServiceError(_("임시저장 글은 반려할 수 없습니다."), code="draft")
    old_status = fresh.status
    before = tally.state(fresh)
    fresh.status = PostStatus.REJECTED
    fresh.reviewer = reviewer
    fresh.reviewed_at = at
    fresh.reject_reason = reason
    fresh.save(update_fields=["status", "reviewer", "reviewed_at", "reject_reason"])
    tally.post_changed(before, tally.state(fresh))
    # Points from an earlier approval go, also when the post was sent back to 승인 대기 by an
    # edit after approval; voiding a post that never had them changes nothing.
    activity_void(
        source_type=POST_SOURCE,
        source_id=fresh.pk,
        kind=ActivityKind.APPROVAL,
        reason=_("승인 후 반려된 게시글"),
        at=at,
    )
    notification_send(
        recipient=fresh.author,
        verb="board.post_rejected",
        title=_("게시글이 반려되었습니다: %(title)s") % {"title": fresh.title},
        url=fresh.get_absolute_url(),
        at=at,
    )
    if old_status != fresh.status:
        _status_changed(fresh, old_status=old_status, by=reviewer, at=at, reason=reason)
    _sync(post, fresh)
    return post


@transaction.atomic
def post_mark_duplicate(
    *, post: Post, original: Post, reviewer: User, at: datetime | None = None
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
        raise ServiceError(
            _("자기 자신을 원글로 지정할 수 없습니다."), code="self_original", field="original"
        )
    if root.status == PostStatus.DRAFT:
        # A draft is its author's alone: it can never be shown to others as an original.
        raise ServiceError(
            _("임시저장 글은 원글로 지정할 수 없습니다."), code="original_draft", field="original"
        )
    if (root.created_at, root.pk) > (fresh.created_at, fresh.pk):
        raise ServiceError(
            _("원글은 이 글보다 먼저 작성된 글이어야 합니다."),
            code="later_original",
            field="original",
        )
    if fresh.duplicate_of_id == root.pk:  # marked already: nothing changes
        _sync(post, fresh)
        return post
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
    author = fresh.author
    if can_view_post.test(author, root):
        title = _(
            "게시글이 기존 게시글과 중복으로 지정되었습니다: %(title)s (원글: %(no)s번 %(original)s)"
        )
        url = root.get_absolute_url()
    else:  # the original is not public yet: name it only by its number
        title = _("게시글이 기존 게시글과 중복으로 지정되었습니다: %(title)s (원글: %(no)s번)")
        url = fresh.get_absolute_url()
    notification_send(
        recipient=author,
        verb="board.post_duplicate",
        title=title % {"title": fresh.title, "no": root.pk, "original": root.title},
        url=url,
        at=at,
    )
    _status_changed(fresh, old_status=fresh.status, by=reviewer, at=at, original=root)
    _sync(post, fresh)
    return post


# --- attachments ---------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, post: Post, upload: UploadedFile, by: User, at: datetime | None = None
) -> Attachment:
    """Attach a file after checking its content (see ``org.files``)."""
    at = at or timezone.now()
    name = safe_original_name(upload.name or "file")
    try:
        checked = check_upload(upload, name, upload.size or 0)
    except ValidationError as exc:
        raise ServiceError.from_validation(exc, code="upload") from exc
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
def attachment_remove(*, attachment: Attachment, by: User, at: datetime | None = None) -> None:
    """Remove an attachment; the file is deleted once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- comments ------------------------------------------------------------------------------


def _validate_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("의견 내용을 입력해 주세요."), code="empty", field="body")
    if len(body) > MAX_COMMENT_CHARS:
        raise ServiceError(
            _("의견은 %(max)s자 이내로 입력해 주세요.") % {"max": f"{MAX_COMMENT_CHARS:,}"},
            code="too_long",
            field="body",
        )
    return body


@transaction.atomic
def comment_add(
    *,
    post: Post,
    author: User,
    body: str,
    at: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> Comment:
    """Add an opinion 추가의견 to an approved post. The commenter earns comment points unless
    it is their own post; the post's author is told. A double submit returns the first: by
    the comment form's ``submission_token`` even when both arrive together
    (``common.once``), else by the same text within a minute."""
    at = at or timezone.now()
    body = _validate_comment(body)
    if post.status != PostStatus.APPROVED:
        raise ServiceError(_("승인된 게시글에만 의견을 남길 수 있습니다."), code="not_approved")
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

    def create() -> Comment:
        comment = Comment.objects.create(
            post=post,
            author=author,
            body=body,
            created_at=at,
            updated_at=at,
            submission_token=submission_token,
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        if author.pk != post.author_id:
            activity_record(
                user=author,
                area=post.area,
                kind=ActivityKind.COMMENT,
                source_type=COMMENT_SOURCE,
                source_id=comment.pk,
                at=at,
            )
            notification_send(
                recipient=post.author,
                verb="board.comment_added",
                title=_("내 게시글에 새 의견이 있습니다: %(title)s") % {"title": post.title},
                url=f"{post.get_absolute_url()}#comment-{comment.pk}",
                at=at,
            )
        return comment

    comment, created = create_once(Comment, submission_token, create)
    _check_own(comment.author_id, author)
    if created:
        post.comment_count += 1
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by: User, body: str, at: datetime | None = None) -> Comment:
    """Change a comment's text (its points stay: it is the same opinion)."""
    at = at or timezone.now()
    body = _validate_comment(body)
    if comment.is_removed:
        raise ServiceError(_("삭제된 의견은 수정할 수 없습니다."), code="removed")
    comment.body = body
    comment.updated_at = at
    comment.save(update_fields=["body", "updated_at"])
    return comment


@transaction.atomic
def comment_remove(*, comment: Comment, by: User, at: datetime | None = None) -> Comment:
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

# The Celery task that records one view (board.tasks); this module hands views to it by name
# and never imports the task module (tasks -> services, as notifications does).
VIEW_TASK = "board.post_view_record"
# While a reader's view of a post waits for the worker, reloading the page counts it on the
# page again but hands over no second job: one key per reader and post in the shared cache
# (``cache.add``: the first request sets it). It expires on its own, so a job the queue lost
# is handed over again by a later visit.
VIEW_QUEUED_KEY = "board:view-queued:{post}:{viewer}"
VIEW_QUEUED_SECONDS = 600
# With the cache on Redis, the views waiting for the worker: one list, drained by one job
# (board.tasks) in batches of VIEWS_BATCH, each "post viewer opened-at".
VIEWS_DRAIN_TASK = "board.post_views_drain"
VIEWS_PENDING = "board:views-pending"
VIEWS_BATCH = 200
# How long the first view waits for others before its drain job runs (seconds): a job per
# view when the list drains at once was most of the worker's time (the load test's first
# views: ~100 jobs a second).
VIEWS_DRAIN_DELAY = 1
VIEWS_NUDGE_KEY = "board:views-drain-nudge"
VIEWS_NUDGE_SECONDS = 60


def _view_counts(post: Post, viewer: User | AnonymousUser) -> bool:
    """The rules of a knowledge view that need no query: a person, not the author, an
    approved post."""
    return (
        isinstance(viewer, User)
        and viewer.pk != post.author_id
        and post.status == PostStatus.APPROVED
    )


def post_view_note(
    *,
    post: Post,
    viewer: User | AnonymousUser,
    seen: bool | None = None,
    at: datetime | None = None,
) -> bool:
    """The post page's side of a knowledge view 지식조회: it only reads. When this view counts
    (:func:`post_view_record`'s rules) the page's ``post.view_count`` includes it and the view
    is handed to a job (board.tasks) once the caller's transaction commits, at once when the
    caller runs outside one (the post page does: it only reads); a worker records it.

    ``seen``: whether the reader's view of the post is already recorded, when the caller read
    it with the post; else one EXISTS here. Returns whether this view counts now (a reload
    before the job ran counts again on the page but hands over no second job, see
    ``VIEW_QUEUED_KEY``; the job records it once)."""
    if not isinstance(viewer, User) or not _view_counts(post, viewer):
        return False
    if seen is None:
        seen = PostView.objects.filter(post=post, viewer_id=viewer.pk).exists()
    if seen:
        return False
    post.view_count += 1  # the page being shown counts this view too
    job = partial(_view_enqueue, post.pk, viewer.pk, at or timezone.now())
    # robust: a failing hand-over is logged, the page is still shown.
    transaction.on_commit(job, robust=True)
    return True


def _view_enqueue(post_id: int, viewer_id: int, at: datetime) -> None:
    """Hand the view to a worker; without a broker (tasks run eagerly) or with an unreachable
    one, record it in-process instead. With the cache on Redis (production), the view joins
    the list of pending views (``VIEWS_PENDING``) and the view that finds it empty hands over
    a drain job, which records the whole list in batches (:func:`post_views_drain`): one job
    and one transaction for many views, where each view was a job of its own."""
    if current_app.conf.task_always_eager:
        post_view_record_by_id(post_id=post_id, viewer_id=viewer_id, at=at)
        return
    queued = VIEW_QUEUED_KEY.format(post=post_id, viewer=viewer_id)
    if not cache.add(queued, 1, VIEW_QUEUED_SECONDS):
        return  # handed over already, not yet recorded
    pending: int | None = None
    try:
        pending = list_push(VIEWS_PENDING, f"{post_id} {viewer_id} {at.isoformat()}")
        if pending is None:  # no shared list: one job for this view
            # ignore_result: no subscription to a result nobody reads (board.tasks).
            current_app.send_task(
                VIEW_TASK, args=[post_id, viewer_id, at.isoformat()], ignore_result=True
            )
        elif pending == 1 or (
            pending > VIEWS_BATCH and cache.add(VIEWS_NUDGE_KEY, 1, VIEWS_NUDGE_SECONDS)
        ):
            # The list was empty: no drain job is on its way; it runs VIEWS_DRAIN_DELAY
            # later, with the views that came meanwhile. A list longer than a batch gets one
            # more job a VIEWS_NUDGE_SECONDS: the drain is behind, or was lost.
            current_app.send_task(VIEWS_DRAIN_TASK, countdown=VIEWS_DRAIN_DELAY, ignore_result=True)
    except Exception:  # the broker (or Redis) is down: the view still counts
        logger.warning("broker unavailable, recording the view of post %s in-process", post_id)
        if pending is None:
            post_view_record_by_id(post_id=post_id, viewer_id=viewer_id, at=at)
        else:  # this view and any others waiting: the list is empty again for the next
            post_views_drain()
        cache.delete(queued)


def post_views_drain() -> int:
    """The drain job's entry (board.tasks): record the pending views (``VIEWS_PENDING``), up
    to ``VIEWS_BATCH`` at a time, until the list is empty; returns how many were new. Each
    pending view is taken by one drain only (two drains running at once share the list), and
    recording one twice changes nothing. A view taken by a drain that dies before it commits
    is lost to that drain; its ``VIEW_QUEUED_KEY`` expires, and a later visit counts it."""
    recorded = 0
    while batch := list_pop(VIEWS_PENDING, VIEWS_BATCH):
        views = []
        for line in batch:
            post_id, viewer_id, at = line.split(" ", 2)
            views.append((int(post_id), int(viewer_id), datetime.fromisoformat(at)))
        recorded += post_views_record(views)
    return recorded


def post_views_record(views: Iterable[tuple[int, int, datetime]]) -> int:
    """Record many knowledge views at once, each (post id, viewer id, when opened), with the
    rules of :func:`post_view_record` (a post rejected or removed meanwhile, or the author's
    own view, records nothing; a reader's second view of a post neither): the posts and
    readers in two reads, the new views in one statement, their counts in one, then their
    ledger rows (scoring.activities_record: one statement, and the roll-ups once per reader
    and month), all in one transaction. Returns how many views were new."""
    first: dict[tuple[int, int], datetime] = {}
    for post_id, viewer_id, at in views:
        pair = (post_id, viewer_id)
        if pair not in first or at < first[pair]:
            first[pair] = at
    if not first:
        return 0
    posts = Post.objects.only("pk", "area", "author_id", "status").in_bulk({p for p, _ in first})
    # With the profiles: the ledger stamps each row with the reader's department.
    viewers = User.objects.select_related("staff_profile").in_bulk({v for _, v in first})
    counted = [
        (posts[p], viewers[v], at)
        for (p, v), at in first.items()
        if p in posts and v in viewers and _view_counts(posts[p], viewers[v])
    ]
    if not counted:
        return 0
    with transaction.atomic():
        new = insert_new_rows(
            PostView,
            [{"post_id": p.pk, "viewer_id": v.pk, "viewed_at": at} for p, v, at in counted],
            unique=("post_id", "viewer_id"),
        )
        per_post = Counter(post_id for post_id, _viewer_id in new)
        if per_post:
            added = Case(*(When(pk=p, then=Value(n)) for p, n in per_post.items()), default=0)
            Post.objects.filter(pk__in=per_post).update(view_count=F("view_count") + added)
        activities_record(
            [
                NewActivity(viewer, post.area, ActivityKind.VIEW, POST_SOURCE, post.pk, at)
                for post, viewer, at in counted
                if (post.pk, viewer.pk) in new
            ]
        )
    return len(new)


def post_view_record_by_id(
    *, post_id: int, viewer_id: int, at: datetime | None = None
) -> PostView | None:
    """The job's entry (board.tasks): :func:`post_view_record` on the rows as they are now (a
    post rejected or removed meanwhile records nothing). Safe to run twice."""
    post = (
        Post.objects.only("pk", "area", "author_id", "status", "view_count")
        .filter(pk=post_id)
        .first()
    )
    # With the profile: the ledger stamps the row with the reader's department.
    viewer = User.objects.select_related("staff_profile").filter(pk=viewer_id).first()
    if post is None or viewer is None:
        return None
    return post_view_record(post=post, viewer=viewer, at=at)


def post_view_record(
    *, post: Post, viewer: User | AnonymousUser, at: datetime | None = None
) -> PostView | None:
    """Record a knowledge view 지식조회: once per person per post (a database constraint),
    never for the author, only for approved posts. Returns the view, or None if none counts.
    ``at``: when the reader opened the page (the ledger's KST month is that one's)."""
    if not isinstance(viewer, User) or not _view_counts(post, viewer):
        return None
    existing = PostView.objects.filter(post=post, viewer=viewer).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    try:
        with transaction.atomic():
            view = PostView.objects.create(post=post, viewer=viewer, viewed_at=at)
            Post.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
            post.view_count += 1
            activity_record(
                user=viewer,
                area=post.area,
                kind=ActivityKind.VIEW,
                source_type=POST_SOURCE,
                source_id=post.pk,
                at=at,
            )
    except IntegrityError:  # the same reader's other tab (or job) recorded it first
        return PostView.objects.get(post=post, viewer=viewer)
    return view


# --- search keys ---------------------------------------------------------------------------

REBUILD_BATCH = 5_000
# A run rewriting most keys of a board this big sets the post table's secondary indexes and
# the word trigger aside while it writes, then builds them once (every rewritten row is a new
# row version with an entry in each of ~15 indexes: ~1 ms a row at 200,000 posts).
BULK_MIN_POSTS = 20_000
BULK_CHANGED_SHARE = 0.5
# What a bulk run sets aside: every index of board_post that backs no constraint (the
# primary key and unique ones stay; a foreign key needs no index on its own side), each
# recreated from its own definition, and, in its own transactions only, the trigger keeping
# board.SimilarityWord (migration 0013, paused by this setting). Reads keep working while the
# indexes are aside, by slower plans.
_SET_ASIDE_SQL = (
    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE i.indrelid = 'board_post'::regclass AND NOT i.indisprimary AND NOT i.indisunique "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
    "ORDER BY c.relname"
)
WORDS_PAUSED = "SET LOCAL board.simwords_paused = %s"
# While the trigger is paused, each batch puts its posts' words right itself, in the batch's
# own transaction, for the id range (lo, hi] it covers (the ranges of a run follow one
# another, the last one open-ended), while the next batch's keys are computed. A post whose
# words, in byte order (the order of the key: sorted code points), with its area and date,
# spell its key exactly is left alone (a rebuild giving the posts back the same nouns writes
# nothing); the others get their words deleted and inserted again, as the trigger does; the
# words of posts that no longer exist go too. (Earlier runs refilled the whole table by one
# difference after the last batch: 32 s at 200,000 posts, minutes into an empty table.)
_WORDS_DIFFERENCE = (
    "WITH have AS (SELECT s.object_id AS id, min(s.scope) AS scope, max(s.scope) AS scope2, "
    "min(s.at) AS at, max(s.at) AS at2, "
    "string_agg(s.word, ' ' ORDER BY s.word COLLATE \"C\") AS words "
    "FROM board_similarityword s WHERE s.source = 'board.post' "
    "AND s.object_id > %(lo)s AND s.object_id <= %(hi)s GROUP BY s.object_id), "
    "stale AS MATERIALIZED ("
    "SELECT coalesce(t.id, h.id) AS id, t.area, t.created_at, t.normalized, h.id AS had "
    "FROM (SELECT id, area, created_at, normalized FROM board_post "
    "WHERE id > %(lo)s AND id <= %(hi)s) t FULL JOIN have h ON h.id = t.id "
    "WHERE h.id IS NULL AND t.normalized <> '' OR t.id IS NULL "
    "OR h.id IS NOT NULL AND NOT (h.words = t.normalized AND h.scope = t.area "
    "AND h.scope2 = t.area AND h.at = t.created_at AND h.at2 = t.created_at)), "
    "gone AS (DELETE FROM board_similarityword s USING stale c "
    "WHERE c.had IS NOT NULL AND s.source = 'board.post' AND s.object_id = c.had "
    "AND s.object_id > %(lo)s AND s.object_id <= %(hi)s) "
    "INSERT INTO board_similarityword (source, object_id, scope, word, at) "
    "SELECT DISTINCT 'board.post', c.id, c.area, w, c.created_at "
    "FROM stale c, unnest(string_to_array(c.normalized, ' ')) AS w "
    "WHERE c.area IS NOT NULL AND w <> ''"
)
_LAST_ID = 2**63 - 1
# A 5,000-post batch's words (~80,000) are grouped and joined in memory.
_BATCH_WORK_MEM = "SET LOCAL work_mem = '64MB'"
# Index builds of the restore: sorted in memory, two workers each for a B-tree (a 2-core
# server; a GIN index is built by one process in PostgreSQL 15), without JIT compilation.
_RESTORE_SETTINGS = [
    "SET LOCAL maintenance_work_mem = '512MB'",
    "SET LOCAL work_mem = '256MB'",
    "SET LOCAL jit = off",
    "SET LOCAL max_parallel_maintenance_workers = 2",
]
# Statistics after the restore: the columns a rebuild changes only (the key columns and
# search_vector, generated from search_grams), while no index of board_post is on an
# expression (an expression index gets statistics only from a whole-table ANALYZE, and a
# rebuilt one has none); the other columns' statistics stay right. search_vector's statistics target is 1000
# (migration 0014), so even this samples every row, but a whole-table ANALYZE would also
# read and sort every body: 21.8 s against ~6 s at 200,000 posts. A column list leaves the
# table's count of changed rows as it is: autovacuum still analyses the whole table soon.
_ANALYZE_POSTS = "ANALYZE board_post (normalized, title_key, search_grams, search_vector)"
_ANALYZE_ALL_POSTS = "ANALYZE board_post"
_EXPRESSION_INDEXES = (
    "SELECT EXISTS (SELECT 1 FROM pg_index "
    "WHERE indrelid = 'board_post'::regclass AND indexprs IS NOT NULL)"
)
_ANALYZE_WORDS = "ANALYZE board_similarityword"
_SQL_SEPARATOR = ";\n"


def _keys_save(rows: list[tuple[int, str, str, str]]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE board_post p SET normalized = v.n, title_key = v.t, search_grams = v.g "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, n, t, g) "
                "WHERE p.id = v.id",
                [list(col) for col in zip(*rows, strict=True)],
            )
        return
    Post.objects.bulk_update(
        [Post(pk=pk, normalized=n, title_key=t, search_grams=g) for pk, n, t, g in rows],
        ["normalized", "title_key", "search_grams"],
    )


@transaction.atomic
def _suspend(run: KeyRebuild) -> None:
    """Set the post table's secondary indexes aside; what restores them is saved on the run
    in the same transaction (DDL is transactional on PostgreSQL), so a stop at any point
    leaves either the indexes in place or their restore on record."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(_SET_ASIDE_SQL)
        found = cur.fetchall()
        for name, _definition in found:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    run.suspended = _SQL_SEPARATOR.join(definition for _name, definition in found)
    run.save(update_fields=["suspended"])


def _if_not_exists(sql: str) -> str:
    for create in ("CREATE INDEX", "CREATE UNIQUE INDEX"):
        if sql.startswith(create + " ") and not sql.startswith(create + " IF"):
            return sql.replace(create, create + " IF NOT EXISTS", 1)
    return sql


def _timed(cur: CursorWrapper, sql: str) -> None:
    start = time.perf_counter()
    cur.execute(sql)
    logger.info("board_rebuild_keys: %.1f s %s", time.perf_counter() - start, sql[:90])


def _build(sql: str) -> None:
    """One restore statement in its own transaction, on this thread's connection."""
    try:
        with transaction.atomic(), connection.cursor() as cur:
            for setting in _RESTORE_SETTINGS:
                cur.execute(setting)
            _timed(cur, sql)
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def _restore(run: KeyRebuild) -> None:
    """Put back what :func:`_suspend` set aside, each index built once, in bulk.

    Outside a transaction the indexes are built two at a time on two connections, the
    biggest (the GIN search index, ~20 s at 200,000 posts, one process) beside all the
    others in turn, each committed on its own: a stop leaves the restore on the run and the
    next run builds what is missing (``IF NOT EXISTS``). Inside a transaction (a caller's
    atomic block, tests) they are built one after another on its connection."""
    if not run.suspended:
        return
    start = time.perf_counter()
    statements = [_if_not_exists(sql) for sql in run.suspended.split(_SQL_SEPARATOR)]
    # A refill recorded by an earlier version of this run goes first, on its own.
    first = [sql for sql in statements if not sql.startswith("CREATE ")]
    indexes = sorted(
        (sql for sql in statements if sql.startswith("CREATE ")),
        key=lambda sql: (" USING gin " not in sql, sql),
    )
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cur:
            for setting in _RESTORE_SETTINGS:
                cur.execute(setting)
            for sql in [*first, *indexes, _ANALYZE_WORDS]:
                _timed(cur, sql)
    else:
        for sql in first:
            _build(sql)
        biggest, *others = indexes or [""]
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="restore") as pool:
            beside = pool.submit(_build, biggest) if biggest else None
            for sql in [*others, _ANALYZE_WORDS]:
                _build(sql)
            if beside is not None:
                beside.result()
    run.suspended = ""
    run.save(update_fields=["suspended"])
    with connection.cursor() as cur:
        cur.execute(_EXPRESSION_INDEXES)
        (expressions,) = cur.fetchone() or (True,)
        _timed(cur, _ANALYZE_ALL_POSTS if expressions else _ANALYZE_POSTS)
    logger.info("board_rebuild_keys: restore %.1f s", time.perf_counter() - start)


def _posts_after(last_id: int, size: int) -> list[tuple[int, str, str, str, str, str]]:
    if size <= 0:
        return []
    return list(
        Post.objects.filter(pk__gt=last_id)
        .order_by("pk")
        .values_list("pk", "title", "body_text", "normalized", "title_key", "search_grams")[:size]
    )


def _changed_keys(
    posts: list[tuple[int, str, str, str, str, str]],
) -> list[tuple[int, str, str, str]]:
    """The batch's keys that differ from the stored ones (each distinct word analysed in one
    Kiwi call first). Pure Python: runs on a thread of its own while a batch is written."""
    textsim.analyse_words(w for p in posts for w in textsim.words_of(f"{p[1]} {p[2]}"))
    return [
        (pk, *keys)
        for pk, title, body, *stored in posts
        if (keys := _keys(title, body)) != tuple(stored)
    ]


@dataclass
class _BatchWrite:
    """One batch's keys, words and watermark, in one transaction on the calling thread's
    connection; committed only after the batch before it (``after``), so the watermark
    never passes a batch that is not written."""

    run_id: int
    rows: list[tuple[int, str, str, str]]
    lo: int
    hi: int
    last: int
    count: int
    suspended: bool
    after: Future[None] | None

    def run(self) -> None:
        try:
            with transaction.atomic():
                postgres = connection.vendor == "postgresql"
                if postgres:
                    # A batch lost to a crash loses its watermark with it (the same commit),
                    # so the resumed run redoes it: no need to wait for each commit's WAL flush.
                    with connection.cursor() as cur:
                        cur.execute("SET LOCAL synchronous_commit = off")
                if self.suspended:
                    with connection.cursor() as cur:
                        cur.execute(WORDS_PAUSED, ["on"])
                        cur.execute(_BATCH_WORK_MEM)
                        if self.rows:
                            _keys_save(self.rows)
                        cur.execute(_WORDS_DIFFERENCE, {"lo": self.lo, "hi": self.hi})
                        cur.execute(WORDS_PAUSED, ["off"])  # the transaction may be a savepoint
                elif self.rows:
                    _keys_save(self.rows)
                if self.after is not None:
                    self.after.result()  # its failure rolls this batch back too
                KeyRebuild.objects.filter(pk=self.run_id).update(
                    last_id=self.last, done=F("done") + self.count
                )
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()


def post_keys_rebuild(
    *,
    batch: int = REBUILD_BATCH,
    restart: bool = False,
    progress: Callable[[KeyRebuild, int], None] | None = None,
    limit: int | None = None,
    at: datetime | None = None,
    bulk: bool | None = None,
) -> KeyRebuild:
    """Recompute every post's search keys (duplicate keys ``normalized`` and ``title_key``,
    and the keyword-search key) the way a post being saved gets them, for a board of any size.

    Posts go in id order, ``batch`` at a time, each batch in its own transaction with the
    run's id watermark (:class:`KeyRebuild`): a run that was stopped resumes after the last
    batch it committed; ``restart`` starts a new run from the first post. ``limit`` stops
    after that many posts (the run stays unfinished, to be resumed). Each batch's distinct
    words are analysed in one Kiwi call and remembered (``textsim.analyse_words``); the next
    batch's keys are computed on a second thread while a batch is written (Python on one
    core, the database on the other); outside a transaction two batches are written at once
    on two connections, each committed after the one before it.

    Only changed keys are written. When most of a big board's keys change (``bulk=None``:
    decided on the first batch; True/False forces it), the run sets the post table's secondary
    indexes (all but the primary key and the unique ones) and the word trigger aside, puts
    each batch's words right itself, and builds the indexes once at the end; a stopped run
    keeps them aside (searches and lists still work, by slower plans) and puts them back when
    it is resumed, or restarted, and ends."""
    at = at or timezone.now()
    previous = KeyRebuild.objects.filter(finished_at__isnull=True).first()
    run = None if restart else previous
    if run is None:
        run = KeyRebuild.objects.create(
            started_at=at,
            total=Post.objects.count(),
            # A restarted run inherits what a stopped one set aside (it must be put back).
            suspended=previous.suspended if previous is not None else "",
        )
        if previous is not None and previous.suspended:
            previous.suspended = ""
            previous.save(update_fields=["suspended"])
    postgres = connection.vendor == "postgresql"
    decide = bulk is None and postgres and not run.suspended
    if bulk and postgres and not run.suspended:
        _suspend(run)

    def size_after(count: int) -> int:
        return batch if limit is None else min(batch, limit - count)

    processed = 0
    waited = 0.0  # waiting for keys still being computed
    started = time.perf_counter()
    # Outside a transaction two batches are written at once, each on its own connection (the
    # database is the slower side: ~4 s a 5,000-post batch, its keys ~1 s); inside one (tests,
    # a caller's atomic block) this connection writes them in turn.
    writers = 2 if postgres and not connection.in_atomic_block else 0
    in_flight: deque[tuple[Future[None], int]] = deque()

    def settle(keep: int) -> None:
        nonlocal processed
        while len(in_flight) > keep:
            written, count = in_flight.popleft()
            written.result()
            processed += count
            if progress is not None:
                run.refresh_from_db(fields=["last_id", "done"])
                progress(run, processed)

    posts = _posts_after(run.last_id, size_after(0))
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="keys") as pool,
        ThreadPoolExecutor(max_workers=max(writers, 1), thread_name_prefix="write") as write,
    ):
        pending = pool.submit(_changed_keys, posts) if posts else None
        read = 0
        lo = run.last_id
        while pending is not None:
            wait = time.perf_counter()
            rows = pending.result()
            waited += time.perf_counter() - wait
            read += len(posts)
            # Read the next batch and have its keys computed while this one is written.
            upcoming = _posts_after(posts[-1][0], size_after(read))
            pending = pool.submit(_changed_keys, upcoming) if upcoming else None
            if decide:
                decide = False
                remaining = run.total - run.done
                if remaining >= BULK_MIN_POSTS and len(rows) >= BULK_CHANGED_SHARE * len(posts):
                    _suspend(run)
            last = posts[-1][0]
            ending = not upcoming and (limit is None or read < limit)
            batch_write = _BatchWrite(
                run_id=run.pk,
                rows=rows,
                lo=lo,
                hi=_LAST_ID if ending else last,
                last=last,
                count=len(posts),
                suspended=bool(run.suspended),
                after=in_flight[-1][0] if in_flight else None,
            )
            lo = last
            if writers:
                in_flight.append((write.submit(batch_write.run), len(posts)))
                settle(keep=writers - 1)
            else:
                batch_write.run()
                processed += len(posts)
                if progress is not None:
                    run.refresh_from_db(fields=["last_id", "done"])
                    progress(run, processed)
            posts = upcoming
        settle(keep=0)
    run.refresh_from_db()
    if processed:
        logger.info(
            "board_rebuild_keys: %d posts written in %.1f s (%.1f s waiting for keys)",
            processed,
            time.perf_counter() - started,
            waited,
        )
    if limit is None or processed < limit:  # no post left after the last batch
        _restore(run)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run
