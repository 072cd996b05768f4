"""Helpers to put activity in the ledger through the real services."""

import itertools
from datetime import datetime

from scoring.services import activity_record

_ids = itertools.count(1)


def record(user: object, kind: str, at: datetime, area: str = "proposal", **kw: object):
    """One ledger row with a fresh source id (what the board does for each new event)."""
    return activity_record(
        user=user,
        area=area,
        kind=kind,
        source_type=str(kw.get("source_type", "test.post")),
        source_id=int(kw.get("source_id", next(_ids))),
        at=at,
    )
