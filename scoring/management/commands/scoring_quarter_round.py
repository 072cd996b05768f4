"""`manage.py scoring_quarter_round [--year Y --quarter Q]`: the quarterly 창의왕 round from cron.

Without arguments it freezes the quarter that ended last. Running it twice changes nothing."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common import periods
from common.errors import ServiceError
from scoring.services import quarter_round_run


class Command(BaseCommand):
    help = "분기 창의왕 집계를 확정 기록으로 남기고 상위 3명을 후보로 제안합니다."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])

    def handle(self, *args: Any, year: int | None, quarter: int | None, **opts: Any) -> None:
        if (year is None) != (quarter is None):
            raise CommandError("--year 와 --quarter 는 함께 지정하세요.")
        if year is None or quarter is None:
            year, quarter = periods.previous_quarter(periods.local_date(timezone.now()))
        try:
            rnd = quarter_round_run(year=year, quarter=quarter)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        winners = ", ".join(
            f"{w.place}. {w.user}" for w in rnd.winners.filter(active=True).select_related("user")
        )
        self.stdout.write(
            f"{rnd} ({rnd.get_status_display()}): {rnd.entries.count()}명, 후보 {winners or '없음'}"
        )
