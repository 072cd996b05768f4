"""Celery tasks of the learning clubs; each calls a service that also has a command."""

from celery import shared_task

from . import services


@shared_task(name="clubs.flag_missing_reports")
def flag_missing_reports_task() -> int:
    """Flag overdue monthly reports to groups and admins (idempotent)."""
    return services.missing_reports_flag()
