import re
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from celery import current_app
from django.core import mail
from django.db import transaction

from common.errors import ServiceError
from notifications.models import Notification
from notifications.services import (
    EMAIL_TASK,
    VERB,
    notification_email_send,
    notification_mark_all_read,
    notification_mark_read,
    notification_send,
    notification_send_many,
)
from notifications.tasks import notification_email_send_task
from notifications.tests.factories import NotificationFactory
from org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_it_notifies_and_mails_after_commit(django_capture_on_commit_callbacks) -> None:
    user = UserFactory(email="kim@junggu.example.kr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notification_send(
            recipient=user,
            verb="board.post_approved",
            title="제안이 승인되었습니다",
            url="/board/1/",
        )
        # Nothing is mailed before the transaction commits.
        assert mail.outbox == []
    assert len(_mail_jobs(callbacks)) == 1
    assert Notification.objects.get().pk == n.pk and n.read_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@junggu.example.kr"]
    assert "제안이 승인되었습니다" in mail.outbox[0].subject
    assert "/board/1/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_it_keeps_the_given_time() -> None:
    at = datetime(2016, 5, 20, 1, 0, tzinfo=UTC)
    n = notification_send(
        recipient=UserFactory(),
        verb="board.post_approved",
        title="t",
        url="/board/",
        at=at,
        email=False,
    )
    assert n.created_at == at


def test_it_sends_no_mail_without_an_address_or_when_asked_not_to(
    django_capture_on_commit_callbacks,
) -> None:
    no_address, mail_off = UserFactory(email=""), UserFactory()  # before: users have callbacks
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(
            recipient=no_address,
            verb="board.post_approved",
            title="주소 없음",
            url="/board/",
        )
        notification_send(
            recipient=mail_off,
            verb="board.post_approved",
            title="메일 끔",
            url="/board/",
            email=False,
        )
    assert _mail_jobs(callbacks) == [] and mail.outbox == []
    assert Notification.objects.count() == 2


def _mail_jobs(callbacks: list) -> list:
    """The after-commit callbacks that hand a mail over (the others drop the kept count)."""
    return [
        c
        for c in callbacks
        if getattr(getattr(c, "func", None), "__name__", "") == "_email_enqueue"
    ]


def test_a_rolled_back_transaction_leaves_no_notification_and_no_mail(
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notification_send(
                recipient=user, verb="board.post_approved", title="취소됨", url="/board/"
            )
            raise RuntimeError
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_a_mail_failure_never_fails_the_caller(django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    with (
        mock.patch("notifications.services.send_mail", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        n = notification_send(
            recipient=user, verb="board.post_approved", title="메일 서버 장애", url="/board/"
        )
    n.refresh_from_db()
    assert n.emailed_at is None  # left for a retry
    # A retry once the server is back sends it, and only once.
    assert notification_email_send(notification_id=n.pk) is True
    assert notification_email_send(notification_id=n.pk) is False
    assert len(mail.outbox) == 1


def test_a_broker_failure_falls_back_to_sending_in_process(
    django_capture_on_commit_callbacks, with_broker: None
) -> None:
    with (
        mock.patch.object(
            current_app, "send_task", side_effect=ConnectionError("no broker")
        ) as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification_send(
            recipient=UserFactory(), verb="board.post_approved", title="브로커 장애", url="/board/"
        )
    send_task.assert_called_once()
    assert send_task.call_args.args[0] == EMAIL_TASK
    assert len(mail.outbox) == 1


def test_with_a_broker_the_mail_goes_to_the_worker_task(
    django_capture_on_commit_callbacks, with_broker: None
) -> None:
    with (
        mock.patch.object(current_app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        n = notification_send(
            recipient=UserFactory(), verb="board.post_approved", title="작업자에게", url="/board/"
        )
    send_task.assert_called_once_with(EMAIL_TASK, args=[n.pk], ignore_result=True)
    assert notification_email_send_task.ignore_result is True  # nobody waits for a result
    assert mail.outbox == []  # the worker sends it
    # The worker's task is registered under that name and sends through the service.
    assert notification_email_send_task.name == EMAIL_TASK and EMAIL_TASK in current_app.tasks
    assert notification_email_send_task.apply(args=[n.pk]).get() is True
    assert len(mail.outbox) == 1


def test_only_the_recipient_marks_read_and_twice_changes_nothing() -> None:
    n = NotificationFactory()
    with pytest.raises(ServiceError) as refused:
        notification_mark_read(notification=n, user=UserFactory())
    assert refused.value.code == "forbidden"
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


def test_a_verb_is_app_dot_event_and_every_notification_links_to_its_page() -> None:
    user = UserFactory()
    for verb in ["post_approved", "심사 시작", "Board.Approved", "board."]:
        with pytest.raises(ValueError, match="app"):
            notification_send(recipient=user, verb=verb, title="t", url="/board/")
    with pytest.raises(ValueError, match="page"):
        notification_send(recipient=user, verb="board.post_approved", title="t", url="")
    with pytest.raises(ValueError, match="page"):
        notification_send_many(
            recipients=[user], verb="board.post_approved", title="t", url="https://x.example/"
        )
    assert Notification.objects.count() == 0
    assert (
        notification_send_many(
            recipients=[user, UserFactory()], verb="programme.knowledge_day", title="t", url="/"
        )
        == 2
    )


def test_every_verb_in_the_tree_names_the_app_that_sends_it() -> None:
    """The call sites of the whole tree: ``verb="<app>.<event>"`` in the app's own files."""
    root = Path(__file__).resolve().parents[2]
    found = 0
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        for verb in re.findall(r'\bverb="([^"]*)"', path.read_text(encoding="utf-8")):
            found += 1
            app = path.relative_to(root).parts[0]
            assert verb.startswith(f"{app}."), f"{path}: {verb}"
            assert VERB.fullmatch(verb), f"{path}: {verb}"
    assert found >= 8  # board (4), clubs, scoring, proposals, contests, programme
