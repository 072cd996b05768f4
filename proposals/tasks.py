"""Celery tasks: thin wrappers over services (each also has a management command)."""

from celery import shared_task

from .services import personal_data_anonymize_expired


@shared_task(name="proposals.anonymize_expired_personal_data")
def anonymize_expired_personal_data() -> int:
    """Daily: blank residents' personal data whose retention period has ended. Idempotent."""
    return personal_data_anonymize_expired()
