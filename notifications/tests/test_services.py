from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Notification
from notifications.services import (
    notification_email_send,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from notifications.tests.factories import NotificationFactory
from org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_it_notifies_and_mails_after_commit(django_capture_on_commit_callbacks) -> None:
    user = UserFactory(email="kim@junggu.example.kr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify(
            recipient=user, verb="post_approved", title="제안이 승인되었습니다", url="/board/1/"
        )
        # Nothing is mailed before the transaction commits.
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert Notification.objects.get().pk == n.pk and n.read_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@junggu.example.kr"]
    assert "제안이 승인되었습니다" in mail.outbox[0].subject
    assert "/board/1/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_it_keeps_the_given_time() -> None:
    at = datetime(2016, 5, 20, 1, 0, tzinfo=UTC)
    n = notify(recipient=UserFactory(), verb="x", title="t", at=at, email=False)
    assert n.created_at == at


def test_it_sends_no_mail_without_an_address_or_when_asked_not_to(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient=UserFactory(email=""), verb="x", title="주소 없음")
        notify(recipient=UserFactory(), verb="x", title="메일 끔", email=False)
    assert callbacks == [] and mail.outbox == []
    assert Notification.objects.count() == 2


def test_a_rolled_back_transaction_leaves_no_notification_and_no_mail(
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipient=user, verb="x", title="취소됨")
            raise RuntimeError
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_a_mail_failure_never_fails_the_caller(django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    with (
        mock.patch("notifications.services.send_mail", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        n = notify(recipient=user, verb="x", title="메일 서버 장애")
    n.refresh_from_db()
    assert n.emailed_at is None  # left for a retry
    # A retry once the server is back sends it, and only once.
    assert notification_email_send(notification_id=n.pk) is True
    assert notification_email_send(notification_id=n.pk) is False
    assert len(mail.outbox) == 1


def test_a_broker_failure_falls_back_to_sending_in_process(
    django_capture_on_commit_callbacks,
) -> None:
    with (
        mock.patch(
            "notifications.tasks.notification_email_send_task.delay",
            side_effect=ConnectionError("no broker"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipient=UserFactory(), verb="x", title="브로커 장애")
    assert len(mail.outbox) == 1


def test_only_the_recipient_marks_read_and_twice_changes_nothing() -> None:
    n = NotificationFactory()
    with pytest.raises(PermissionError):
        notification_mark_read(notification=n, user=UserFactory())
    assert notification_mark_read(notification=n, user=n.recipient) is True
    first = n.read_at
    assert notification_mark_read(notification=n, user=n.recipient) is False
    n.refresh_from_db()
    assert n.read_at == first


def test_mark_all_read_touches_only_that_persons_unread() -> None:
    user, other = UserFactory(), UserFactory()
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=other)
    assert notification_mark_all_read(user=user) == 3
    assert notification_mark_all_read(user=user) == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
