"""The audit log 감사 기록 every contests write leaves: who, when, the values before and after."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model
from django.utils import timezone

from ..models import AuditEntry, Round


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def actor_of(user: User | AnonymousUser | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    round: Round | None,
    action: str,
    obj: Model,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor_of(actor),
        round=round,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        before=before,
        after=after,
        at=now_or(at),
    )
