"""In-portal notifications 알림: one row per message to one person, read or not."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one person. ``verb`` names the event (e.g. ``post_approved``) so pages and
    tests can tell kinds apart without parsing the Korean title."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("받는 사람"),
    )
    verb = models.CharField(_("종류"), max_length=50)
    title = models.CharField(_("내용"), max_length=200)
    url = models.CharField(_("바로가기 주소"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("알림 일시"))
    read_at = models.DateTimeField(_("읽은 일시"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("메일 발송 일시"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        indexes = [
            # The unread badge on every page: count of a person's unread rows.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
