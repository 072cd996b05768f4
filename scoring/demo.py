"""Demo 창의왕 data. Idempotent: every row has a fixed source, and rounds run once.

The point table is the 2016 one from migration 0002; 2026 has no table of its own and uses it
(the latest earlier year's table applies). The board's demo runs after this one, so this
module writes its own ledger rows (source_type "demo.scoring"): a confirmed 2026 Q2 round with
its three 창의왕, a proposed Q3 round for admins to confirm or change, and this month's points
for staff1 (38 / 40 comment points) so 내 점수 has something to show.
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
    latest: datetime | None = None,
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
            at=min(base + timedelta(hours=3 * i), latest)
            if latest
            else base + timedelta(hours=3 * i),
        )


def seed(stdout: TextIO | None = None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    if not users:
        return
    now = timezone.now()
    this_month = periods.month_of(now)
    cur_year, cur_q = this_month.year, periods.quarter_of(this_month)
    with transaction.atomic():
        for q, months in ((2, (4, 5, 6)), (3, (7, 8, 9))):
            for k, month in enumerate(months):
                for j, (name, spec) in enumerate(PEOPLE.items()):
                    if name in users:
                        base = datetime(2026, month, 2, 9, tzinfo=periods.KST)
                        _ledger(users[name], q * 1000 + k * 100 + j, base, spec)
        # This month: staff1 at 38 / 40 comment points and 12 / 20 view points.
        if "staff1" in users:
            base = now.astimezone(periods.KST).replace(day=1, hour=9, minute=0, second=0)
            _ledger(users["staff1"], 9999, base, (1, ["club"], 19, 24), latest=now)
    admin = User.objects.filter(username="admin").first()
    for q in (2, 3):
        if (2026, q) < (cur_year, cur_q):
            rnd = round_run(year=2026, quarter=q, at=now)
            if q == 2 and admin is not None:
                round_confirm(round=rnd, by=admin, at=now)
    if stdout:
        stdout.write(
            f"scoring: {Activity.objects.filter(source_type=SOURCE).count()} demo ledger rows, "
            f"{QuarterRound.objects.count()} 창의왕 rounds\n"
        )
