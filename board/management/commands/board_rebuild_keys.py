"""``manage.py board_rebuild_keys``: recompute the duplicate and search keys of every post.

For a board of any size (the migrations rebuild keys only on small boards): posts in id
order, a batch per transaction, resumable (a stopped run continues after its last committed
batch; ``--restart`` starts over), with a progress bar on stderr.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from board.models import KeyRebuild
from board.services import REBUILD_BATCH, post_keys_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "게시글의 중복·검색 키를 다시 계산합니다 (중단된 곳부터 이어서)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=REBUILD_BATCH)
        parser.add_argument("--restart", action="store_true", help="처음부터 다시 계산")
        parser.add_argument("--limit", type=int, default=None, help="이만큼 처리하고 멈춤")

    def handle(self, *args: Any, batch: int, restart: bool, limit: int | None, **kw: Any) -> None:
        start = time.perf_counter()

        def progress(run: KeyRebuild, processed: int) -> None:
            rate = processed / max(time.perf_counter() - start, 1e-6)
            share = run.done / run.total if run.total else 1.0
            filled = int(BAR_WIDTH * min(share, 1.0))
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:6.1%} "
                f"{run.done:,}/{run.total:,} posts, {rate:,.0f}/s, last id {run.last_id}",
                ending="",
            )
            self.stderr.flush()

        run = post_keys_rebuild(batch=batch, restart=restart, limit=limit, progress=progress)
        self.stderr.write("")
        elapsed = time.perf_counter() - start
        state = "완료" if run.finished_at else "중단(다시 실행하면 이어서 계산)"
        self.stdout.write(f"{state}: {run.done:,}/{run.total:,} posts in {elapsed:.1f} s")
