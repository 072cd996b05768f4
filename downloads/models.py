"""An export built in the background 내려받기: who asked, its state, progress, the file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DownloadStatus(models.TextChoices):
    QUEUED = "queued", _("대기 중")
    RUNNING = "running", _("만드는 중")
    READY = "ready", _("완료")
    FAILED = "failed", _("실패")


class Download(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="downloads",
        verbose_name=_("요청한 사람"),
    )
    kind = models.CharField(_("종류"), max_length=80)
    label = models.CharField(_("내려받을 자료"), max_length=200)
    params = models.JSONField(_("조건"), default=dict, blank=True)
    # The same request again while one is queued or running reuses it (one job per click).
    params_key = models.CharField(max_length=500, editable=False)
    status = models.CharField(
        _("상태"), max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("처리한 행"), default=0)
    total = models.PositiveIntegerField(_("전체 행"), default=0)
    file = models.FileField(_("파일"), upload_to="downloads/%Y/%m/", blank=True)
    filename = models.CharField(_("파일 이름"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField(_("오류"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("요청 일시"))
    finished_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("내려받기")
        verbose_name_plural = _("내려받기")
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "kind", "params_key"],
                condition=Q(status__in=["queued", "running"]),
                name="download_one_pending_per_request",
                violation_error_message=_("같은 자료를 이미 만들고 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0),
                name="download_done_le_total",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == DownloadStatus.READY:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def pending(self) -> bool:
        return self.status in (DownloadStatus.QUEUED, DownloadStatus.RUNNING)
