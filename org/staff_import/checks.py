"""Checking each line of a staff file on its own (pure: no database)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from org.models import EmploymentStatus, StaffProfile

from .reading import (
    BUREAU,
    DEPARTMENT,
    EMAIL,
    EMPLOYEE_NUMBER,
    GRADE,
    NAME,
    POSITION,
    STATUS,
    TEAM,
    Issue,
    RawRow,
)

# Family names of two syllables; every other Korean name starts with a one-syllable one.
TWO_SYLLABLE_SURNAMES = frozenset(
    {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절", "을지", "탁정"}
)
POSITIONS: dict[str, str] = {str(label): value for value, label in StaffProfile.Position.choices}
STATUSES: dict[str, str] = {str(label): value for value, label in EmploymentStatus.choices}
STATUSES.update({"재직중": EmploymentStatus.ACTIVE, "재직 중": EmploymentStatus.ACTIVE})
MAX_LENGTHS = {EMPLOYEE_NUMBER: 20, NAME: 150, BUREAU: 50, DEPARTMENT: 50, TEAM: 50, GRADE: 30}


@dataclass(frozen=True)
class StaffRow:
    """One checked line: a person as HR has them today."""

    line: int
    employee_number: str
    name: str
    bureau: str
    department: str
    team: str
    grade: str
    position: str
    email: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == EmploymentStatus.ACTIVE


def name_split(name: str) -> tuple[str, str]:
    """Family and given name of a Korean name written together (홍길동 -> 홍, 길동)."""
    name = name.strip()
    if " " in name:
        last, first = name.split(" ", 1)
        return last, first.strip()
    if len(name) >= 3 and name[:2] in TWO_SYLLABLE_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def row_check(raw: RawRow) -> tuple[StaffRow | None, list[Issue]]:
    """A StaffRow, or the line's problems."""
    v = raw.values
    issues: list[Issue] = []

    def bad(column: str, message: str) -> None:
        issues.append(Issue(raw.line, column, v.get(column, ""), message))

    if not v[EMPLOYEE_NUMBER]:
        bad(EMPLOYEE_NUMBER, _("직원번호가 비어 있습니다."))
    if not v[NAME]:
        bad(NAME, _("성명이 비어 있습니다."))
    if not v[DEPARTMENT]:
        bad(DEPARTMENT, _("부서가 비어 있습니다."))
    for column, limit in MAX_LENGTHS.items():
        if len(v[column]) > limit:
            bad(column, _("%(n)d자까지 쓸 수 있습니다.") % {"n": limit})
    position = POSITIONS.get(v[POSITION]) if v[POSITION] else StaffProfile.Position.OFFICER
    if position is None:
        bad(POSITION, _("알 수 없는 직위입니다. 쓸 수 있는 값: %(values)s") % {
            "values": ", ".join(POSITIONS)
        })  # fmt: skip
    status = STATUSES.get(v[STATUS]) if v[STATUS] else EmploymentStatus.ACTIVE
    if status is None:
        bad(STATUS, _("알 수 없는 재직 상태입니다. 쓸 수 있는 값: 재직, 휴직, 퇴직"))
    email = v[EMAIL].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad(EMAIL, _("전자우편 주소가 올바르지 않습니다."))
    if issues or position is None or status is None:
        return None, issues
    row = StaffRow(
        line=raw.line,
        employee_number=v[EMPLOYEE_NUMBER],
        name=v[NAME],
        bureau=v[BUREAU],
        department=v[DEPARTMENT],
        team=v[TEAM],
        grade=v[GRADE],
        position=position,
        email=email,
        status=status,
    )
    return row, []


def rows_check(
    raws: Iterable[RawRow], *, bad_lines: frozenset[int] = frozenset()
) -> tuple[list[StaffRow], list[Issue], set[str]]:
    """Checked rows, the problems of every line (a repeated 직원번호 too), and every
    직원번호 the file names, good line or bad (nobody named in it is deactivated).
    ``bad_lines``: lines already found bad while reading (a formula): never a row."""
    rows: list[StaffRow] = []
    issues: list[Issue] = []
    first_line: dict[str, int] = {}
    named: set[str] = set()
    for raw in raws:
        number = raw.values[EMPLOYEE_NUMBER]
        row, found = row_check(raw)
        if number:
            named.add(number)
            if number in first_line:
                found.append(
                    Issue(
                        raw.line,
                        EMPLOYEE_NUMBER,
                        number,
                        _("직원번호가 %(line)d번째 줄과 겹칩니다.") % {"line": first_line[number]},
                    )
                )
                row = None
            else:
                first_line[number] = raw.line
        issues.extend(found)
        if row is not None and raw.line not in bad_lines:
            rows.append(row)
    return rows, issues, named
