"""The scheduled jobs of the programme year, as data the settings can read.

No Django imports here: ``settings.py`` builds ``CELERY_BEAT_SCHEDULE`` from this module.
Every job runs through one task, ``programme.run_job``, which logs it in ``JobRun`` once per
period (see ``programme.jobs``); each job is also a management command ``job_<name>``.
Times are Asia/Seoul (CELERY_TIMEZONE).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from celery.schedules import crontab


@dataclass(frozen=True)
class JobSpec:
    name: str
    label: str  # Korean, shown in admin and the dashboard
    cron: dict[str, str] = field(default_factory=dict)  # crontab() keyword arguments


JOB_SPECS: list[JobSpec] = [
    JobSpec("plan_year", "연간 추진 일정 준비", {"minute": "10", "hour": "0", "day_of_month": "1", "month_of_year": "1"}),
    JobSpec("knowledge_day", "지식등록의 날 안내", {"minute": "0", "hour": "8", "day_of_month": "1", "month_of_year": "3,6,9"}),
    JobSpec("knowledge_day_tally", "지식등록의 날 집계", {"minute": "30", "hour": "0", "day_of_month": "1", "month_of_year": "4,7,10"}),
    JobSpec("scoring_quarter", "창의왕 분기 선정", {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"}),
    JobSpec("proposals_half_year", "반기 제안 심사 회차", {"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "5,11"}),
    JobSpec("theme_evaluation", "테마제안 심사 회부", {"minute": "30", "hour": "7", "day_of_month": "1", "month_of_year": "5,11"}),
    JobSpec("theme_round", "맞춤형 테마제안 회차", {"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "4,10"}),
    # A monthly report is due by the 5th of the next month; the 6th flags the late ones.
    JobSpec("club_report_reminders", "동아리 월별 활동보고 미제출 알림", {"minute": "0", "hour": "9", "day_of_month": "6"}),
    JobSpec("club_review", "동아리 연구성과 심사", {"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "11"}),
    JobSpec("retention", "개인정보 보존기간 경과 처리", {"minute": "30", "hour": "3"}),
    JobSpec("contests_open_due", "심사 회차 개시 (시작일 도래)", {"minute": "0", "hour": "6"}),
]  # fmt: skip
JOB_NAMES = [spec.name for spec in JOB_SPECS]
TASK_NAME = "programme.run_job"


def beat_schedule(*, every_seconds: int = 0, only: list[str] | None = None) -> dict[str, dict]:
    """``CELERY_BEAT_SCHEDULE``. ``every_seconds`` replaces the crontabs by a short interval
    (the CI test of a real beat uses it); ``only`` keeps just the named jobs."""
    schedule: dict[str, dict] = {}
    for spec in JOB_SPECS:
        if only and spec.name not in only:
            continue
        when = timedelta(seconds=every_seconds) if every_seconds else crontab(**spec.cron)
        schedule[f"programme.{spec.name}"] = {
            "task": TASK_NAME,
            "schedule": when,
            "args": [spec.name],
        }
    return schedule
