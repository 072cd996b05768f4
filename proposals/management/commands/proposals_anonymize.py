"""Anonymize residents' personal data past its retention period (cron without a worker)."""

from django.core.management.base import BaseCommand

from proposals.services import personal_data_anonymize_expired


class Command(BaseCommand):
    help = "보유기간이 끝난 구민 제안자의 개인정보를 익명 처리합니다. 여러 번 실행해도 같습니다."

    def handle(self, *args: object, **options: object) -> None:
        count = personal_data_anonymize_expired()
        self.stdout.write(f"익명 처리: {count}건")
