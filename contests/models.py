"""Committees 심사위원회, rounds 심사 회차 with stages and rubrics, score sheets, recusal,
results, awards 시상 and the prize budget ledger 포상금 원장.

Entries are generic: the apps that feed a round (proposals, clubs, the contests themselves)
give a ``source_type`` and ``source_id``; this app never imports them.
"""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department, display_name

from .calculations import GRADE_ORDER, Grade, seat_active

__all__ = ["GRADE_ORDER", "Grade"]  # the grade vocabulary every app imports from here


class CommitteeKind(models.TextChoices):
    WORKING_PANEL = "working_panel", _("실무평가단")
    PROMOTION_BOARD = "promotion_board", _("창의구정추진단")
    REVIEW_COMMITTEE = "review_committee", _("구민창안심사위원회")


class Committee(models.Model):
    """A committee. One per kind in practice; the name is what the office calls it."""

    kind = models.CharField(_("구분"), max_length=20, choices=CommitteeKind.choices)
    name = models.CharField(_("위원회명"), max_length=50, unique=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("심사위원회")
        verbose_name_plural = _("심사위원회")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("위원장")
    VICE_CHAIR = "vice_chair", _("부위원장")
    MEMBER = "member", _("위원")


class MemberKind(models.TextChoices):
    EX_OFFICIO = "ex_officio", _("당연직")
    APPOINTED = "appointed", _("위촉직")


class CommitteeMember(models.Model):
    """A seat on a committee. Appointed members serve a 2-year term (renewable: a new row);
    ex officio members sit while they hold the post (no end date)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("위원회")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("위원"),
    )
    role = models.CharField(
        _("직책"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    kind = models.CharField(
        _("구분"), max_length=20, choices=MemberKind.choices, default=MemberKind.EX_OFFICIO
    )
    term_start = models.DateField(_("임기 시작"))
    term_end = models.DateField(_("임기 종료"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "id"]
        verbose_name = _("위원")
        verbose_name_plural = _("위원")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user", "term_start"],
                name="contests_member_once_per_term",
                violation_error_message=_("같은 위원이 같은 임기 시작일로 이미 등록되어 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="contests_member_term_ordered",
                violation_error_message=_("임기 종료일이 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="appointed") | Q(term_end__isnull=False),
                name="contests_member_appointed_has_term_end",
                violation_error_message=_("위촉직 위원은 임기 종료일(2년)이 있어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_role_display()} {self.user}"

    def is_active_on(self, day: date) -> bool:
        return seat_active(self.term_start, self.term_end, day)


class RoundKind(models.TextChoices):
    HALF_YEAR_PROPOSALS = "half_year_proposals", _("반기 제안 심사")
    THEME_PROPOSALS = "theme_proposals", _("맞춤형 테마제안 심사")
    BEST_PRACTICE = "best_practice", _("창의행정 우수사례 경진대회")
    POLICY_CONTEST = "policy_contest", _("구민정책제안 콘테스트")
    CLUB_REVIEW = "club_review", _("학습동아리 성과 심사")


class Round(models.Model):
    """A round 심사 회차: stages in order, award quotas, entries."""

    kind = models.CharField(_("구분"), max_length=30, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("연도"))
    title = models.CharField(_("제목"), max_length=200)
    starts_on = models.DateField(_("시작일"), null=True, blank=True)
    ends_on = models.DateField(_("종료일"), null=True, blank=True)
    blind = models.BooleanField(
        _("블라인드 심사"),
        default=False,
        help_text=_("심사 화면에서 제안자 이름과 부서를 숨깁니다."),
    )
    drop_extremes = models.BooleanField(
        _("최고·최저점 제외"),
        default=False,
        help_text=_("위원이 3명 이상일 때 평균에서 제외합니다."),
    )
    # Points on the 100-point scale; members further apart than this are flagged.
    disagreement_threshold = models.PositiveSmallIntegerField(_("편차 경고 기준(점)"), default=20)
    confirmed_at = models.DateTimeField(_("수상 확정 일시"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("확정자"),
    )
    created_at = models.DateTimeField(_("생성 일시"))

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("심사 회차")
        verbose_name_plural = _("심사 회차")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="contests_round_dates_ordered",
                violation_error_message=_("종료일이 시작일보다 빠를 수 없습니다."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class StageStatus(models.TextChoices):
    PENDING = "pending", _("대기")
    OPEN = "open", _("심사 중")
    CLOSED = "closed", _("마감")


class Stage(models.Model):
    """One screening step of a round (1차 심사, 본선, 발표 심사), scored by one committee."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="stages", verbose_name=_("회차")
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    name = models.CharField(_("단계명"), max_length=100)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="stages", verbose_name=_("심사위원회")
    )
    # None: every entry goes on (or this is the final stage, graded by the award quotas).
    advance_count = models.PositiveSmallIntegerField(_("다음 단계 진출 수"), null=True, blank=True)
    status = models.CharField(
        _("상태"), max_length=10, choices=StageStatus.choices, default=StageStatus.PENDING
    )
    opened_at = models.DateTimeField(_("개시 일시"), null=True, blank=True)
    closed_at = models.DateTimeField(_("마감 일시"), null=True, blank=True)

    class Meta:
        ordering = ["round", "order"]
        verbose_name = _("심사 단계")
        verbose_name_plural = _("심사 단계")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "order"],
                name="contests_stage_order_unique",
                violation_error_message=_("같은 순서의 심사 단계가 이미 있습니다."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.order}. {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status == StageStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == StageStatus.CLOSED


DEFAULT_CRITERIA: tuple[tuple[str, int, int], ...] = (
    # name, weight, max score: the office's usual rubric, editable per stage.
    ("창의성", 30, 30),
    ("실시가능성", 20, 20),
    ("효과성·경제성", 20, 20),
    ("적용범위", 15, 15),
    ("노력도", 15, 15),
)


class Criterion(models.Model):
    """A rubric line 평가항목: a weight and the maximum a member may give."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("단계")
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    name = models.CharField(_("평가항목"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("가중치"))
    max_score = models.PositiveSmallIntegerField(_("배점"))

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("평가항목")
        verbose_name_plural = _("평가항목")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "name"],
                name="contests_criterion_unique",
                violation_error_message=_("같은 이름의 평가항목이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="contests_criterion_max_pos",
                violation_error_message=_("배점은 1점 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="contests_criterion_weight_pos",
                violation_error_message=_("가중치는 1 이상이어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_score})"


class AwardQuota(models.Model):
    """How many awards of a grade a round gives, the prize and the performance points."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("회차")
    )
    grade = models.CharField(_("등급"), max_length=10, choices=Grade.choices)
    count = models.PositiveSmallIntegerField(_("인원"))
    prize_won = models.PositiveIntegerField(_("상금(원)"))
    performance_points = models.DecimalField(
        _("성과포인트"), max_digits=3, decimal_places=1, default=0
    )

    class Meta:
        ordering = ["round", "grade"]
        verbose_name = _("시상 기준")
        verbose_name_plural = _("시상 기준")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "grade"],
                name="contests_quota_unique",
                violation_error_message=_("같은 등급의 시상 기준이 이미 있습니다."),
            )
        ]

    def __str__(self) -> str:
        return _("%(grade)s %(count)s명 × %(prize)s원") % {
            "grade": self.get_grade_display(),
            "count": self.count,
            "prize": f"{self.prize_won:,}",
        }


CASE_SOURCE = "contests.case"  # a department's best-practice case; source_id = department id


def entry_file_path(instance: "Entry", filename: str) -> str:
    """Uploads are stored under a random name (a person's name in a file name must not reach
    the disk or a backup); the name the user gave is kept in ``Entry.file_name``."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"contests/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


class Entry(models.Model):
    """A generic entry 출품작: a proposal, a club, a department's best-practice case or a
    resident's policy proposal, named by ``source_type`` + ``source_id``."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="entries", verbose_name=_("회차")
    )
    title = models.CharField(_("제목"), max_length=200)
    summary = models.TextField(_("요지"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("제안자(직원)"),
    )
    owner_name = models.CharField(_("제안자 이름"), max_length=100, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
        verbose_name=_("부서"),
    )
    file = models.FileField(_("첨부파일"), upload_to=entry_file_path, blank=True)
    file_name = models.CharField(_("원래 파일 이름"), max_length=255, blank=True)
    source_type = models.CharField(_("출처 종류"), max_length=40)
    source_id = models.BigIntegerField(_("출처 번호"))
    created_at = models.DateTimeField(_("등록 일시"))

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("출품작")
        verbose_name_plural = _("출품작")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "source_type", "source_id"], name="contests_entry_once_per_source"
            )
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="contests_entry_source")]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.owner is not None:
            return display_name(self.owner)
        return self.owner_name


class StageEntry(models.Model):
    """An entry taking part in a stage (all entries in the first; the advancing ones later)."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="stage_entries", verbose_name=_("단계")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="stage_entries", verbose_name=_("출품작")
    )

    class Meta:
        verbose_name = _("단계별 심사 대상")
        verbose_name_plural = _("단계별 심사 대상")
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="contests_stage_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stage} · {self.entry}"


class Assignment(models.Model):
    """An entry given to a committee member to score in a stage."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("단계")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("출품작")
    )
    member = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("위원"),
    )

    class Meta:
        ordering = ["stage", "entry", "member"]
        verbose_name = _("심사 배정")
        verbose_name_plural = _("심사 배정")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "member"], name="contests_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.entry}"


class Recusal(models.Model):
    """A member stepping aside 회피 from an entry: automatic (own department, own entry) or
    declared by hand with a reason."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("단계")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("출품작")
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("위원")
    )
    automatic = models.BooleanField(_("자동 회피"), default=False)
    reason = models.CharField(_("사유"), max_length=200)
    created_at = models.DateTimeField(_("일시"))

    class Meta:
        verbose_name = _("회피")
        verbose_name_plural = _("회피")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "member"], name="contests_recusal_unique"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="contests_recusal_has_reason",
                violation_error_message=_("회피 사유를 입력하세요."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(member)s 회피 %(entry)s") % {"member": self.member, "entry": self.entry}


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("임시 저장")
    SUBMITTED = "submitted", _("제출")


class ScoreSheet(models.Model):
    """One member's score sheet 심사표 for one entry in one stage."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("단계")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("출품작")
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("위원")
    )
    status = models.CharField(
        _("상태"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    comment = models.TextField(_("종합 의견"), blank=True)
    updated_at = models.DateTimeField(_("수정 일시"))
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("심사표")
        verbose_name_plural = _("심사표")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "member"], name="contests_sheet_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.entry} ({self.get_status_display()})"


class Score(models.Model):
    """A score for one criterion on a sheet, 0..max (checked by the service against the
    criterion's maximum, and here against zero)."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("심사표")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("평가항목")
    )
    value = models.PositiveSmallIntegerField(_("점수"))
    comment = models.CharField(_("의견"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("점수")
        verbose_name_plural = _("점수")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="contests_score_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contests_score_not_negative",
                violation_error_message=_("점수는 0점 이상이어야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Result(models.Model):
    """An entry's computed result in a closed stage: mean of the members' weighted totals
    (0–100), rank, whether it advances, and in the final stage its proposed grade."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="results", verbose_name=_("단계")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="results", verbose_name=_("출품작")
    )
    mean = models.DecimalField(_("평균"), max_digits=6, decimal_places=2, null=True)
    sheet_count = models.PositiveSmallIntegerField(_("심사 위원 수"), default=0)
    rank = models.PositiveSmallIntegerField(_("순위"), null=True)
    disagreement = models.BooleanField(_("편차 큼"), default=False)
    advances = models.BooleanField(_("다음 단계 진출"), default=False)
    grade = models.CharField(_("등급(안)"), max_length=10, choices=Grade.choices, blank=True)
    tie = models.BooleanField(_("동점 결정 필요"), default=False)
    computed_at = models.DateTimeField(_("산출 일시"))

    class Meta:
        ordering = ["stage", "rank", "entry"]
        verbose_name = _("심사 결과")
        verbose_name_plural = _("심사 결과")
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="contests_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.mean} ({self.rank})"


class Award(models.Model):
    """An award 시상: the grade an entry won in a round, its prize and performance points."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="awards", verbose_name=_("회차")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="awards", verbose_name=_("출품작")
    )
    grade = models.CharField(_("등급"), max_length=10, choices=Grade.choices)
    prize_won = models.PositiveIntegerField(_("상금(원)"))
    performance_points = models.DecimalField(
        _("성과포인트"), max_digits=3, decimal_places=1, default=0
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("확정자"),
    )
    confirmed_at = models.DateTimeField(_("확정 일시"))

    class Meta:
        ordering = ["round", "grade", "id"]
        verbose_name = _("시상")
        verbose_name_plural = _("시상")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="contests_award_once_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.entry}"


class AwardRecipient(models.Model):
    """Who receives an award: a staff member, or a resident / club by name."""

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("시상")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_awards",
        verbose_name=_("직원"),
    )
    name = models.CharField(_("이름"), max_length=100)

    class Meta:
        verbose_name = _("수상자")
        verbose_name_plural = _("수상자")

    def __str__(self) -> str:
        return self.name


class PrizeBudget(models.Model):
    """The year's prize budget 예산 in won."""

    year = models.PositiveSmallIntegerField(_("연도"), unique=True)
    amount_won = models.PositiveBigIntegerField(_("예산(원)"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("포상 예산")
        verbose_name_plural = _("포상 예산")

    def __str__(self) -> str:
        return _("%(year)s %(amount)s원") % {"year": self.year, "amount": f"{self.amount_won:,}"}


class PrizePayment(models.Model):
    """One prize paid from the year's budget: a contest award, a proposal or club prize,
    a 창의왕 gift certificate. ``recipient_key`` makes recording idempotent per source and
    recipient, whether the recipient is a user or only a name."""

    year = models.PositiveSmallIntegerField(_("연도"), db_index=True)
    amount_won = models.PositiveIntegerField(_("금액(원)"))
    title = models.CharField(_("내역"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prize_payments",
        verbose_name=_("수령자(직원)"),
    )
    recipient_name = models.CharField(_("수령자 이름"), max_length=100, blank=True)
    recipient_key = models.CharField(max_length=120, editable=False)
    source_type = models.CharField(_("출처 종류"), max_length=40)
    source_id = models.BigIntegerField(_("출처 번호"))
    paid_at = models.DateTimeField(_("지급 일시"))

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("포상금 지급")
        verbose_name_plural = _("포상금 지급 원장")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "recipient_key"],
                name="contests_prize_once_per_source_recipient",
            ),
            models.CheckConstraint(condition=Q(amount_won__gt=0), name="contests_prize_positive"),
        ]

    def __str__(self) -> str:
        return _("%(title)s %(amount)s원") % {"title": self.title, "amount": f"{self.amount_won:,}"}


class AuditAction(models.TextChoices):
    SCORE_SAVED = "score_saved", _("점수 저장")
    SCORE_SUBMITTED = "score_submitted", _("점수 제출")
    RECUSED = "recused", _("회피")
    STAGE_OPENED = "stage_opened", _("단계 개시")
    STAGE_CLOSED = "stage_closed", _("단계 마감")
    RESULT_COMPUTED = "result_computed", _("결과 산출")
    ADVANCED = "advanced", _("다음 단계 진출")
    AWARD_CONFIRMED = "award_confirmed", _("수상 확정")
    PRIZE_RECORDED = "prize_recorded", _("포상금 기록")
    STAGE_REOPENED = "stage_reopened", _("단계 재개")
    CASE_REPLACED = "case_replaced", _("사례 교체")


class AuditEntry(models.Model):
    """Who changed a score, result or award, when, and the values before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("회차"),
    )
    action = models.CharField(_("작업"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("대상"), max_length=40)
    object_id = models.BigIntegerField(_("대상 번호"))
    before = models.JSONField(_("변경 전"), null=True, blank=True)
    after = models.JSONField(_("변경 후"), null=True, blank=True)
    at = models.DateTimeField(_("일시"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class CaseContact(models.Model):
    """The person a department designates to file its best-practice case 우수사례 담당자
    (the department's head may always file too)."""

    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        related_name="case_contact",
        verbose_name=_("부서"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_contacts",
        verbose_name=_("담당자"),
    )

    class Meta:
        verbose_name = _("우수사례 담당자")
        verbose_name_plural = _("우수사례 담당자")

    def __str__(self) -> str:
        return f"{self.department} · {display_name(self.user)}"
