"""The one writer of every CSV and Excel export: text stays text, formulas never run.

A cell a person typed (a resident's name, a committee comment) may start with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return; Excel and LibreOffice would read it as a formula
(CSV/formula injection, OWASP). ``safe_cell`` prefixes such text with an apostrophe-like
``'`` so it shows as typed and is never evaluated; numbers, dates and ``None`` pass through
as values. ``xlsx_workbook`` writes write-only sheets (constant memory for 50,000 rows) and
stores every string cell as a string, never a formula; ``csv_rows`` streams UTF-8 with a BOM
so Korean Excel opens it correctly.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"
Cell = str | int | float | Decimal | date | datetime | bool | None


def safe_cell(value: Any) -> Cell:
    """The value as it may go into a spreadsheet cell: text never starts a formula."""
    if type(value) is str:  # most cells: the same check, ten times faster (133k-row exports)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Cell]:
    return [safe_cell(value) for value in row]


class Sheet:
    """One write-only worksheet; rows are made safe as they are appended."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self._ws = ws

    def header(self, titles: Sequence[Any]) -> None:
        bold = Font(bold=True)
        cells = []
        for title in titles:
            cell = WriteOnlyCell(self._ws, value=cast(Any, safe_cell(title)))
            cell.font = bold
            cells.append(cell)
        self._ws.append(cells)

    def row(self, values: Iterable[Any]) -> None:
        cells = []
        for value in safe_row(values):
            cell = WriteOnlyCell(self._ws, value=cast(Any, value))
            if isinstance(value, str):
                cell.data_type = "s"  # a string, even one openpyxl would guess is a formula
            cells.append(cell)
        self._ws.append(cells)

    def widths(self, widths: Sequence[float]) -> None:
        """Column widths; call before the first row (write-only sheets fix them early)."""
        for index, width in enumerate(widths):
            letter = _column_letter(index + 1)
            cast(Any, self._ws).column_dimensions[letter].width = width


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class XlsxWorkbook:
    """A write-only workbook of safe sheets: ``book.sheet("제목")`` then ``book.save()``."""

    def __init__(self) -> None:
        self._wb = Workbook(write_only=True)

    def sheet(self, title: str) -> Sheet:
        return Sheet(self._wb.create_sheet(title=title[:31]))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self._wb.save(buffer)
        return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line (for ``StreamingHttpResponse``): a BOM first, every cell safe."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))
