"""The dashboard as an Excel workbook: one sheet per section, the same numbers as the page."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .dashboard import Table


def dashboard_workbook(*, year: int, tables: list[Table]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        # Sheet titles: at most 31 characters, none of []:*?/\
        title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31]
        ws = wb.create_sheet(title=title)
        ws.append([f"{year}년 지식나눔 현황: {table.title}"])
        ws["A1"].font = Font(bold=True)
        if table.note:
            ws.append([table.note])
        ws.append([table.row_header, *table.columns])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for label, values in table.rows:
            ws.append([str(label), *values])
        ws.column_dimensions["A"].width = 24
        for i in range(len(table.columns)):
            ws.column_dimensions[get_column_letter(i + 2)].width = 14
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
