"""What an import would do, worked out before anything is written: the dry run 미리 보기.

The plan compares the checked lines with the database as it is now: who is new, who changed
(and how: "김민수: 전산정보과 → 총무과"), who is missing from the file and will be
deactivated, which bureaus, departments and teams are new, and every bad line with its reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from org.models import Bureau, Department, EmploymentStatus, StaffProfile, Team

from .checks import StaffRow, rows_check
from .reading import BUREAU, DEPARTMENT, TEAM, Issue, table_read

User = get_user_model()
Progress = Callable[[str, int, int], None]

POSITION_LABELS = dict(StaffProfile.Position.choices)
STATUS_LABELS = dict(EmploymentStatus.choices)


@dataclass(frozen=True)
class Current:
    """A person as the portal has them now (read with one query for the whole file)."""

    user_id: int
    profile_id: int
    username: str
    name: str
    email: str
    is_active: bool
    is_superuser: bool
    department: str | None
    team: str | None
    position: str
    grade: str
    status: str


@dataclass
class Change:
    row: StaffRow
    current: Current
    descriptions: list[str]
    moves: bool  # department or team differs: a transfer, kept in the history

    def __str__(self) -> str:
        return f"{self.row.name}: {', '.join(self.descriptions)}"


@dataclass
class Plan:
    filename: str
    lines: int = 0
    creates: list[StaffRow] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    deactivations: list[Current] = field(default_factory=list)
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)
    new_bureaus: list[str] = field(default_factory=list)
    new_departments: dict[str, str] = field(default_factory=dict)  # name -> bureau name
    moved_departments: dict[str, str] = field(default_factory=dict)  # name -> new bureau
    new_teams: list[tuple[str, str]] = field(default_factory=list)  # (department, team)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({issue.line for issue in self.issues})

    @property
    def org_changes(self) -> list[str]:
        out = [_("국·소 새로 만듦: %(name)s") % {"name": n} for n in self.new_bureaus]
        out += [
            _("부서 새로 만듦: %(name)s (%(bureau)s)") % {"name": n, "bureau": b}
            for n, b in self.new_departments.items()
        ]
        out += [
            _("부서 %(name)s: 국·소를 %(bureau)s(으)로 옮김") % {"name": n, "bureau": b}
            for n, b in self.moved_departments.items()
        ]
        out += [
            _("팀 새로 만듦: %(dept)s %(team)s") % {"dept": d, "team": t} for d, t in self.new_teams
        ]
        return out

    @property
    def writes_anything(self) -> bool:
        return bool(
            self.creates
            or self.changes
            or self.deactivations
            or self.new_bureaus
            or self.new_departments
            or self.moved_departments
            or self.new_teams
        )


def _currents() -> dict[str, Current]:
    rows = StaffProfile.objects.filter(employee_number__isnull=False).values_list(
        "employee_number", "user_id", "id", "user__username", "user__last_name",
        "user__first_name", "user__email", "user__is_active", "user__is_superuser",
        "department__name", "team__name", "position", "grade", "employment_status",
    )  # fmt: skip
    return {
        r[0]: Current(
            user_id=r[1],
            profile_id=r[2],
            username=r[3],
            name=f"{r[4]}{r[5]}".strip(),
            email=r[6],
            is_active=r[7],
            is_superuser=r[8],
            department=r[9],
            team=r[10],
            position=r[11],
            grade=r[12],
            status=r[13],
        )  # fmt: skip
        for r in rows
        if r[0] is not None
    }


def _posting(department: str | None, team: str | None) -> str:
    if not department:
        return str(_("미지정"))
    return f"{department}({team})" if team else department


def _describe(row: StaffRow, cur: Current) -> tuple[list[str], bool]:
    out: list[str] = []
    moves = False
    if (cur.department, cur.team or "") != (row.department, row.team):
        moves = True
        if cur.department == row.department:
            out.append(
                _("팀 %(old)s → %(new)s")
                % {"old": cur.team or _("없음"), "new": row.team or _("없음")}
            )
        elif not cur.team and not row.team:
            out.append(f"{cur.department or _('미지정')} → {row.department}")
        else:
            out.append(
                f"{_posting(cur.department, cur.team)} → {_posting(row.department, row.team)}"
            )
    if cur.name != row.name:
        out.append(_("성명 %(old)s → %(new)s") % {"old": cur.name, "new": row.name})
    if cur.position != row.position:
        out.append(
            _("직위 %(old)s → %(new)s")
            % {"old": POSITION_LABELS[cur.position], "new": POSITION_LABELS[row.position]}
        )
    if cur.grade != row.grade:
        out.append(
            _("직급 %(old)s → %(new)s")
            % {"old": cur.grade or _("없음"), "new": row.grade or _("없음")}
        )
    if cur.email != row.email:
        out.append(
            _("전자우편 %(old)s → %(new)s")
            % {"old": cur.email or _("없음"), "new": row.email or _("없음")}
        )
    if cur.status != row.status:
        out.append(
            _("재직 상태 %(old)s → %(new)s")
            % {"old": STATUS_LABELS[cur.status], "new": STATUS_LABELS[row.status]}
        )
    elif cur.is_active != row.is_active:
        out.append(_("다시 사용") if row.is_active else _("사용 중지"))
    return out, moves


def _org_resolve(
    plan: Plan, rows: Iterable[StaffRow], *, create_departments: bool
) -> list[StaffRow]:
    """Check each row's bureau, department and team against the org chart; plan the new ones
    (when allowed). Returns the rows whose posting exists or will."""
    bureaus = set(Bureau.objects.values_list("name", flat=True))
    departments = dict(Department.objects.values_list("name", "bureau__name"))
    teams = set(Team.objects.values_list("department__name", "name"))
    ok: list[StaffRow] = []
    for row in rows:
        issue = None
        bureau_now = plan.new_departments.get(row.department) or plan.moved_departments.get(
            row.department, departments.get(row.department)
        )
        if bureau_now is None:
            if not create_departments:
                issue = Issue(row.line, DEPARTMENT, row.department, _(
                    "없는 부서입니다. 조직도를 먼저 고치거나 '부서·팀 새로 만들기'를 선택해 주세요."
                ))  # fmt: skip
            elif not row.bureau:
                issue = Issue(row.line, BUREAU, row.bureau, _("새 부서의 국·소가 비어 있습니다."))
            else:
                if row.bureau not in bureaus and row.bureau not in plan.new_bureaus:
                    plan.new_bureaus.append(row.bureau)
                plan.new_departments[row.department] = row.bureau
        elif row.bureau and row.bureau != bureau_now:
            first_said = row.department in plan.new_departments or (
                row.department in plan.moved_departments
            )
            if not create_departments:
                issue = Issue(row.line, BUREAU, row.bureau, _(
                    "%(dept)s은(는) %(bureau)s 소속입니다. 조직도를 고치려면 "
                    "'부서·팀 새로 만들기'를 선택해 주세요."
                ) % {"dept": row.department, "bureau": bureau_now})  # fmt: skip
            elif first_said:
                issue = Issue(row.line, BUREAU, row.bureau, _(
                    "같은 파일에서 %(dept)s의 국·소가 %(bureau)s(으)로 먼저 나왔습니다."
                ) % {"dept": row.department, "bureau": bureau_now})  # fmt: skip
            else:
                if row.bureau not in bureaus and row.bureau not in plan.new_bureaus:
                    plan.new_bureaus.append(row.bureau)
                plan.moved_departments[row.department] = row.bureau
        if issue is None and row.team and (row.department, row.team) not in teams:
            if not create_departments:
                issue = Issue(row.line, TEAM, row.team, _(
                    "%(dept)s에 없는 팀입니다. 조직도를 먼저 고치거나 '부서·팀 새로 만들기'를 "
                    "선택해 주세요."
                ) % {"dept": row.department})  # fmt: skip
            else:
                teams.add((row.department, row.team))
                plan.new_teams.append((row.department, row.team))
        if issue is None:
            ok.append(row)
        else:
            plan.issues.append(issue)
    return ok


def plan_build(
    data: IO[bytes],
    *,
    filename: str,
    size: int,
    create_departments: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Read, check and compare a staff file: nothing is written. A file refused as a whole
    raises ServiceError; problems of lines are in ``plan.issues``."""
    table = table_read(data, filename=filename, size=size)
    plan = Plan(filename=filename, lines=len(table.rows))
    if progress:
        progress(str(_("파일 읽음")), plan.lines, plan.lines)
    rows, issues, named = rows_check(table.rows, bad_lines=frozenset(i.line for i in table.issues))
    plan.issues = table.issues + issues
    rows = _org_resolve(plan, rows, create_departments=create_departments)
    currents = _currents()
    taken = _usernames_taken([r.employee_number for r in rows if r.employee_number not in currents])
    for done, row in enumerate(rows, start=1):
        cur = currents.get(row.employee_number)
        if cur is None:
            if row.employee_number in taken:
                plan.issues.append(Issue(row.line, "직원번호", row.employee_number, _(
                    "이 직원번호와 같은 아이디를 직원번호 없는 다른 계정이 쓰고 있습니다."
                )))  # fmt: skip
            else:
                plan.creates.append(row)
        else:
            descriptions, moves = _describe(row, cur)
            if descriptions:
                plan.changes.append(
                    Change(row=row, current=cur, descriptions=descriptions, moves=moves)
                )
            else:
                plan.unchanged += 1
        if progress and done % 5000 == 0:
            progress(str(_("비교")), done, len(rows))
    plan.deactivations = [
        cur
        for number, cur in currents.items()
        if number not in named and cur.is_active and not cur.is_superuser
    ]
    plan.issues.sort(key=lambda i: (i.line, i.column))
    return plan


def _usernames_taken(numbers: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    return taken
