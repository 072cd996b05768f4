"""The year at a glance: the year plan 연간 추진 일정 and the log of scheduled jobs. (The
figures of the years before the portal are the proposals app's ``HistoricalStatistic``.)"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.periods import MONTHS


def validate_months(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("추진 월을 하나 이상 고르세요."))
    if any(not isinstance(m, int) or m not in MONTHS for m in value):
        raise ValidationError(_("추진 월은 1월부터 12월 사이여야 합니다."))


class PlanYear(models.Model):
    """One year's plan 창의구정 추진 계획; admins keep one per year."""

    year = models.PositiveSmallIntegerField(
        _("연도"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("계획명"), max_length=100, blank=True)
    budget_thousand_won = models.PositiveIntegerField(
        _("예산(천원)"), null=True, blank=True, help_text=_("운영비, 보상금, 시상금, 사업비 합계")
    )
    note = models.TextField(_("비고"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("연간 추진 계획")
        verbose_name_plural = _("연간 추진 계획")

    def __str__(self) -> str:
        return self.title or f"{self.year}년 창의구정 추진 계획"


class PlanActivity(models.Model):
    """A line of the plan's schedule table: an activity and the months it runs in.

    ``code`` names the activities the portal acts on (e.g. ``knowledge_day`` drives the home
    page banner); activities an admin adds for information may leave it empty."""

    plan = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="activities", verbose_name=_("계획")
    )
    code = models.SlugField(_("코드"), max_length=40, blank=True)
    name = models.CharField(_("추진 사항"), max_length=100)
    months = models.JSONField(_("추진 월"), validators=[validate_months])
    note = models.CharField(_("비고"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("추진 일정")
        verbose_name_plural = _("추진 일정")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], condition=~Q(code=""), name="programme_activity_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    RUNNING = "running", _("실행 중")
    DONE = "done", _("완료")
    FAILED = "failed", _("실패")


class JobRun(models.Model):
    """One run of a scheduled job for one period (a quarter, a half-year, a month...).

    Unique per job and period: running a job again for the same period does nothing."""

    job = models.CharField(_("작업"), max_length=50)
    period = models.CharField(_("대상 기간"), max_length=20)
    status = models.CharField(_("상태"), max_length=10, choices=JobStatus.choices)
    started_at = models.DateTimeField(_("시작 일시"))
    finished_at = models.DateTimeField(_("종료 일시"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=1)
    result = models.JSONField(_("결과"), default=dict, blank=True)
    error = models.TextField(_("오류"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("예약 작업 실행 기록")
        verbose_name_plural = _("예약 작업 실행 기록")
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="programme_jobrun_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period} ({self.get_status_display()})"
