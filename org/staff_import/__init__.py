"""Import of the org chart and staff from the HR system's file 인사 자료 가져오기.

``staff_import`` is the one entry point: Django admin, the ``import_staff`` command and the
demo data all call it. It reads and checks the whole file, works out a plan (the dry run),
and, unless asked only for the plan, writes it in one transaction:

- new people get an account with no usable password (they set one through a one-time link
  or sign in through the directory) and the 직원 role;
- a transfer closes the old posting and opens a new one (``org.models.Assignment``), so past
  records keep the department of their time (``org.selectors.department_at``);
- a person missing from the file is deactivated, never deleted (a superuser is left alone);
- re-importing the same file changes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.contrib.auth.models import User as AuthUser
from django.db import transaction

from org.models import StaffImportRun

from .apply import plan_apply
from .plan import Plan, Progress, plan_build
from .reading import COLUMNS, MAX_FILE_BYTES, Issue

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "ImportResult",
    "Issue",
    "Plan",
    "file_sha256",
    "plan_apply",
    "plan_build",
    "staff_import",
]


@dataclass
class ImportResult:
    plan: Plan
    run: StaffImportRun | None  # None for a dry run


def file_sha256(data: IO[bytes]) -> str:
    data.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: data.read(1024 * 1024), b""):
        digest.update(block)
    data.seek(0)
    return digest.hexdigest()


def staff_import(
    *,
    data: IO[bytes],
    filename: str,
    size: int,
    create_departments: bool = False,
    skip_bad_lines: bool = False,
    dry_run: bool = False,
    by: AuthUser | None = None,
    at: datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Plan (and unless ``dry_run``, write) the import of one staff file.

    A file refused as a whole raises ServiceError before anything is read; with bad lines
    and no ``skip_bad_lines`` the write raises ServiceError (code ``bad_lines``) and nothing
    is written. ``create_departments`` lets the file add bureaus, departments and teams (and
    move a department to another bureau); without it a posting the org chart lacks is a
    bad line."""
    with transaction.atomic():
        plan = plan_build(
            data,
            filename=filename,
            size=size,
            create_departments=create_departments,
            progress=progress,
        )
        if dry_run:
            return ImportResult(plan=plan, run=None)
        run = plan_apply(
            plan,
            skip_bad_lines=skip_bad_lines,
            by=by,
            at=at,
            sha256=file_sha256(data),
            progress=progress,
        )
    return ImportResult(plan=plan, run=run)
