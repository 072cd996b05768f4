"""Celery tasks of the notifications: take ids, call a service (tasks → services only)."""

from celery import shared_task

from .services import EMAIL_TASK, notification_email_send


# No result is kept: nobody waits for one (the Redis result backend would write it and
# subscribe the sender to its channel).
@shared_task(name=EMAIL_TASK, ignore_result=True)
def notification_email_send_task(notification_id: int) -> bool:
    """Send one notification's email (after the transaction that created it committed)."""
    return notification_email_send(notification_id=notification_id)
