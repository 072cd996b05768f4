"""Reading the HR system's staff file 인사 자료: .xlsx, or CSV in UTF-8 (with or without BOM)
or CP949 as Korean Excel saves it. No database here.

Everything a file can be refused for as a whole is checked here, before a row is read: its
size (before any parsing), its kind by content (a zip bomb or a renamed file is refused),
a macro-enabled workbook, an unknown or missing column. A cell with a formula is a problem
of its line (its value is whatever Excel last computed, not what HR wrote).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from common.errors import ServiceError
from org.files import ZipBombError, detect_kind

# The columns, as the HR system names them. 직원번호 is the stable key of a person.
EMPLOYEE_NUMBER = "직원번호"
NAME = "성명"
BUREAU = "국·소"
DEPARTMENT = "부서"
TEAM = "팀"
GRADE = "직급"
POSITION = "직위"
EMAIL = "전자우편"
STATUS = "재직 상태"
COLUMNS: tuple[str, ...] = (
    EMPLOYEE_NUMBER, NAME, BUREAU, DEPARTMENT, TEAM, GRADE, POSITION, EMAIL, STATUS,
)  # fmt: skip

# A city's 50,000 staff is about 3 MB as .xlsx and 5 MB as CSV; anything far larger is not
# a staff list, and is refused by its size before a byte of it is parsed.
MAX_FILE_BYTES = 30 * 1024 * 1024

_DOTS = re.compile(r"[·ㆍ・.‧･]")


def _header_key(text: str) -> str:
    """Headers as people type them: '국ㆍ소', '국·소', '재직상태' all name the same column."""
    return _DOTS.sub("·", re.sub(r"\s+", "", text))


_KNOWN = {_header_key(c): c for c in COLUMNS}


@dataclass(frozen=True)
class Issue:
    """A problem of one line (line 1 is the header), one column and one value."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return _("%(line)d번째 줄, '%(column)s' 열, 값 '%(value)s': %(message)s") % {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    rows: list[RawRow]
    issues: list[Issue] = field(default_factory=list)


def _refuse(message: str, code: str, **params: object) -> ServiceError:
    return ServiceError(message, code=code, params=params)


def file_check(data: IO[bytes], *, filename: str, size: int) -> str:
    """Refuse a file as a whole; return its format, "xlsx" or "csv"."""
    if size > MAX_FILE_BYTES:
        raise _refuse(
            _("파일이 너무 큽니다(%(size)s). 인사 자료는 %(max)s까지 받습니다."),
            "file_too_large",
            size=filesizeformat(size),
            max=filesizeformat(MAX_FILE_BYTES),
        )
    if size == 0:
        raise _refuse(_("빈 파일입니다: %(name)s"), "file_empty", name=filename)
    extension = PurePath(filename).suffix.lower()
    if extension in {".xlsm", ".xltm", ".xlsb", ".xlam"}:
        raise _refuse(
            _("매크로를 쓸 수 있는 통합 문서(%(ext)s)는 받지 않습니다. .xlsx로 저장해 주세요."),
            "file_macro",
            ext=extension,
        )
    if extension == ".xls":
        raise _refuse(
            _("Excel 97-2003 형식(.xls)은 받지 않습니다. .xlsx 또는 CSV로 저장해 주세요."),
            "file_kind",
        )
    if extension == ".csv":
        data.seek(0)
        if data.read(4).startswith(b"PK\x03\x04"):
            raise _refuse(_("CSV가 아닌 파일입니다: %(name)s"), "file_kind", name=filename)
        return "csv"
    if extension != ".xlsx":
        raise _refuse(
            _("받을 수 있는 형식은 .xlsx와 .csv입니다: %(name)s"), "file_kind", name=filename
        )
    try:
        kind = detect_kind(data)
    except ZipBombError:
        raise _refuse(
            _("압축을 풀면 지나치게 커지는 파일입니다: %(name)s"), "file_zip_bomb", name=filename
        ) from None
    if kind != "xlsx":
        raise _refuse(
            _("파일 내용이 .xlsx 통합 문서가 아닙니다: %(name)s"), "file_kind", name=filename
        )
    data.seek(0)
    with zipfile.ZipFile(data) as archive:
        names = archive.namelist()
        with archive.open("[Content_Types].xml") as types:
            content_types = types.read(256 * 1024)
    if any(n.lower().endswith("vbaproject.bin") for n in names) or (
        b"macroEnabled" in content_types
    ):
        raise _refuse(
            _("매크로가 들어 있는 통합 문서는 받지 않습니다. 매크로 없는 .xlsx로 저장해 주세요."),
            "file_macro",
        )
    data.seek(0)
    return "xlsx"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\xa0", " ").strip()


def _header(cells: list[str]) -> list[str]:
    """The column of each position; refuse unknown, repeated and missing columns."""
    columns: list[str] = []
    for position, text in enumerate(cells, start=1):
        if not text:
            columns.append("")  # an empty header over empty cells is harmless
            continue
        column = _KNOWN.get(_header_key(text))
        if column is None:
            raise _refuse(
                _("알 수 없는 열입니다: '%(name)s'(%(n)d번째 열). 쓸 수 있는 열: %(known)s"),
                "unknown_column",
                name=text,
                n=position,
                known=", ".join(COLUMNS),
            )
        if column in columns:
            raise _refuse(_("'%(name)s' 열이 두 번 있습니다."), "duplicate_column", name=column)
        columns.append(column)
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise _refuse(
            _("첫 줄에 열 이름이 모두 있어야 합니다. 없는 열: %(missing)s"),
            "missing_column",
            missing=", ".join(missing),
        )
    return columns


def _rows(lines: Iterator[tuple[int, list[tuple[str, bool]]]]) -> Table:
    """Rows of (line, [(text, is_formula)]) -> a Table, the first row being the header."""
    first = next(lines, None)
    if first is None:
        raise _refuse(_("내용이 없는 파일입니다."), "file_empty", name="")
    columns = _header([text for text, _formula in first[1]])
    table = Table(rows=[])
    for line, cells in lines:
        if not any(text for text, _formula in cells):
            continue  # Excel keeps empty rows below the data
        values = dict.fromkeys(COLUMNS, "")
        for position, (text, is_formula) in enumerate(cells):
            column = columns[position] if position < len(columns) else ""
            if not column:
                if text:
                    table.issues.append(
                        Issue(line, f"{position + 1}", text, _("이름이 없는 열에 값이 있습니다."))
                    )
                continue
            if is_formula:
                table.issues.append(
                    Issue(line, column, text, _("수식은 받지 않습니다. 값으로 붙여 넣어 주세요."))
                )
            values[column] = text
        table.rows.append(RawRow(line=line, values=values))
    return table


def _xlsx_lines(data: IO[bytes]) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    workbook = load_workbook(data, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            yield (
                number,
                [(_cell_text(cell.value), getattr(cell, "data_type", None) == "f") for cell in row],
            )
    finally:
        workbook.close()


def _csv_text(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        _("글자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(한국어 Excel의 CSV)로 저장해 주세요."),
        "file_encoding",
    )


def _csv_lines(data: IO[bytes]) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    data.seek(0)
    reader = csv.reader(io.StringIO(_csv_text(data.read()), newline=""))
    start = 1
    for row in reader:
        # A CSV cell that starts with '=' is a formula when Excel opens the file.
        yield start, [(_cell_text(v), _cell_text(v).startswith("=")) for v in row]
        start = reader.line_num + 1


def table_read(data: IO[bytes], *, filename: str, size: int) -> Table:
    """The rows of a staff file, or a ServiceError for a file refused as a whole."""
    kind = file_check(data, filename=filename, size=size)
    try:
        lines = _xlsx_lines(data) if kind == "xlsx" else _csv_lines(data)
        return _rows(lines)
    except ServiceError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, csv.Error) as exc:
        raise _refuse(
            _("파일을 읽을 수 없습니다: %(name)s (%(reason)s)"),
            "file_unreadable",
            name=filename,
            reason=type(exc).__name__,
        ) from None
