"""Writing a plan: in one transaction, in bulk, so 50,000 people take seconds, not hours."""

import secrets
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import ServiceError
from org.models import Assignment, Bureau, Department, StaffImportRun, StaffProfile, Team
from org.roles import Role
from org.services import roles_ensure

from .checks import name_split
from .plan import Change, Plan, Progress

User = get_user_model()
CHUNK = 2000
T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _unusable_password() -> str:
    """What ``set_unusable_password`` stores, made with one call to the OS's random source
    (Django's own takes 40 calls per account: seconds for a city's staff)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def department_kind(name: str) -> str:
    """A 동 주민센터 is named after its 동 (신당5동, 소공동): every other department is an office."""
    if name.endswith("동") or name.endswith("주민센터"):
        return Department.Kind.DONG
    return Department.Kind.OFFICE


def _org_apply(plan: Plan) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    order = (Bureau.objects.aggregate(m=Max("order"))["m"] or 0) + 1
    Bureau.objects.bulk_create(
        Bureau(name=name, order=order + i) for i, name in enumerate(plan.new_bureaus)
    )
    bureau_ids = dict(Bureau.objects.values_list("name", "id"))
    next_order: dict[int, int] = {}
    for bureau_id, top in Department.objects.values_list("bureau_id").annotate(m=Max("order")):
        next_order[bureau_id] = (top or 0) + 1
    new: list[Department] = []
    for name, bureau in plan.new_departments.items():
        bureau_id = bureau_ids[bureau]
        d_order = next_order.get(bureau_id, 1)
        next_order[bureau_id] = d_order + 1
        new.append(
            Department(name=name, bureau_id=bureau_id, kind=department_kind(name), order=d_order)
        )
    Department.objects.bulk_create(new)
    for name, bureau in plan.moved_departments.items():
        Department.objects.filter(name=name).update(bureau_id=bureau_ids[bureau])
    dept_ids = dict(Department.objects.values_list("name", "id"))
    Team.objects.bulk_create(
        Team(department_id=dept_ids[dept], name=team) for dept, team in plan.new_teams
    )
    team_ids = {
        (dept, name): pk
        for dept, name, pk in Team.objects.values_list("department__name", "name", "id")
    }
    return dept_ids, team_ids


@transaction.atomic
def plan_apply(
    plan: Plan,
    *,
    skip_bad_lines: bool = False,
    by: AuthUser | None = None,
    at: datetime | None = None,
    sha256: str = "",
    progress: Progress | None = None,
) -> StaffImportRun:
    """Write what ``plan`` says. Refused (nothing written) while a line is bad, unless
    ``skip_bad_lines``: then the bad lines are left out and everyone they name stays as is."""
    at = at or timezone.now()
    if plan.issues and not skip_bad_lines:
        raise ServiceError(
            _(
                "%(n)d개 줄에 문제가 있어 아무것도 바꾸지 않았습니다. 고치거나 '문제 있는 줄 건너뛰기'를 선택해 주세요."
            ),
            code="bad_lines",
            params={"n": len(plan.bad_lines)},
        )
    run = StaffImportRun.objects.create(
        started_at=at,
        started_by=by if by is not None and by.pk else None,
        filename=plan.filename[:255],
        sha256=sha256,
        total=plan.lines,
        skipped=len(plan.bad_lines),
    )
    dept_ids, team_ids = _org_apply(plan)
    total = len(plan.creates) + len(plan.changes) + len(plan.deactivations)
    done = 0
    staff_group = roles_ensure()[Role.STAFF]
    membership = User.groups.through

    for chunk in _chunks(plan.creates):
        users = []
        for row in chunk:
            last, first = name_split(row.name)
            users.append(
                User(
                    username=row.employee_number,
                    last_name=last,
                    first_name=first,
                    email=row.email,
                    is_active=row.is_active,
                    password=_unusable_password(),  # none usable until they set one
                    date_joined=at,
                )
            )
        User.objects.bulk_create(users)
        StaffProfile.objects.bulk_create(
            StaffProfile(
                user_id=user.pk,
                employee_number=row.employee_number,
                department_id=dept_ids[row.department],
                team_id=team_ids[(row.department, row.team)] if row.team else None,
                position=row.position,
                grade=row.grade,
                employment_status=row.status,
            )
            for user, row in zip(users, chunk, strict=True)
        )
        Assignment.objects.bulk_create(
            Assignment(
                user_id=user.pk,
                department_id=dept_ids[row.department],
                team_id=team_ids[(row.department, row.team)] if row.team else None,
            )
            for user, row in zip(users, chunk, strict=True)
        )
        membership.objects.bulk_create(
            (membership(user_id=user.pk, group_id=staff_group.pk) for user in users),
            ignore_conflicts=True,
        )
        done += len(chunk)
        if progress:
            progress(str(_("새 직원")), done, total)

    for changes in _chunks(plan.changes):
        renamed: list[AuthUser] = []
        kept: list[AuthUser] = []
        # Profiles that end alike are written with one UPDATE each (a January reshuffle sends
        # thousands to a few dozen postings); bulk_update's CASE per row is far slower.
        postings: dict[tuple[int, int | None, str, str, str], list[int]] = defaultdict(list)
        for change in changes:
            row, cur = change.row, change.current
            if (cur.name, cur.email, cur.is_active) != (row.name, row.email, row.is_active):
                user = User(pk=cur.user_id, email=row.email, is_active=row.is_active)
                if cur.name != row.name:  # else keep a hand-typed split such as 남궁/연
                    user.last_name, user.first_name = name_split(row.name)
                    renamed.append(user)
                else:
                    kept.append(user)
            key = (
                dept_ids[row.department],
                team_ids[(row.department, row.team)] if row.team else None,
                row.position,
                row.grade,
                row.status,
            )
            postings[key].append(cur.profile_id)
        User.objects.bulk_update(renamed, ["last_name", "first_name", "email", "is_active"])
        User.objects.bulk_update(kept, ["email", "is_active"])
        for (dept_id, team_id, position, grade, status), ids in postings.items():
            StaffProfile.objects.filter(pk__in=ids).update(
                department_id=dept_id,
                team_id=team_id,
                position=position,
                grade=grade,
                employment_status=status,
            )
        _transfers_record([c for c in changes if c.moves], dept_ids, team_ids, at)
        done += len(changes)
        if progress:
            progress(str(_("바뀐 직원")), done, total)

    for gone in _chunks(plan.deactivations):
        User.objects.filter(pk__in=[cur.user_id for cur in gone]).update(is_active=False)
        done += len(gone)
        if progress:
            progress(str(_("사용 중지")), done, total)

    run.processed = plan.lines
    run.created = len(plan.creates)
    run.changed = len(plan.changes)
    run.deactivated = len(plan.deactivations)
    run.status = StaffImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


def _transfers_record(
    moves: Sequence[Change],
    dept_ids: dict[str, int],
    team_ids: dict[tuple[str, str], int],
    at: datetime,
) -> None:
    """Close each mover's current posting at ``at`` and open the new one (see staff_transfer)."""
    if not moves:
        return
    user_ids = [m.current.user_id for m in moves]
    with_history = set(
        Assignment.objects.filter(user_id__in=user_ids, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    Assignment.objects.filter(user_id__in=with_history, ended_at__isnull=True).update(ended_at=at)
    past: list[Assignment] = []
    new: list[Assignment] = []
    for m in moves:
        cur, row = m.current, m.row
        if cur.user_id not in with_history and cur.department:
            past.append(
                Assignment(
                    user_id=cur.user_id,
                    department_id=dept_ids.get(cur.department),
                    team_id=team_ids.get((cur.department, cur.team or "")),
                    ended_at=at,
                )
            )
        new.append(
            Assignment(
                user_id=cur.user_id,
                department_id=dept_ids[row.department],
                team_id=team_ids[(row.department, row.team)] if row.team else None,
                started_at=at if (cur.user_id in with_history or cur.department) else None,
            )
        )
    Assignment.objects.bulk_create(past + new)
