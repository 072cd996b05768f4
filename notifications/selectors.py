"""Reads for notifications."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .models import Notification


def unread_count(*, user: User | AnonymousUser) -> int:
    if not isinstance(user, User):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first (the list page paginates it)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
