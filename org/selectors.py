"""Reads about who is who."""

import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from .models import (
    UNASSIGNED_LABEL,
    Assignment,
    Department,
    StaffImportRun,
    StaffProfile,
    display_name,
)

User = get_user_model()


def _covering(at: datetime) -> Q:
    return (Q(started_at__isnull=True) | Q(started_at__lte=at)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gt=at)
    )


def assignment_at(user: AbstractBaseUser | AnonymousUser, at: datetime) -> Assignment | None:
    """The posting 발령 ``user`` held at ``at`` (None for a person with no history)."""
    if not user.is_authenticated or user.pk is None:
        return None
    return (
        Assignment.objects.filter(_covering(at), user_id=user.pk)
        .select_related("department__bureau", "team")
        .first()
    )


def department_at(
    user: AbstractBaseUser | AnonymousUser, at: datetime | None = None
) -> Department | None:
    """The department ``user`` belonged to at ``at`` (now when None): "the department at the
    time" for recusal, points and reports after a transfer. A person with no recorded history
    (accounts made before it, factories) is read from the profile, as ``department_of``."""
    if at is None:
        return department_of(user)
    if not user.is_authenticated or user.pk is None:
        return None
    assignment = assignment_at(user, at)
    if assignment is not None:
        return assignment.department
    if Assignment.objects.filter(user_id=user.pk).exists():
        return None  # history exists but starts later: not yet posted at that time
    return department_of(user)


def departments_at(user_ids: Iterable[int], at: datetime) -> dict[int, Department | None]:
    """``department_at`` for many people in two queries: {user id: department or None}."""
    ids = set(user_ids)
    found: dict[int, Department | None] = {}
    seen: set[int] = set()
    for a in Assignment.objects.filter(user_id__in=ids).select_related("department__bureau"):
        seen.add(a.user_id)
        if (a.started_at is None or a.started_at <= at) and (a.ended_at is None or a.ended_at > at):
            found[a.user_id] = a.department
    for profile in StaffProfile.objects.filter(user_id__in=ids - seen).select_related(
        "department__bureau"
    ):
        found[profile.user_id] = profile.department
    return {uid: found.get(uid) for uid in ids}


def assignment_history(user: AbstractBaseUser) -> QuerySet[Assignment]:
    """A person's postings, oldest first."""
    return (
        Assignment.objects.filter(user_id=user.pk)
        .select_related("department__bureau", "team")
        .order_by(F("started_at").asc(nulls_first=True), "id")
    )


def department_of(user: object) -> Department | None:
    """The user's department, or None (미지정) for a user with no profile or department."""
    try:
        profile: StaffProfile = user.staff_profile  # type: ignore[attr-defined]
    except (StaffProfile.DoesNotExist, AttributeError):
        return None
    return profile.department


def department_id_of(user: object) -> int | None:
    """The id of the user's department (None: 미지정), in at most one query, and none when the
    profile is loaded already: what a write stamping a row with it needs (scoring's ledger)."""
    try:
        profile: StaffProfile = user.staff_profile  # type: ignore[attr-defined]
    except (StaffProfile.DoesNotExist, AttributeError):
        return None
    return profile.department_id


def department_label(user: object) -> str:
    dept = department_of(user)
    return str(dept) if dept else str(UNASSIGNED_LABEL)


def users_with_profiles() -> QuerySet:
    """Users with their profile, department and bureau in one query."""
    return User.objects.select_related(
        "staff_profile__department__bureau", "staff_profile__team"
    ).order_by("last_name", "first_name", "username")


# --- The people directory 인명부 ------------------------------------------------------------
#
# Everyone's name fields and department by user id, for what shows many people at once (a
# city's ranking and its exports: 50,000 names). Reading them is one scan of every user (~60 ms
# and ~20 MB of rows at city scale), so each process keeps the last one it read, under a
# version kept in the shared cache (Redis in production, each process's memory otherwise):
# a caller pays one cache read while nobody changed a name or a department.
#
# Every write that can change what the directory shows sends a signal (below): a user saved
# with a name field (or a full save), a profile saved with its department, a department
# saved, a person, profile or department deleted, and a staff import run (its bulk writes send
# no signal of their own; the run's row is saved in the same transaction). Once that
# transaction commits the version changes, so no process shows an old name after the rename
# commits. Until then a transaction that made such a write reads the directory afresh (its
# own writes) and keeps nothing, so a rolled-back rename is never kept either. A login
# (``last_login`` only) changes nothing. Writes that send no signal (raw SQL) are seen when a
# process's copy is ``DIRECTORY_MAX_AGE`` seconds old.

Person = tuple[int, str, str, str, str]
"""(user id, username, first_name, last_name, department name: "" for 미지정)."""

DIRECTORY_VERSION_KEY = "org:people_directory:version"
DIRECTORY_MAX_AGE = 600.0
# The fields whose change a save must announce, per model (None: every save).
_SHOWN: dict[type[Model], frozenset[str] | None] = {
    User: frozenset({"username", "first_name", "last_name"}),
    StaffProfile: frozenset({"user", "user_id", "department", "department_id"}),
    Department: frozenset({"name"}),
    StaffImportRun: None,
}
# The connection's attribute: (its run_on_commit list, our entry in it) while a change waits.
_PENDING = "org_directory_pending"
# This process's copy: (version, time.monotonic() when read, people).
_held: tuple[str, float, dict[int, Person]] | None = None


def people_directory() -> Mapping[int, Person]:
    """Every user as a ``Person`` by id (read-only: the mapping is shared). One cache read
    when this process's copy is current, else two queries (departments, users); see above."""
    global _held
    if _changes_pending():
        return people_read()
    version = _directory_version()
    held = _held
    if held is not None and held[0] == version and time.monotonic() - held[1] < DIRECTORY_MAX_AGE:
        return held[2]
    # The version is read before the rows: rows read after a change committed may sit under
    # the version before it (they are newer, and that version is gone), never the reverse.
    people = people_read()
    if version is not None:
        _held = (version, time.monotonic(), people)
    return people


def people_read(user_ids: Iterable[int] | QuerySet[Any, Any] | None = None) -> dict[int, Person]:
    """``Person`` rows read now, of ``user_ids`` (ids or a subquery of ids) or of everyone;
    two queries. The rows come as the driver gives them (no per-value converters: plain
    columns) and the department names are shared strings."""
    names: dict[int | None, str] = dict(Department.objects.values_list("id", "name"))
    names[None] = ""
    people = User.objects.all()
    if user_ids is not None:
        people = people.filter(pk__in=user_ids)
    sql, params = people.values_list(
        "id", "username", "first_name", "last_name", "staff_profile__department_id"
    ).query.sql_with_params()
    with connections[people.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        pk: (pk, username, first, last, names.get(dept, ""))
        for pk, username, first, last, dept in rows
    }


def _directory_version() -> str | None:
    """The shared version; a new one when the cache has none (flushed, evicted)."""
    version = cache.get(DIRECTORY_VERSION_KEY)
    if version is None:
        cache.add(DIRECTORY_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(DIRECTORY_VERSION_KEY)
    return None if version is None else str(version)


def directory_changed() -> None:
    """A new version: every process reads the directory again. Runs once a change commits."""
    cache.set(DIRECTORY_VERSION_KEY, uuid.uuid4().hex, None)


def _changes_pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the open transaction made a change the directory shows, i.e. its commit will
    call ``directory_changed`` (a rollback drops the callback, also a savepoint's). In O(1):
    Django only appends to ``run_on_commit`` and replaces the list whenever it drops a
    callback, so the list we appended to, still in place, still holds ours."""
    connection = connections[using]
    marker = getattr(connection, _PENDING, None)
    if marker is None or not connection.in_atomic_block:
        return False
    hooks, entry = marker
    if connection.run_on_commit is hooks:
        return True
    if any(e is entry for e in connection.run_on_commit):  # another savepoint rolled back
        setattr(connection, _PENDING, (connection.run_on_commit, entry))
        return True
    setattr(connection, _PENDING, None)
    return False


def _person_saved_or_deleted(
    sender: type, using: str = DEFAULT_DB_ALIAS, update_fields: Iterable[str] | None = None,
    **kwargs: object,
) -> None:  # fmt: skip
    shown = _SHOWN.get(sender)
    if update_fields is not None and shown is not None and not shown.intersection(update_fields):
        return  # e.g. a login's last_login
    if _changes_pending(using):
        return  # once per transaction
    transaction.on_commit(directory_changed, using=using)
    connection = connections[using]
    if connection.in_atomic_block:  # else it ran at once (autocommit)
        setattr(connection, _PENDING, (connection.run_on_commit, connection.run_on_commit[-1]))


def directory_signals_connect() -> None:
    """The receivers above (idempotent: dispatch uids)."""
    for model in _SHOWN:
        name = model._meta.label_lower
        post_save.connect(
            _person_saved_or_deleted, sender=model, dispatch_uid=f"org.directory.save.{name}"
        )
        post_delete.connect(
            _person_saved_or_deleted, sender=model, dispatch_uid=f"org.directory.delete.{name}"
        )


__all__ = [
    "DIRECTORY_MAX_AGE",
    "Person",
    "assignment_at",
    "assignment_history",
    "department_at",
    "department_label",
    "department_id_of",
    "department_of",
    "departments_at",
    "directory_changed",
    "display_name",
    "people_directory",
    "people_read",
    "users_with_profiles",
]
