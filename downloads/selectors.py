from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import Download


def downloads_of(user: User) -> QuerySet[Download]:
    """A person's own downloads, newest first (nobody sees another's)."""
    return Download.objects.filter(requested_by=user).order_by("-created_at", "-id")
