"""Query helpers that any app may use (no app's models here)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def union_of_slices(parts: list[QuerySet[Any]]) -> list[Any]:
    """The rows of limited querysets in ONE ``UNION ALL`` where the database allows a LIMIT in
    each part (PostgreSQL); SQLite does not (Django refuses it), so there each part is its own
    query: the embedded one-office database, not the city's."""
    if connection.features.supports_slicing_ordering_in_compound:
        return list(parts[0].union(*parts[1:], all=True))
    return [row for part in parts for row in part]
