"""Writes to the points ledger. Callers (the board, proposals) know users, area codes and
their own sources; this app knows nothing of them."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Activity, ActivityKind


def activity_record(
    *,
    user: AbstractBaseUser,
    area: str,
    kind: ActivityKind | str,
    source_type: str,
    source_id: int,
    at: datetime | None = None,
) -> Activity:
    """Append one scoring activity. Recording the same (user, kind, source) again returns
    the existing row unchanged, so a retried request or task changes nothing."""
    at = at or timezone.now()
    key = {"user": user, "kind": kind, "source_type": source_type, "source_id": source_id}
    existing = Activity.objects.filter(**key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Activity.objects.create(**key, area=area, occurred_at=at)
    except IntegrityError:  # a concurrent request recorded it first
        return Activity.objects.get(**key)


def activity_void(
    *,
    source_type: str,
    source_id: int,
    reason: str,
    kind: ActivityKind | str | None = None,
    at: datetime | None = None,
) -> int:
    """Void the live rows of a source (a removed comment, a post marked duplicate).
    Returns how many rows were voided; voiding again changes nothing."""
    rows = Activity.objects.filter(
        source_type=source_type, source_id=source_id, voided_at__isnull=True
    )
    if kind is not None:
        rows = rows.filter(kind=kind)
    return rows.update(voided_at=at or timezone.now(), void_reason=reason[:200])
