import logging
from datetime import datetime

from celery import shared_task

from .jobs import job_run
from .schedule import TASK_NAME

logger = logging.getLogger(__name__)


@shared_task(name=TASK_NAME)
def run_job(job: str, at: str | None = None) -> dict[str, str]:
    """Run one scheduled job (beat sends the job's name); logged once per period in JobRun."""
    outcome = job_run(job=job, at=datetime.fromisoformat(at) if at else None)
    logger.info("job %s %s: %s %s", job, outcome.period, outcome.status, outcome.detail)
    return {"job": job, "period": outcome.period, "status": outcome.status}
