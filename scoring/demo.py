"""Demo 창의왕 data. Idempotent: every row has a fixed source, and rounds run once.

The point table is the 2016 one from migration 0002; a later year without a table of its own
uses it (the latest earlier year's table applies). The board's demo runs after this one, so
this module writes its own ledger rows (source_type "demo.scoring"): the quarter before last,
confirmed with its three 창의왕; last quarter, proposed for admins to confirm or change; and
this month's points for staff1 (38 / 40 comment points) so 내 점수 has something to show.
Every row counts back from ``now``: nothing is dated after it (issue 13 #8).
"""

from datetime import datetime, timedelta
from typing import TextIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from common import periods

from .models import Activity, QuarterRound
from .services import activity_record, round_confirm, round_run

SOURCE = "demo.scoring"
# username → (proposals, approvals (area), comments, views) per month of a quarter
PEOPLE: dict[str, tuple[int, list[str], int, int]] = {
    "staff1": (2, ["proposal", "club"], 12, 30),
    "staff2": (1, ["proposal"], 20, 50),
    "staff3": (1, ["worksharing", "docs", "club"], 8, 20),
    "staff4": (0, ["proposal", "proposal"], 5, 10),  # more points, but no proposal: ineligible
    "staff5": (1, ["club"], 15, 44),
    "innov": (1, [], 22, 10),
    "panel01": (1, ["worksharing"], 3, 6),
    "panel06": (0, [], 10, 40),
}


def _ledger(
    user: User,
    n: int,
    base: datetime,
    spec: tuple[int, list[str], int, int],
    latest: datetime,
) -> None:
    """The spec's rows 3 hours apart from ``base``; never after ``latest`` (demo data never
    lies in the future)."""
    proposals, approvals, comments, views = spec
    rows = [("proposal_submitted", "proposal")] * proposals
    rows += [("approval", area) for area in approvals]
    rows += [("comment", ["proposal", "club", "worksharing"][i % 3]) for i in range(comments)]
    rows += [("view", ["proposal", "club", "worksharing", "docs"][i % 4]) for i in range(views)]
    for i, (kind, area) in enumerate(rows):
        activity_record(
            user=user,
            area=area,
            kind=kind,
            source_type=SOURCE,
            source_id=n * 100_000 + i,
            at=min(base + timedelta(hours=3 * i), latest),
        )


def past_quarters(now: datetime) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, quarter) of the quarter before last and of last quarter, seen from ``now``."""
    month = periods.month_of(now)
    year, quarter = month.year, periods.quarter_of(month)
    last = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    before = (last[0], last[1] - 1) if last[1] > 1 else (last[0] - 1, 4)
    return before, last


def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    users = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    if not users:
        return
    confirmed, proposed = past_quarters(now)
    with transaction.atomic():
        for year, q in (confirmed, proposed):
            for k in range(3):
                month = 3 * (q - 1) + 1 + k
                for j, (name, spec) in enumerate(PEOPLE.items()):
                    if name in users:
                        # Fixed per quarter, so a rerun finds its rows (4 quarters a year).
                        n = ((year - 2000) * 4 + q) * 1000 + k * 100 + j
                        base = datetime(year, month, 2, 9, tzinfo=periods.KST)
                        _ledger(users[name], n, base, spec, latest=now)
        # This month: staff1 at 38 / 40 comment points and 12 / 20 view points.
        if "staff1" in users:
            base = now.astimezone(periods.KST).replace(day=1, hour=9, minute=0, second=0)
            n = 900_000 + (base.year - 2000) * 12 + base.month  # one set per month
            _ledger(users["staff1"], n, base, (1, ["club"], 19, 24), latest=now)
    admin = User.objects.filter(username="admin").first()
    for year, q in (confirmed, proposed):
        rnd = round_run(year=year, quarter=q, at=now)
        if (year, q) == confirmed and admin is not None:
            round_confirm(round=rnd, by=admin, at=now)
    if stdout:
        stdout.write(
            f"scoring: {Activity.objects.filter(source_type=SOURCE).count()} demo ledger rows, "
            f"{QuarterRound.objects.count()} 창의왕 rounds\n"
        )
