"""Celery tasks: take values, call a service (the same service backs `manage.py
scoring_quarter_round` for a server without a worker)."""

from celery import shared_task
from django.utils import timezone

from common import periods

from .services import quarter_round_run


@shared_task(name="scoring.quarter_round_run")
def quarter_round_run_task(year: int | None = None, quarter: int | None = None) -> int:
    """Freeze the quarter that just ended (or the one given). Beat runs it on the 1st of
    January, April, July and October; running it again changes nothing. Returns the round id."""
    if year is None or quarter is None:
        year, quarter = periods.previous_quarter(periods.local_date(timezone.now()))
    return quarter_round_run(year=year, quarter=quarter).pk
