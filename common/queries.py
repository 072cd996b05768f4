"""Query helpers that any app may use (no app's models here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model, QuerySet


def union_of_slices(parts: list[QuerySet[Any]]) -> list[Any]:
    """The rows of limited querysets in ONE ``UNION ALL`` where the database allows a LIMIT in
    each part (PostgreSQL); SQLite does not (Django refuses it), so there each part is its own
    query: the embedded one-office database, not the city's."""
    if connection.features.supports_slicing_ordering_in_compound:
        return list(parts[0].union(*parts[1:], all=True))
    return [row for part in parts for row in part]


def add_to_counter_row(
    cell: QuerySet[Any], create: Mapping[str, Any], delta: Mapping[str, int]
) -> None:
    """Add ``delta`` ({field: n}) to the one counter row ``cell`` selects, inside the caller's
    transaction, with ``F()`` so that concurrent adds never lose one. A missing row is created
    with ``create`` (its identifying fields) and the deltas as its counts; a request that
    created it a moment earlier (the unique constraint says so) makes this an update again.
    A summary table kept by the services (board's and proposals' monthly tallies) uses it."""
    increments = {name: F(name) + n for name, n in delta.items()}
    if cell.update(**increments):
        return
    model: type[Model] = cell.model
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError leaves the caller's intact
            model.objects.create(**create, **delta)  # type: ignore[attr-defined]
    except IntegrityError:  # created by a concurrent request a moment ago
        cell.update(**increments)
