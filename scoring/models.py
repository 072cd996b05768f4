"""The 창의왕 points ledger: one row per scoring activity, voided but never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
                name="scoring_activity_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, void_reason="")
                | Q(voided_at__isnull=False) & ~Q(void_reason=""),
                name="scoring_activity_void_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="scoring_act_source")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.area} {self.occurred_at:%Y-%m-%d}"
