"""Helpers the club services share."""

from datetime import date, datetime

from django.utils import timezone

from common import periods


def local_today(at: datetime | None) -> date:
    """The Asia/Seoul day of ``at`` (now when not given)."""
    return periods.local_date(at or timezone.now())
