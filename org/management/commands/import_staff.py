"""Import the HR system's staff file: ``manage.py import_staff 인사.xlsx [--dry-run]``.

The same import as Django admin's (``org.staff_import.staff_import``), with a progress bar on
standard error, so a city's 50,000 staff can be loaded from a terminal or cron.
"""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from common.errors import ServiceError
from org.staff_import import Plan, file_sha256, plan_apply, plan_build

SHOW = 50  # lines of each list shown; --all shows every one


class ProgressBar:
    """``[#####.....]  12,000/50,000 새 직원`` on one line of a terminal, redrawn in place."""

    def __init__(self, stream: OutputWrapper, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {done:>7,}/{total:,} {stage}   ", ending=end)
        self.stream.flush()


class Command(BaseCommand):
    help = "인사 시스템의 직원 파일(.xlsx, CSV)로 조직도와 직원을 가져옵니다."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="직원 파일(.xlsx 또는 .csv)")
        parser.add_argument("--dry-run", action="store_true", help="바꿀 내용만 보여 주기")
        parser.add_argument(
            "--create-departments", action="store_true", help="없는 국·소, 부서, 팀을 새로 만들기"
        )
        parser.add_argument(
            "--skip-bad-lines", action="store_true", help="문제 있는 줄은 건너뛰고 가져오기"
        )
        parser.add_argument("--all", action="store_true", help="목록을 모두 보여 주기")
        parser.add_argument("--no-progress", action="store_true", help="진행 막대 없이")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"파일이 없습니다: {path}")
        progress = None if options["no_progress"] else ProgressBar(self.stderr)
        started = time.perf_counter()
        with path.open("rb") as data, transaction.atomic():
            try:
                plan = plan_build(
                    data,
                    filename=path.name,
                    size=path.stat().st_size,
                    create_departments=options["create_departments"],
                    progress=progress,
                )
                self._show(plan, show_all=options["all"])
                if options["dry_run"]:
                    self.stdout.write("미리 보기만 했습니다: 아무것도 바꾸지 않았습니다.")
                    return
                run = plan_apply(
                    plan,
                    skip_bad_lines=options["skip_bad_lines"],
                    sha256=file_sha256(data),
                    progress=progress,
                )
            except ServiceError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"가져왔습니다 ({time.perf_counter() - started:.1f}초): 새 직원 {run.created}, "
                f"바뀜 {run.changed}, 사용 중지 {run.deactivated}, 건너뛴 줄 {run.skipped}"
            )
        )

    def _show(self, plan: Plan, *, show_all: bool) -> None:
        out = self.stdout
        limit = None if show_all else SHOW

        def listing(title: str, items: list[str]) -> None:
            if not items:
                return
            out.write(f"{title} ({len(items):,})")
            for item in items[:limit]:
                out.write(f"  {item}")
            if limit is not None and len(items) > limit:
                out.write(f"  … 외 {len(items) - limit:,}명 (--all로 모두 보기)")

        out.write(f"{plan.filename}: {plan.lines:,}줄")
        listing("조직도", plan.org_changes)
        listing("새 직원", [f"{r.name}({r.employee_number}) {r.department}" for r in plan.creates])
        listing("바뀜", [str(c) for c in plan.changes])
        listing("사용 중지(파일에 없음)", [f"{c.name}({c.username})" for c in plan.deactivations])
        out.write(f"그대로 {plan.unchanged:,}명")
        if plan.issues:
            out.write(self.style.ERROR(f"문제 있는 줄 ({len(plan.bad_lines):,})"))
            for issue in plan.issues[:limit]:
                out.write(f"  {issue}")
