"""The 지식나눔 board: posts in four areas, comments 추가의견, views 지식조회, attachments,
the revision history of each post.

Invariants live in the database: one scored view per person per post, one revision number
per post, a rejected post has a reason, a post is never a duplicate of itself.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The four areas of SPEC §1; the codes are also the scoring ledger's area codes."""

    PROPOSAL = "proposal", _("창의제안")
    CLUB = "club", _("학습동아리")
    WORKSHARING = "worksharing", _("업무나눔터")
    DOCS = "docs", _("자료공유")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("임시저장")
    SUBMITTED = "submitted", _("승인 대기")
    APPROVED = "approved", _("승인")
    REJECTED = "rejected", _("반려")


class Post(models.Model):
    """A board post 게시글. ``department`` is a snapshot of the author's department when the
    post was written, so a later transfer does not move old posts between departments."""

    Status = PostStatus

    area = models.CharField(_("분야"), max_length=20, choices=Area.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_posts",
        verbose_name=_("작성자"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_posts",
        verbose_name=_("부서"),
    )
    title = models.CharField(_("제목"), max_length=200)
    # What the author typed (Markdown, or HTML inside Markdown); only ever shown escaped.
    body = models.TextField(_("내용"))
    # The rendered body, cleaned with nh3 on the way in: the only body rendered as HTML.
    body_html = models.TextField(_("내용(HTML)"), blank=True, editable=False)
    # Plain text of the body, for keyword search and excerpts.
    body_text = models.TextField(_("내용(텍스트)"), blank=True, editable=False)
    # Nouns of the title, then of the body (textsim.normalize_post): a duplicate search key.
    normalized = models.TextField(_("정규화 텍스트"), blank=True, editable=False)
    # Nouns of the title alone (textsim.normalize): the other duplicate search key.
    title_key = models.TextField(_("정규화 제목"), blank=True, editable=False)
    # Distinct character bigrams of title and body: the index key of Korean keyword search.
    search_grams = models.TextField(_("검색 색인"), blank=True, editable=False)

    status = models.CharField(
        _("상태"), max_length=20, choices=PostStatus.choices, default=PostStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_reviewed_posts",
        verbose_name=_("검토자"),
    )
    reviewed_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    reject_reason = models.TextField(_("반려 사유"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("중복 원글"),
    )
    duplicate_marked_at = models.DateTimeField(_("중복 지정 일시"), null=True, blank=True)
    duplicate_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("중복 지정자"),
    )

    # Counters kept by the services, so list pages never count millions of rows.
    view_count = models.PositiveIntegerField(_("조회수"), default=0)
    comment_count = models.PositiveIntegerField(_("의견 수"), default=0)

    created_at = models.DateTimeField(_("작성 일시"))
    updated_at = models.DateTimeField(_("수정 일시"))
    # The write form's one-time token (common.once): two identical POSTs store one post.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("게시글")
        verbose_name_plural = _("게시글")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PostStatus.REJECTED) | ~Q(reject_reason=""),
                name="board_post_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("id")),
                name="board_post_not_duplicate_of_itself",
            ),
            models.CheckConstraint(
                condition=Q(area__in=[a.value for a in Area]), name="board_post_area_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["area", "-created_at"], name="board_post_area_recent"),
            models.Index(fields=["status", "submitted_at"], name="board_post_queue"),
            models.Index(fields=["author", "-created_at"], name="board_post_author"),
            # The search page across every area walks the newest posts first.
            models.Index(fields=["-created_at", "-id"], name="board_post_recent"),
            # The list sorted by views or comments walks these, newest first among equals.
            models.Index(
                fields=["area", "-view_count", "-created_at"], name="board_post_area_views"
            ),
            models.Index(
                fields=["area", "-comment_count", "-created_at"], name="board_post_area_comments"
            ),
        ]
        # Created by migrations, outside Meta because they differ per database:
        # - 0003 (PostgreSQL only): pg_trgm GIN on ``normalized``, full-text GIN on
        #   ``search_grams``; 0006: pg_trgm GIN on ``title_key``;
        # - 0005 ``board_post_visible`` on (area, status, author): on PostgreSQL it also
        #   INCLUDEs department and created_at, so the list page's count (visible = approved
        #   or own, with department and period filters) is an index-only scan (13 ms instead
        #   of 500 ms at 200,000 posts); SQLite has no INCLUDE.

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:post_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == PostStatus.APPROVED


class PostRevision(models.Model):
    """One saved version of a post, written before every edit: the history is never lost."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("게시글")
    )
    number = models.PositiveIntegerField(_("판 번호"))
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("내용"))
    status = models.CharField(_("당시 상태"), max_length=20, choices=PostStatus.choices)
    reject_reason = models.TextField(_("당시 반려 사유"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("수정자"),
    )
    edited_at = models.DateTimeField(_("수정 일시"))

    class Meta:
        ordering = ["post", "-number"]
        verbose_name = _("게시글 수정 이력")
        verbose_name_plural = _("게시글 수정 이력")
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="board_revision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} #{self.number}"


class Comment(models.Model):
    """An added opinion 추가의견. A removed comment stays as a row (its points are voided)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("게시글")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_comments",
        verbose_name=_("작성자"),
    )
    body = models.TextField(_("의견"), max_length=2000)
    created_at = models.DateTimeField(_("작성 일시"))
    updated_at = models.DateTimeField(_("수정 일시"))
    removed_at = models.DateTimeField(_("삭제 일시"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("삭제자"),
    )
    # The comment form's one-time token (common.once): a double submit stores one comment.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("추가의견")
        verbose_name_plural = _("추가의견")
        indexes = [models.Index(fields=["post", "created_at"], name="board_comment_post")]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class PostView(models.Model):
    """A knowledge view 지식조회: one row per reader per post (never the author)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="views", verbose_name=_("게시글")
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="board_views",
        verbose_name=_("조회자"),
    )
    viewed_at = models.DateTimeField(_("조회 일시"))

    class Meta:
        verbose_name = _("지식조회")
        verbose_name_plural = _("지식조회")
        constraints = [
            models.UniqueConstraint(fields=["post", "viewer"], name="board_view_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.post_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is never the user's: it can't collide or traverse, and is not guessable.
    return f"board/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class Attachment(models.Model):
    """A file attached to a post, checked by content; served only by a permission-checking view."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("게시글")
    )
    file = models.FileField(_("파일"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("파일명"), max_length=255)
    kind = models.CharField(_("형식"), max_length=10)  # pdf, hwp, hwpx, docx, ... (by content)
    content_type = models.CharField(_("콘텐츠 형식"), max_length=100)
    size = models.PositiveBigIntegerField(_("크기(바이트)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("올린 사람"),
    )
    uploaded_at = models.DateTimeField(_("올린 일시"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("첨부파일")
        verbose_name_plural = _("첨부파일")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("board:attachment_download", args=[self.pk])


class KeyRebuild(models.Model):
    """One run of ``manage.py board_rebuild_keys``: how far it got, by post id, so a run that
    was stopped resumes where it stopped (the latest unfinished run is continued)."""

    started_at = models.DateTimeField(_("시작 일시"))
    finished_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)
    last_id = models.BigIntegerField(_("처리한 마지막 게시글 번호"), default=0)
    total = models.PositiveIntegerField(_("대상 게시글 수"), default=0)
    done = models.PositiveIntegerField(_("처리한 게시글 수"), default=0)
    # A rebuild of most keys sets the search index and the word trigger aside while it writes
    # (board.services.post_keys_rebuild): the SQL that puts them back, kept until it has run,
    # so a stopped run restores them when it is resumed.
    suspended = models.TextField(_("복원할 색인"), blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("중복 검색 키 재계산")
        verbose_name_plural = _("중복 검색 키 재계산")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.done}/{self.total})"


class SimilarityWord(models.Model):
    """One noun of a text's duplicate key (``board.textsim.normalize``), the index of the
    duplicate lookup of board posts and proposals (``board.textsim.similar_ids``).

    Kept by the database: PostgreSQL triggers on ``board_post`` and ``proposals_proposal``
    rewrite a row's words whenever its key changes (migration 0013), so no write path can
    forget them. The lookup walks the newest ``SIMILAR_WORD_WALK`` texts of each noun of the
    draft through ``board_simword_walk``: its cost is bounded by the draft, not the board."""

    source = models.CharField(_("원본 종류"), max_length=30)  # "board.post", "proposals.proposal"
    object_id = models.BigIntegerField(_("원본 번호"))
    # A part of the source walked on its own (a post's area; empty for proposals).
    scope = models.CharField(_("범위"), max_length=20, blank=True)
    word = models.TextField(_("명사"))
    at = models.DateTimeField(_("작성 일시"))

    class Meta:
        verbose_name = _("중복 검색 명사")
        verbose_name_plural = _("중복 검색 명사")
        indexes = [
            models.Index(
                fields=["source", "scope", "word", "-at"],
                include=["object_id"],
                name="board_simword_walk",
            ),
            # The triggers' DELETE by (source, object_id). Led by object_id so it never looks
            # like a way to read a whole source (with stale statistics the planner took the
            # old (source, object_id) index for a lookup's walk: 7 s instead of 10 ms).
            models.Index(fields=["object_id", "source"], name="board_simword_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.word}"


class MonthlyTally(models.Model):
    """The admin dashboard's summary of the board (``programme.selectors.board_figures``): per
    area, Asia/Seoul month and post department (the post's snapshot; NULL without one),

    - ``registered``: posts submitted in the month (drafts don't count),
    - ``registered_approved``: how many of those are approved now,
    - ``approvals``: posts whose approval 승인 일자 (``reviewed_at``) falls in the month.

    Kept by ``board.services``' writes in their transaction (``board.tally``);
    ``manage.py board_rebuild_tally`` recomputes it from the posts (after a bulk import).
    ``department`` has no database constraint: a deleted department's cells simply name
    nobody (its posts move to NULL; the rebuild moves their counts)."""

    area = models.CharField(_("분야"), max_length=20, choices=Area.choices)
    month = models.DateField(_("월"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("부서"),
    )
    registered = models.IntegerField(_("등록"), default=0)
    registered_approved = models.IntegerField(_("등록 중 승인"), default=0)
    approvals = models.IntegerField(_("승인 (승인 일자)"), default=0)

    class Meta:
        verbose_name = _("월별 게시글 집계")
        verbose_name_plural = _("월별 게시글 집계")
        constraints = [
            # One cell per (month, area, department), NULL department included (an
            # expression rather than NULLS NOT DISTINCT, which SQLite lacks).
            models.UniqueConstraint(
                F("month"), F("area"), Coalesce("department", 0), name="board_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area} {self.department_id}: {self.registered}"
