"""The dashboard as an Excel workbook: one sheet per section, the same numbers as the page,
written through the portal's one safe writer (``common.tables``)."""

from common.tables import XlsxWorkbook

from .dashboard import Table

# Characters Excel refuses in a sheet title (titles are also cut to 31 characters).
SHEET_TITLE_FORBIDDEN = "[]:*?/\\"


def dashboard_workbook(*, year: int, tables: list[Table]) -> bytes:
    book = XlsxWorkbook()
    for table in tables:
        sheet = book.sheet("".join(c for c in table.title if c not in SHEET_TITLE_FORBIDDEN))
        sheet.widths([24, *[14] * len(table.columns)])
        sheet.header([f"{year}년 지식나눔 현황: {table.title}"])
        if table.note:
            sheet.row([table.note])
        sheet.header([table.row_header, *table.columns])
        for label, values in table.rows:
            sheet.row([str(label), *values])
    return book.save()
