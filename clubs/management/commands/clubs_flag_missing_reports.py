"""Flag overdue monthly club reports; for a server without a Celery worker (cron)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandParser

from clubs.services import missing_reports_flag


class Command(BaseCommand):
    help = "제출 기한(다음 달 5일)이 지난 분임 월별 활동보고서를 분임장·총무와 관리자에게 알립니다. 여러 번 실행해도 한 번만 알립니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="이 날짜(YYYY-MM-DD, 서울)를 오늘로 보고 확인합니다.")

    def handle(self, *args: object, **options: object) -> None:
        at = None
        if options["date"]:
            day = date.fromisoformat(str(options["date"]))
            at = datetime.combine(day, time(9), tzinfo=ZoneInfo("Asia/Seoul"))
        n = missing_reports_flag(at=at)
        self.stdout.write(f"미제출 월별 활동보고서 {n}건을 새로 알렸습니다.")
