"""``manage.py board_rebuild_tally``: recompute the board's monthly summary (the admin
dashboard's figures, ``board.models.MonthlyTally``) from the posts, after a bulk import or a
fix made outside the services. Writes only the cells that differ: a second run changes
nothing."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from board.tally import rebuild


class Command(BaseCommand):
    help = "게시글 월별 집계(관리자 대시보드)를 게시글에서 다시 계산합니다."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        cells, written = rebuild()
        self.stdout.write(
            f"{cells:,} cells, {written:,} written ({time.perf_counter() - start:.1f} s)"
        )
