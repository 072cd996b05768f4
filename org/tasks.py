from celery import shared_task

from .models import Department


@shared_task
def health_ping() -> int:
    """Answers through the broker with a database read: proves worker, broker and DB work."""
    return Department.objects.count()
