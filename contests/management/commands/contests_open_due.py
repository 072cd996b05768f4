from django.core.management.base import BaseCommand

from contests.services import rounds_open_due


class Command(BaseCommand):
    help = "시작일이 된 심사 회차의 첫 단계를 엽니다 (cron 또는 Celery beat에서 실행)."

    def handle(self, *args: object, **options: object) -> None:
        stages = rounds_open_due()
        for stage in stages:
            self.stdout.write(f"심사 시작: {stage}")
        self.stdout.write(f"{len(stages)}개 단계를 열었습니다.")
