"""창의제안: staff and resident proposals, their history, theme rounds, benchmarking cases."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Grade
from org.models import Department

from .calculations import STATUS_LABELS, Status

# The 15 동 of Jung-gu, for the resident's 거주 동; people from elsewhere may propose too.
DONGS: tuple[str, ...] = (
    "소공동", "회현동", "명동", "필동", "장충동", "광희동", "을지로동", "신당동",
    "다산동", "약수동", "청구동", "신당5동", "동화동", "황학동", "중림동",
)  # fmt: skip
OTHER_DONG = "중구 외"


class ProposerKind(models.TextChoices):
    RESIDENT = "resident", _("구민")
    STAFF = "staff", _("직원")


class Channel(models.TextChoices):
    WEB = "web", _("홈페이지")
    EPEOPLE = "epeople", _("국민신문고")
    MAIL = "mail", _("우편")
    VISIT_OFFICE = "visit_office", _("방문(구청)")
    VISIT_DONG = "visit_dong", _("방문(주민센터)")
    BOARD = "board", _("지식나눔 게시판")  # staff proposals


class ProposalStatus(models.TextChoices):
    RECEIVED = Status.RECEIVED, STATUS_LABELS[Status.RECEIVED]
    REVIEWING = Status.REVIEWING, STATUS_LABELS[Status.REVIEWING]
    SUPPLEMENT = Status.SUPPLEMENT, STATUS_LABELS[Status.SUPPLEMENT]
    RECOMMENDED = Status.RECOMMENDED, STATUS_LABELS[Status.RECOMMENDED]
    JUDGING = Status.JUDGING, STATUS_LABELS[Status.JUDGING]
    ADOPTED = Status.ADOPTED, STATUS_LABELS[Status.ADOPTED]
    REJECTED = Status.REJECTED, STATUS_LABELS[Status.REJECTED]
    AWARDED = Status.AWARDED, STATUS_LABELS[Status.AWARDED]
    IMPLEMENTED = Status.IMPLEMENTED, STATUS_LABELS[Status.IMPLEMENTED]


class LinkKind(models.TextChoices):
    DUPLICATE = "duplicate", _("중복 제안 (먼저 접수된 제안 우선)")
    SAME_IDEA = "same_idea", _("같은 제안의 다른 경로 접수")


def attachment_path(instance: models.Model, filename: str) -> str:
    """Uploads are stored under a random name (``proposals/2016/<hex>.pdf``): a stored file
    name never carries the person's name; the original name is kept in ``attachment_name``."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"proposals/{timezone.localdate().year}/{uuid.uuid4().hex}{suffix}"


class ReceiptCounter(models.Model):
    """The last receipt sequence per year and kind; locked row by row to stay race-safe."""

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="proposals_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.kind}: {self.last}"


class Proposal(models.Model):
    """A proposal 제안 from a resident (any channel) or a staff member (a 창의제안 board post)."""

    receipt_number = models.CharField(_("접수번호"), max_length=20, unique=True)
    kind = models.CharField(_("제안자 구분"), max_length=10, choices=ProposerKind.choices)
    channel = models.CharField(_("접수 경로"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("접수일시"), db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("대리 접수 직원"),
    )
    title = models.CharField(_("제목"), max_length=200)
    current_problem = models.TextField(_("현황 및 문제점"), blank=True)
    content = models.TextField(_("제안 내용"))
    expected_effect = models.TextField(_("기대효과"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("소관 부서"),
    )
    theme_task = models.ForeignKey(
        "ThemeTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("테마 과제"),
    )
    # Staff proposals: the author and the 창의제안 board post (approval and points live there).
    post = models.OneToOneField(
        "board.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("게시글"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("제안 직원"),
    )
    # Residents' personal data (개인정보): masked in lists, blanked on anonymization.
    proposer_name = models.CharField(_("성명"), max_length=50, blank=True)
    phone = models.CharField(_("휴대전화"), max_length=20, blank=True)
    email = models.EmailField(_("전자우편"), blank=True)
    dong = models.CharField(_("거주 동"), max_length=20, blank=True)
    consent_version = models.CharField(_("동의 안내문 판"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("동의 일시"), null=True, blank=True)
    retain_until = models.DateField(_("개인정보 보유기한"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("익명 처리 일시"), null=True, blank=True)
    attachment = models.FileField(_("첨부파일"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("첨부파일 이름"), max_length=200, blank=True)

    # The resident's choice at submission: may the idea be shown on the public page of
    # adopted proposals (채택 제안) once adopted? Not unless they said yes.
    publish_if_adopted = models.BooleanField(_("채택 시 공개 동의"), default=False)
    # One form, one proposal: the public form's one-time token (common.once).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    status = models.CharField(
        _("상태"), max_length=20, choices=ProposalStatus.choices, default=Status.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("상태 변경 일시"))
    answer = models.TextField(_("처리 결과 안내"), blank=True)
    # The processing clock (처리기한 1개월): days paused by 보완요청, and an open pause.
    paused_days = models.PositiveIntegerField(_("보완 기간(일)"), default=0)
    paused_since = models.DateField(_("보완요청일"), null=True, blank=True)
    decided_at = models.DateTimeField(_("검토 결과 일시"), null=True, blank=True)
    # Implementation 실시: planned, actual, and why late.
    planned_on = models.DateField(_("실시 예정일"), null=True, blank=True)
    implemented_on = models.DateField(_("실시일"), null=True, blank=True)
    delay_reason = models.TextField(_("지연 사유"), blank=True)

    # Duplicates: the later proposal points to the earlier one, which keeps the priority.
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked",
        verbose_name=_("우선 제안"),
    )
    link_kind = models.CharField(
        _("연결 구분"), max_length=20, choices=LinkKind.choices, blank=True
    )
    normalized_text = models.TextField(blank=True, editable=False)
    # The duplicate check at intake: the most similar earlier (or adopted) proposal, if any.
    similar_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("유사 제안"),
    )
    similar_score = models.FloatField(_("유사도"), null=True, blank=True)

    evaluation = models.ForeignKey(
        "Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("심사"),
    )
    grade = models.CharField(_("등급"), max_length=20, blank=True, choices=Grade.choices)
    prize_won = models.PositiveIntegerField(_("시상금(원)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("제안")
        verbose_name_plural = _("제안")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ProposerKind.STAFF) | Q(author__isnull=False),
                name="proposals_staff_has_author",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProposerKind.RESIDENT)
                | (~Q(consent_version="") & Q(consented_at__isnull=False)),
                name="proposals_resident_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(linked_to=F("id")), name="proposals_not_linked_to_self"
            ),
            models.CheckConstraint(
                condition=Q(linked_to__isnull=True, link_kind="")
                | Q(linked_to__isnull=False) & ~Q(link_kind=""),
                name="proposals_link_has_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="proposals_kind_status"),
            # The admin list's filters, each in the list's order (newest first, id as the
            # tie-breaker) and covering the other two filters: a page's ids and the capped
            # count come from the index alone, whatever the combination (issue 14: a filtered
            # page 100 went from 110 ms to 1 ms of SQL, its count from 75 ms to 2 ms).
            models.Index(
                fields=["status", "-received_at", "-id"],
                include=["kind", "channel"],
                name="proposals_status_recent",
            ),
            models.Index(
                fields=["kind", "-received_at", "-id"],
                include=["status", "channel"],
                name="proposals_kind_recent",
            ),
            models.Index(
                fields=["channel", "-received_at", "-id"],
                include=["kind", "status"],
                name="proposals_channel_recent",
            ),
            # the unfiltered list's order
            models.Index(fields=["-received_at", "-id"], name="proposals_recent"),
            # The open queue (접수·검토중), a few hundred rows among 200,000: the overdue banner.
            models.Index(
                fields=["received_at", "id"],
                name="proposals_open_received",
                condition=Q(status__in=["received", "reviewing"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.title}"

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)

    @property
    def is_resident(self) -> bool:
        return self.kind == ProposerKind.RESIDENT


class ProposalEvent(models.Model):
    """One step of the lifecycle: who, when, why (이력)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True, choices=ProposalStatus.choices)
    to_status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("일시"))
    reason = models.TextField(_("사유"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("제안 처리 이력")
        verbose_name_plural = _("제안 처리 이력")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.from_status}→{self.to_status} {self.at:%Y-%m-%d}"


class PersonalDataAccess(models.Model):
    """Every full view or export of residents' personal data (개인정보 열람·반출 기록).

    An append-only log, written in bulk (an export of 133,000 residents' proposals logs
    133,000 rows in one ``INSERT … SELECT``), so its two references carry no database
    foreign-key constraint: PostgreSQL checked them row by row in a trigger, more than the
    insert itself (issue 14). Django still applies ``on_delete`` (PROTECT for the actor,
    SET_NULL for the proposal), the export selects its proposal ids from the proposals
    table itself, and ``subject`` keeps whose data it was as text either way."""

    class Action(models.TextChoices):
        VIEW = "view", _("열람")
        EXPORT = "export", _("내려받기")
        ATTACHMENT = "attachment", _("첨부파일 열람")
        ANONYMIZE = "anonymize", _("익명 처리")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
        db_constraint=False,
    )
    at = models.DateTimeField(_("일시"))
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("제안"),
        db_constraint=False,
    )
    # Whose data, as text, so the record survives anonymization and deletion.
    subject = models.CharField(_("정보주체"), max_length=200)
    action = models.CharField(_("처리 내용"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("상세"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("개인정보 접근 기록")
        verbose_name_plural = _("개인정보 접근 기록")
        indexes = [
            # The log page's order. An export logs 133,000 rows at one instant: on ``at``
            # alone the newest 200 meant sorting all of them by id (1.9 s, issue 14).
            models.Index(fields=["-at", "-id"], name="proposals_access_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject} {self.action}"


class ThemeRound(models.Model):
    """맞춤형 테마제안: a round opened in April or October; departments post tasks."""

    title = models.CharField(_("회차명"), max_length=100)
    opens_on = models.DateField(_("시작일"))
    closes_on = models.DateField(_("마감일"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("테마제안 회차")
        verbose_name_plural = _("테마제안 회차")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="proposals_theme_dates"
            ),
            models.UniqueConstraint(fields=["title"], name="proposals_theme_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on


class ThemeTask(models.Model):
    """A department's strategic task 전략과제 in a theme round."""

    round = models.ForeignKey(ThemeRound, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("과제명"), max_length=200)
    description = models.TextField(_("과제 설명"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "department__name", "id"]
        verbose_name = _("테마 과제")
        verbose_name_plural = _("테마 과제")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department", "title"], name="proposals_task_unique"
            )
        ]

    def __str__(self) -> str:
        return f"[{self.department}] {self.title}"


class BenchmarkCase(models.Model):
    """벤치마킹 업무개선: another agency's or an overseas policy, reviewed by a department."""

    class Source(models.TextChoices):
        PRESS = "press", _("언론 보도")
        STUDY_TRIP = "study_trip", _("연수·견학")
        OTHER = "other", _("기타")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("검토 요청")
        APPLICABLE = "applicable", _("적용 가능")
        NOT_APPLICABLE = "not_applicable", _("적용 불가")
        ADOPTED = "adopted", _("도입")
        IMPLEMENTED = "implemented", _("실시")

    title = models.CharField(_("제목"), max_length=200)
    origin = models.CharField(_("기관·국가"), max_length=100)
    summary = models.TextField(_("정책 내용"))
    source = models.CharField(_("출처"), max_length=20, choices=Source.choices)
    link = models.URLField(_("링크"), blank=True)
    source_date = models.DateField(_("보도·견학일"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("검토 부서")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("등록일시"))
    state = models.CharField(
        _("상태"), max_length=20, choices=State.choices, default=State.ASSIGNED
    )
    review_reason = models.TextField(_("검토 의견"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("검토일시"), null=True, blank=True)
    adopted_on = models.DateField(_("도입일"), null=True, blank=True)
    implemented_on = models.DateField(_("실시일"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("벤치마킹 사례")
        verbose_name_plural = _("벤치마킹 사례")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="assigned") | ~Q(review_reason=""),
                name="proposals_benchmark_review_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


# A 벤치마킹 case's transition table: from a state, the states it may move to. The service
# follows it; the admin shows the state read-only.
BENCHMARK_NEXT: dict[str, frozenset[str]] = {
    BenchmarkCase.State.ASSIGNED: frozenset(
        {BenchmarkCase.State.APPLICABLE, BenchmarkCase.State.NOT_APPLICABLE}
    ),
    BenchmarkCase.State.APPLICABLE: frozenset(
        {BenchmarkCase.State.ADOPTED, BenchmarkCase.State.NOT_APPLICABLE}
    ),
    BenchmarkCase.State.ADOPTED: frozenset({BenchmarkCase.State.IMPLEMENTED}),
    BenchmarkCase.State.NOT_APPLICABLE: frozenset(),
    BenchmarkCase.State.IMPLEMENTED: frozenset(),
}


class Evaluation(models.Model):
    """A half-yearly (or theme) evaluation handed to the contests app as a round."""

    class Kind(models.TextChoices):
        HALF_YEAR = "half_year", _("반기 제안 심사")
        THEME = "theme", _("테마제안 심사")

    title = models.CharField(_("심사명"), max_length=100, unique=True)
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices)
    period_start = models.DateField(_("수집 시작일"))
    period_end = models.DateField(_("수집 종료일"))
    theme_round = models.OneToOneField(
        ThemeRound, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluation"
    )
    contests_round_id = models.BigIntegerField(_("심사 회차 번호"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField()
    results_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end"]
        verbose_name = _("제안 심사")
        verbose_name_plural = _("제안 심사")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="proposals_eval_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class HistoricalStatistic(models.Model):
    """Figures from before the portal (SPEC §3: 2014–2015). half 0 = the whole year only."""

    year = models.PositiveSmallIntegerField(_("연도"))
    half = models.PositiveSmallIntegerField(_("반기"))
    total = models.PositiveIntegerField(_("제안 수"))
    residents = models.PositiveIntegerField(_("구민 제안"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("직원 제안"), null=True, blank=True)
    grand = models.PositiveIntegerField(_("최우수"), null=True, blank=True)
    excellent = models.PositiveIntegerField(_("우수"), null=True, blank=True)
    merit = models.PositiveIntegerField(_("장려"), null=True, blank=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    class Meta:
        ordering = ["year", "half"]
        verbose_name = _("제안 통계 (과거)")
        verbose_name_plural = _("제안 통계 (과거)")
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="proposals_hist_unique"),
            models.CheckConstraint(condition=Q(half__in=[0, 1, 2]), name="proposals_hist_half"),
            models.CheckConstraint(
                condition=Q(residents__isnull=True)
                | Q(staff__isnull=True)
                | Q(total=F("residents") + F("staff")),
                name="proposals_hist_sum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.half}: {self.total}"


class MonthlyTally(models.Model):
    """The statistics page's summary: proposals per month (Asia/Seoul), proposer kind and
    channel (``grade`` blank), and awards per grade (``grade`` set). Kept by the services
    that receive a proposal or give it a grade; ``services.statistics_tally_rebuild``
    recomputes it from the proposals (after a bulk import)."""

    month = models.DateField(_("월"))
    kind = models.CharField(max_length=10, choices=ProposerKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    grade = models.CharField(max_length=20, blank=True, choices=Grade.choices)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("월별 제안 집계")
        verbose_name_plural = _("월별 제안 집계")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "channel", "grade"], name="proposals_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.channel} {self.grade}: {self.n}"
