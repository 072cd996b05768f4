"""The shared body of the ``job_<name>`` commands and ``run_job``: run a scheduled job from
cron on a server without a Celery worker. Same service, same log, same idempotence."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from programme.jobs import job_run


def parse_date(value: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, made aware below
    except ValueError as exc:
        raise CommandError("날짜는 YYYY-MM-DD 형식으로 입력하세요.") from exc
    return datetime.combine(day, time(9), tzinfo=ZoneInfo(settings.TIME_ZONE))


class JobCommand(BaseCommand):
    job: str = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="이 날짜에 실행한 것으로 처리 (YYYY-MM-DD, 기본: 오늘)")
        parser.add_argument(
            "--period", help="대상 기간을 직접 지정 (예: 2026-Q3, 2026-H2, 2026-03)"
        )
        parser.add_argument("--force", action="store_true", help="이미 완료된 기간도 다시 실행")

    def run(self, job: str, options: dict) -> None:
        at = parse_date(options["date"]) if options.get("date") else None
        outcome = job_run(job=job, at=at, period=options.get("period"), force=options["force"])
        line = f"{job} {outcome.period or '-'}: {outcome.status}"
        if outcome.run is not None and outcome.run.result:
            line += f" {outcome.run.result}"
        if outcome.detail:
            line += f" ({outcome.detail})"
        if outcome.status == "failed":
            raise CommandError(line)
        self.stdout.write(line)

    def handle(self, *args: object, **options: object) -> None:
        self.run(self.job, options)
