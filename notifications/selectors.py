"""Reads for notifications."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db.models import QuerySet

from common.cache import forget_now_and_on_commit

from .models import Notification

# Every logged-in page shows the unread badge: its count is kept in the shared cache per
# person, and dropped by the services that change it (``unread_changed``), right away and
# again once the transaction commits (a request in between may have kept the old count).
# A change that goes round the services (raw SQL, the admin's delete) shows within this time.
# A login reads it (``unread_fill_at_login``, connected in NotificationsConfig.ready).
UNREAD_SECONDS = 60


def _unread_key(user_id: object) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(*, user: User | AnonymousUser) -> int:
    """How many of ``user``'s notifications are unread: one cache read while it is kept."""
    if not isinstance(user, User):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return int(count)


def unread_fill_at_login(sender: object, user: User, **kwargs: object) -> None:
    """``user_logged_in``: the count is read as the session starts, so its pages all find it
    kept (and count the same statements), as the roles are (jisik_portal.roles_cache)."""
    cache.delete(_unread_key(user.pk))
    unread_count(user=user)


def unread_changed(user_ids: Iterable[object]) -> None:
    """The services' side: these people's counts are read afresh, now and after the commit."""
    forget_now_and_on_commit([_unread_key(pk) for pk in set(user_ids) if pk is not None])


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first (the list page paginates it)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
