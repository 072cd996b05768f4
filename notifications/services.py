"""Writes for notifications. Other apps call :func:`notification_send` from their own
services, with a verb ``<app>.<event>`` (``board.post_approved``, ``proposals.stage_changed``)
and the address of the page where it happened.

The notification row is part of the caller's transaction; the email goes out only after
that transaction commits, and a mail failure is logged, never raised into the caller.

The arrow runs one way, tasks → services: the worker's task (``notifications.tasks``) calls
:func:`notification_email_send`; this module hands a mail to the worker by the task's name
(``EMAIL_TASK``) and never imports the task module.
"""

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ServiceError

from .models import Notification
from .selectors import unread_changed

logger = logging.getLogger(__name__)

EMAIL_TASK = "notifications.email_send"  # the Celery task that mails one notification
# ``<app>.<event>``: the app that tells, then what happened (``scoring.prize_confirmed``).
VERB = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")


def _checked(verb: str, url: str) -> None:
    """A programming error, not a person's: every notification names its event the same way
    and links to the page where it happened (issue 15 #6)."""
    if not VERB.fullmatch(verb) or len(verb) > 50:
        raise ValueError(f"notification verb {verb!r} is not '<app>.<event>'")
    if not url.startswith("/"):
        raise ValueError(f"notification {verb} needs the local address of its page")


def notification_send(
    *,
    recipient: User,
    verb: str,
    title: str,
    url: str,
    at: datetime | None = None,
    email: bool = True,
) -> Notification:
    """Tell ``recipient`` something in the portal (the unread badge) and, when they have an
    email address and ``email`` is true, by email after the surrounding transaction commits.
    ``verb`` is ``<app>.<event>``; ``url`` the page where it happened."""
    _checked(verb, url)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            verb=verb,
            title=title[:200],
            url=url[:500],
            created_at=at or timezone.now(),
        )
        unread_changed([recipient.pk])
    if email and recipient.email:
        # robust: an error in the callback is logged, and the committed work stands.
        transaction.on_commit(partial(_email_enqueue, notification.pk), robust=True)
    return notification


def _email_enqueue(notification_id: int) -> None:
    """Hand the mail to a worker; without a broker (tasks run eagerly) or with an unreachable
    one, send it in-process instead."""
    if current_app.conf.task_always_eager:
        notification_email_send(notification_id=notification_id)
        return
    try:
        current_app.send_task(EMAIL_TASK, args=[notification_id], ignore_result=True)
    except Exception:  # the broker is down: the person still gets their mail
        logger.warning("broker unavailable, mailing notification %s in-process", notification_id)
        notification_email_send(notification_id=notification_id)


def notification_email_send(*, notification_id: int, at: datetime | None = None) -> bool:
    """Send the email of one notification once. Returns whether a mail went out now.

    Failures are logged and leave ``emailed_at`` empty, so a retry can send it later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
        body = "\n\n".join(
            part
            for part in [
                notification.title,
                link,
                _("서울특별시 중구 지식나눔 포털에서 보낸 알림입니다."),
            ]
            if part
        )
        try:
            send_mail(
                subject=f"[{_('지식나눔')}] {notification.title}",
                message=body,
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
        except Exception:
            logger.exception("could not mail notification %s", notification_id)
            return False
        notification.emailed_at = at or timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


def notification_mark_read(
    *, notification: Notification, user: User, at: datetime | None = None
) -> bool:
    """Mark one notification read by its recipient. Returns whether it changed."""
    if notification.recipient_id != user.pk:
        raise ServiceError(_("받은 사람만 알림을 읽음으로 표시할 수 있습니다."), code="forbidden")
    if notification.read_at is not None:
        return False
    notification.read_at = at or timezone.now()
    with transaction.atomic():
        notification.save(update_fields=["read_at"])
        unread_changed([user.pk])
    return True


def notification_mark_all_read(*, user: User, at: datetime | None = None) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    with transaction.atomic():
        unread_changed([user.pk])
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=at or timezone.now()
        )


def notification_send_many(
    *,
    recipients: Iterable[User],
    verb: str,
    title: str,
    url: str,
    at: datetime | None = None,
) -> int:
    """The same in-portal notification to many people at once (an announcement to all staff);
    no email. Returns how many were created."""
    _checked(verb, url)
    created_at = at or timezone.now()
    rows = [
        Notification(
            recipient=user, verb=verb, title=title[:200], url=url[:500], created_at=created_at
        )
        for user in recipients
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=1000)
        unread_changed(row.recipient_id for row in rows)
    return len(rows)
