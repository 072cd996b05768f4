"""Staff files as the HR system writes them, built in memory for the tests and the bench."""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from org.staff_import import COLUMNS

Row = Sequence[object]


def person(
    number: str,
    name: str,
    department: str,
    *,
    bureau: str = "기획재정국",
    team: str = "",
    grade: str = "행정6급",
    position: str = "주무관",
    email: str = "",
    status: str = "재직",
) -> list[object]:
    return [number, name, bureau, department, team, grade, position, email, status]


def xlsx_bytes(rows: Iterable[Row], *, header: Sequence[str] = COLUMNS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("직원")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Iterable[Row], *, header: Sequence[str] = COLUMNS, encoding: str = "utf-8-sig"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


class Upload(io.BytesIO):
    """A file as the import takes it: bytes with a name and a size."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name
        self.size = len(content)

    def args(self) -> dict[str, object]:
        return {"data": self, "filename": self.name, "size": self.size}
