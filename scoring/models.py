"""The 창의왕 points ledger: one row per scoring activity, voided but never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from org.models import UNASSIGNED_LABEL, Department, display_name


class ActivityKind(models.TextChoices):
    APPROVAL = "approval", _("승인")
    COMMENT = "comment", _("추가의견")
    VIEW = "view", _("지식조회")
    # Worth 0 points; a proposal submitted in the quarter makes its author eligible.
    PROPOSAL_SUBMITTED = "proposal_submitted", _("제안 제출")


class Activity(models.Model):
    """One scoring event. ``area`` is a board area code; ``source`` names what caused it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scoring_activities",
        verbose_name=_("직원"),
    )
    area = models.CharField(_("분야"), max_length=20)
    kind = models.CharField(_("활동"), max_length=20, choices=ActivityKind.choices)
    source_type = models.CharField(_("출처 종류"), max_length=40)
    source_id = models.BigIntegerField(_("출처 번호"))
    occurred_at = models.DateTimeField(_("일시"), db_index=True)
    # The Asia/Seoul calendar month (its first day) and the points of the year's table, stored
    # when recorded so roll-ups and voids need no lookup; a recompute rewrites both.
    month = models.DateField(_("월"))
    points = models.DecimalField(_("점수"), max_digits=5, decimal_places=1, default=0)
    voided_at = models.DateTimeField(_("무효 처리 일시"), null=True, blank=True)
    void_reason = models.CharField(_("무효 사유"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("점수 활동")
        verbose_name_plural = _("점수 활동 원장")
        constraints = [
            # Recording is idempotent: one row per person, kind and source (one scored view
            # per person per post, one approval per post, one row per comment).
            models.UniqueConstraint(
                fields=["user", "kind", "source_type", "source_id"],
                condition=Q(voided_at__isnull=True),
                name="scoring_activity_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, void_reason="")
                | Q(voided_at__isnull=False) & ~Q(void_reason=""),
                name="scoring_activity_void_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="scoring_act_source"),
            models.Index(fields=["user", "month"], name="scoring_act_user_month"),
            models.Index(fields=["month"], name="scoring_act_month"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.area} {self.occurred_at:%Y-%m-%d}"

    @property
    def area_label(self) -> str:
        return str(dict(AREA_CHOICES).get(self.area, self.area))


AREA_CHOICES = [
    ("proposal", _("창의제안")),
    ("club", _("학습동아리")),
    ("worksharing", _("업무나눔터")),
    ("docs", _("자료공유")),
]
POINT_KINDS = [
    (ActivityKind.APPROVAL.value, ActivityKind.APPROVAL.label),
    (ActivityKind.COMMENT.value, ActivityKind.COMMENT.label),
    (ActivityKind.VIEW.value, ActivityKind.VIEW.label),
]
CAP_KINDS = [
    (ActivityKind.COMMENT.value, ActivityKind.COMMENT.label),
    (ActivityKind.VIEW.value, ActivityKind.VIEW.label),
]


def _points_field(verbose: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=9, decimal_places=1, default=0)


class PointRule(models.Model):
    """Points per event for one year × area × kind (the 2016 table is seeded).

    A year without its own rows uses the latest earlier year's table."""

    year = models.PositiveSmallIntegerField(_("연도"))
    area = models.CharField(_("분야"), max_length=20, choices=AREA_CHOICES)
    kind = models.CharField(_("활동"), max_length=20, choices=POINT_KINDS)
    points = models.DecimalField(_("점수"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-year", "area", "kind"]
        verbose_name = _("점수 기준")
        verbose_name_plural = _("점수 기준")
        constraints = [
            models.UniqueConstraint(fields=["year", "area", "kind"], name="scoring_rule_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="scoring_rule_points_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_area_display()} {self.get_kind_display()} {self.points}"


class MonthlyCap(models.Model):
    """A monthly cap per person over all areas (comments 40, views 20 in 2016)."""

    year = models.PositiveSmallIntegerField(_("연도"))
    kind = models.CharField(_("활동"), max_length=20, choices=CAP_KINDS)
    cap = models.DecimalField(_("월 상한"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("월 상한")
        verbose_name_plural = _("월 상한")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="scoring_cap_once"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="scoring_cap_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} ≤ {self.cap}"


class UserMonth(models.Model):
    """Roll-up: one person's uncapped live points in one Asia/Seoul month. Maintained by the
    ledger services in the same transaction as the ledger row; rebuilt by a recompute.

    ``department`` is the person's department when they last earned in the month (taken from
    their profile by the recording service), so department rankings count points where they
    were earned even after a transfer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("월"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("부서(당시)"),
    )
    approval_points = _points_field(_("승인"))
    comment_points = _points_field(_("추가의견"))
    view_points = _points_field(_("지식조회"))
    approvals = models.IntegerField(_("승인 건수"), default=0)
    proposals = models.IntegerField(_("제안 제출"), default=0)

    class Meta:
        verbose_name = _("월별 점수 집계")
        verbose_name_plural = _("월별 점수 집계")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="scoring_usermonth_once")
        ]
        indexes = [
            models.Index(fields=["month", "department"], name="scoring_um_month_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.month:%Y-%m}"


class _PeriodPoints(models.Model):
    """The point columns a roll-up row holds for one person and one period: comment and view
    already capped per calendar month, ``total`` their sum with approvals, ``proposals`` the
    창의제안 submitted (eligibility)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("연도"))
    approval_points = _points_field(_("승인"))
    comment_points = _points_field(_("추가의견(상한 적용)"))
    view_points = _points_field(_("지식조회(상한 적용)"))
    total = _points_field(_("합계"))
    proposals = models.IntegerField(_("제안 제출"), default=0)

    class Meta:
        abstract = True


class UserQuarter(_PeriodPoints):
    """Roll-up: one person's quarter, comment and view already capped per month. The
    leaderboard and 내 점수 read this (one indexed row per person), never the raw ledger."""

    quarter = models.PositiveSmallIntegerField(_("분기"))

    class Meta:
        verbose_name = _("분기 점수 집계")
        verbose_name_plural = _("분기 점수 집계")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "year", "quarter"], name="scoring_userquarter_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "quarter", "-total", "-approval_points", "user"],
                name="scoring_uq_order",
                # The ranking reads the whole quarter in this order from the index alone.
                include=["comment_points", "view_points", "proposals"],
            ),  # fmt: skip
            # A half-year or a year adds each person's quarters: read in person order from
            # the index alone (no table visit, no hash of 200,000 rows).
            models.Index(
                fields=["year", "user"],
                include=[
                    "quarter",
                    "total",
                    "approval_points",
                    "comment_points",
                    "view_points",
                    "proposals",
                ],
                name="scoring_uq_year_user",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year}Q{self.quarter} {self.total}"


class UserYear(_PeriodPoints):
    """Roll-up: one person's half-year (``half`` 1 or 2) or whole year (``half`` 0), the sums
    of their quarters (comment and view already capped per month). Maintained with the
    quarter in the same transaction; rebuilt with it. A half-year or a year ranking reads
    one indexed row per person in rank order, as a quarter does."""

    YEAR = 0  # ``half`` of the whole-year row

    half = models.PositiveSmallIntegerField(_("반기 (0 = 연간)"))

    class Meta:
        verbose_name = _("반기·연간 점수 집계")
        verbose_name_plural = _("반기·연간 점수 집계")
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "half"], name="scoring_useryear_once"),
            models.CheckConstraint(
                condition=models.Q(half__in=[0, 1, 2]), name="scoring_useryear_half"
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "half", "-total", "-approval_points", "user"],
                name="scoring_uy_order",
                include=["comment_points", "view_points", "proposals"],
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year}H{self.half} {self.total}"


class QuarterRound(models.Model):
    """The quarterly 창의왕 round: a frozen snapshot of the ranking (the official record)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("후보 제안")
        CONFIRMED = "confirmed", _("확정")

    year = models.PositiveSmallIntegerField(_("연도"))
    quarter = models.PositiveSmallIntegerField(_("분기"))
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    computed_at = models.DateTimeField(_("집계 일시"))
    confirmed_at = models.DateTimeField(_("확정 일시"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("확정자"),
    )
    # A tie at the last prize place (RoundEntry.tied) is the office's decision: the admin
    # picks among the tied people or awards them all, with a reason, before confirming.
    tie_settled_at = models.DateTimeField(_("동점 결정 일시"), null=True, blank=True)
    tie_settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("동점 결정자"),
    )
    tie_reason = models.CharField(_("동점 결정 사유"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("창의왕 분기 선정")
        verbose_name_plural = _("창의왕 분기 선정")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="scoring_round_once"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="scoring_round_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(year)s년 %(quarter)s분기 창의왕") % {"year": self.year, "quarter": self.quarter}
        )

    @property
    def tie_open(self) -> bool:
        """A tie at the last prize place the office has not decided yet (one query)."""
        return self.tie_settled_at is None and self.entries.filter(tied=True).exists()


class RoundEntry(models.Model):
    """One person's line in a frozen round, with the department as it was then."""

    round = models.ForeignKey(QuarterRound, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("직원")
    )
    position = models.PositiveIntegerField(_("순서"))
    department = models.CharField(_("부서"), max_length=100, blank=True)
    approval_points = _points_field(_("승인"))
    comment_points = _points_field(_("추가의견"))
    view_points = _points_field(_("지식조회"))
    total = _points_field(_("합계"))
    eligible = models.BooleanField(_("대상"))
    rank = models.PositiveIntegerField(_("순위"), null=True, blank=True)
    tied = models.BooleanField(_("시상 경계 동점"), default=False)

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("선정 집계 항목")
        verbose_name_plural = _("선정 집계 항목")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="scoring_entry_once"),
            models.UniqueConstraint(fields=["round", "position"], name="scoring_entry_position"),
            models.CheckConstraint(
                condition=Q(eligible=True) | Q(rank__isnull=True),
                name="scoring_entry_rank_only_eligible",
            ),
            models.CheckConstraint(
                condition=Q(tied=False) | Q(eligible=True),
                name="scoring_entry_tied_only_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.position}: {self.user_id}"

    @property
    def label(self) -> str:
        """이름 (부서), with the department the round froze."""
        return f"{display_name(self.user)} ({self.department or UNASSIGNED_LABEL})"


class RoundWinner(models.Model):
    """A 창의왕 of a round: proposed by the round, confirmed or replaced (with a reason)."""

    PRIZE_WON = 50_000  # a 50,000 won gift certificate 상품권

    round = models.ForeignKey(QuarterRound, on_delete=models.CASCADE, related_name="winners")
    place = models.PositiveSmallIntegerField(_("순번"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("직원")
    )
    active = models.BooleanField(_("유효"), default=True)
    replaced_reason = models.CharField(_("교체 사유"), max_length=300, blank=True)
    replaced_at = models.DateTimeField(_("교체 일시"), null=True, blank=True)
    prize_won = models.PositiveIntegerField(_("시상금(원)"), default=PRIZE_WON)
    notified_at = models.DateTimeField(_("통보 일시"), null=True, blank=True)
    prize_recorded_at = models.DateTimeField(_("시상 기록 일시"), null=True, blank=True)

    class Meta:
        ordering = ["round", "place", "-active"]
        verbose_name = _("창의왕")
        verbose_name_plural = _("창의왕")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "place"], condition=Q(active=True), name="scoring_winner_place"
            ),
            models.UniqueConstraint(
                fields=["round", "user"], condition=Q(active=True), name="scoring_winner_once"
            ),
            models.CheckConstraint(
                condition=Q(active=True) | ~Q(replaced_reason=""),
                name="scoring_winner_replaced_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.place}: {self.user}"


class RoundEvent(models.Model):
    """The round's audit log: computed, recomputed, winner replaced, confirmed."""

    class Action(models.TextChoices):
        COMPUTED = "computed", _("집계")
        RECOMPUTED = "recomputed", _("재집계")
        REPLACED = "replaced", _("창의왕 교체")
        TIE_SETTLED = "tie_settled", _("동점 결정")
        CONFIRMED = "confirmed", _("확정")

    round = models.ForeignKey(QuarterRound, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("작업"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    at = models.DateTimeField(_("일시"))
    note = models.TextField(_("내용"), blank=True)

    class Meta:
        ordering = ["round", "at", "id"]
        verbose_name = _("선정 기록")
        verbose_name_plural = _("선정 기록")

    def __str__(self) -> str:
        return f"{self.round} {self.get_action_display()} {self.at:%Y-%m-%d}"


class RuleRecompute(models.Model):
    """Log of recomputes of a year's ledger points and roll-ups (after a rule or cap edit)."""

    year = models.PositiveSmallIntegerField(_("연도"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    at = models.DateTimeField(_("일시"))
    rows = models.PositiveIntegerField(_("원장 행 수"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("점수 재계산 기록")
        verbose_name_plural = _("점수 재계산 기록")

    def __str__(self) -> str:
        return f"{self.year} {self.at:%Y-%m-%d %H:%M}"
