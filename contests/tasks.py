from celery import shared_task

from .services import rounds_open_due


@shared_task
def open_due_rounds() -> int:
    """The scheduled twin of ``manage.py contests_open_due``."""
    return len(rounds_open_due())
