"""The board's monthly summary (:class:`board.models.MonthlyTally`), kept by the services.

A post adds to at most two cells: its submission month (``registered``, and
``registered_approved`` while it is approved) and, while approved, its approval month
(``approvals``). Each write that can change a post's status, submission or review date takes
its :func:`state` before and after and calls :func:`post_changed` inside its transaction,
which adds the difference. :func:`rebuild` recomputes the whole summary from the posts.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from common import periods
from common.queries import add_to_counter_row

from .models import MonthlyTally, Post, PostStatus

Key = tuple[str, date, int | None]  # (area, month, department id)
FIELDS = ("registered", "registered_approved", "approvals")


@dataclass(frozen=True)
class State:
    """What of a post the summary depends on."""

    area: str
    department_id: int | None
    status: str
    submitted_at: datetime | None
    reviewed_at: datetime | None


def state(post: Post) -> State:
    return State(post.area, post.department_id, post.status, post.submitted_at, post.reviewed_at)


def cells(s: State | None) -> Counter[tuple[Key, str]]:
    """The post's contribution: {(cell, field): 1}."""
    out: Counter[tuple[Key, str]] = Counter()
    if s is None:
        return out
    approved = s.status == PostStatus.APPROVED
    if s.status != PostStatus.DRAFT and s.submitted_at is not None:
        key = (s.area, periods.month_of(s.submitted_at), s.department_id)
        out[key, "registered"] += 1
        if approved:
            out[key, "registered_approved"] += 1
    if approved and s.reviewed_at is not None:
        out[(s.area, periods.month_of(s.reviewed_at), s.department_id), "approvals"] += 1
    return out


def _cell(key: Key) -> QuerySet[MonthlyTally]:
    area, month, department_id = key
    cells = MonthlyTally.objects.filter(area=area, month=month)
    if department_id is None:
        return cells.filter(department__isnull=True)
    return cells.filter(department_id=department_id)


def _add(key: Key, delta: dict[str, int]) -> None:
    """Add ``delta`` to one cell (created when missing), inside the caller's transaction."""
    area, month, department_id = key
    add_to_counter_row(
        _cell(key), {"area": area, "month": month, "department_id": department_id}, delta
    )


def post_changed(before: State | None, after: State) -> None:
    """Move the post's counts from its ``before`` cells to its ``after`` ones (None: new)."""
    diff = cells(after)
    diff.subtract(cells(before))
    by_key: dict[Key, dict[str, int]] = {}
    for (key, field), n in diff.items():
        if n:
            by_key.setdefault(key, {})[field] = n
    for key in sorted(by_key, key=lambda k: (k[1], k[0], k[2] or 0)):  # one lock order
        _add(key, by_key[key])


def recount() -> dict[Key, dict[str, int]]:
    """The summary as the posts give it now (cells with a count only): two grouped scans."""
    out: dict[Key, dict[str, int]] = {}

    def month(value: date | datetime) -> date:
        return periods.month_of(value) if isinstance(value, datetime) else value

    submitted = (
        Post.objects.exclude(status=PostStatus.DRAFT)
        .filter(submitted_at__isnull=False)
        .annotate(m=TruncMonth("submitted_at", tzinfo=periods.KST))
        .values("area", "m", "department_id")
        .annotate(n=Count("*"), ok=Count("status", filter=Q(status=PostStatus.APPROVED)))
        .order_by()
    )
    for row in submitted:
        cell = out.setdefault((row["area"], month(row["m"]), row["department_id"]), {})
        cell["registered"] = row["n"]
        cell["registered_approved"] = row["ok"]
    reviewed = (
        Post.objects.filter(status=PostStatus.APPROVED, reviewed_at__isnull=False)
        .annotate(m=TruncMonth("reviewed_at", tzinfo=periods.KST))
        .values("area", "m", "department_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for approved in reviewed:
        key = (approved["area"], month(approved["m"]), approved["department_id"])
        out.setdefault(key, {})["approvals"] = approved["n"]
    return {key: {f: c.get(f, 0) for f in FIELDS} for key, c in out.items()}


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Make the summary what the posts give (after a bulk import or a fix made outside the
    services): only the cells that differ are written, so a second run changes nothing.
    Returns (cells, cells written)."""
    want = recount()
    have = {(c.area, c.month, c.department_id): c for c in MonthlyTally.objects.select_for_update()}
    gone = [c.pk for key, c in have.items() if key not in want]
    changed = []
    new = []
    for key, counts in want.items():
        cell = have.get(key)
        if cell is None:
            area, month, department_id = key
            new.append(MonthlyTally(area=area, month=month, department_id=department_id, **counts))
        elif any(getattr(cell, f) != n for f, n in counts.items()):
            for f, n in counts.items():
                setattr(cell, f, n)
            changed.append(cell)
    MonthlyTally.objects.filter(pk__in=gone).delete()
    MonthlyTally.objects.bulk_update(changed, FIELDS, batch_size=1000)
    MonthlyTally.objects.bulk_create(new, batch_size=1000)
    return len(want), len(gone) + len(changed) + len(new)
