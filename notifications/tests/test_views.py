import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from notifications.selectors import unread_changed
from notifications.tests.factories import NotificationFactory
from org.tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_the_nav_shows_the_unread_count(client: Client) -> None:
    user = staff_user()
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=user, read_at="2026-01-01T00:00:00+09:00")
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="notifications-badge"' in body
    assert '>3<span class="visually-hidden">건 읽지 않음' in body


def test_the_list_shows_only_ones_own_notifications(client: Client) -> None:
    user = staff_user()
    mine = NotificationFactory(recipient=user, title="내 알림입니다")
    NotificationFactory(title="남의 알림입니다")
    client.force_login(user)
    body = client.get(reverse("notifications:index")).content.decode()
    assert mine.title in body and "남의 알림입니다" not in body


def test_opening_marks_read_and_follows_a_local_link(client: Client) -> None:
    user = staff_user()
    n = NotificationFactory(recipient=user, url="/board/")
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == "/board/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_never_redirects_off_site(client: Client) -> None:
    user = staff_user()
    n = NotificationFactory(recipient=user, url="https://evil.example.com/")
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.url == reverse("notifications:index")


def test_someone_elses_notification_is_not_found(client: Client) -> None:
    n = NotificationFactory()
    client.force_login(staff_user())
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 404


def test_mark_all_read_needs_post(client: Client) -> None:
    user = staff_user()
    NotificationFactory.create_batch(2, recipient=user)
    client.force_login(user)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "알림 2건을 읽음으로 표시했습니다" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_list_page_has_the_same_number_of_queries_for_2_or_60(client: Client) -> None:
    user = staff_user()
    client.force_login(user)

    def queries() -> int:
        unread_changed([user.pk])  # the badge's count read afresh each time, as at first
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:index")).status_code == 200
        return len(ctx.captured_queries)

    NotificationFactory.create_batch(2, recipient=user)
    small = queries()
    NotificationFactory.create_batch(58, recipient=user)
    assert queries() == small <= 9


def test_a_long_list_is_paged_with_the_shared_pagination(client: Client) -> None:
    user = staff_user()
    NotificationFactory.create_batch(31, recipient=user)
    client.force_login(user)
    first = client.get(reverse("notifications:index")).content.decode()
    assert 'href="?page=2"' in first and 'aria-current="page"' in first
    second = client.get(reverse("notifications:index") + "?page=2").content.decode()
    assert 'href="?page=1"' in second


def _unread_shown(client: Client) -> int:
    """The number on the layout's badge (0: no badge)."""
    body = client.get(reverse("home")).content.decode()
    found = re.search(r'badge rounded-pill[^>]*>(\d+)<span class="visually-hidden">', body)
    return int(found[1]) if found else 0


@pytest.mark.smoke
def test_the_kept_count_follows_every_change_through_the_services(client: Client) -> None:
    user = staff_user()
    client.force_login(user)
    assert _unread_shown(client) == 0  # and 0 is kept
    first = services.notification_send(recipient=user, verb="board.test", title="하나", url="/")
    assert _unread_shown(client) == 1
    services.notification_send_many(recipients=[user], verb="board.test", title="둘", url="/")
    assert _unread_shown(client) == 2
    # While kept, the badge costs no query.
    with CaptureQueriesContext(connection) as queries:
        assert _unread_shown(client) == 2
    assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    services.notification_mark_read(notification=first, user=user)
    assert _unread_shown(client) == 1
    services.notification_mark_all_read(user=user)
    assert _unread_shown(client) == 0
