"""The report's tables as an XLSX workbook, one sheet per table, as the seeds' tables look.

The counts are numbers; every total, difference and rate is an Excel formula over them
(=SUM(...), =IF(X=0,"",(A+B)/X) shown as a percentage), so a clerk can check the figures in
Excel. Times New Roman, merged two-row headers, borders, frozen headers, A4 landscape.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.org.models import Unit
from cchc.spreadsheet_safety import put, set_value
from cchc.stats.periods import Period
from cchc.stats.trends import RATE_KEYS, TrendFigures

from ..checks import ensure_valid
from ..numbers import date_range
from .tables import DATA, SECTION, SUBTOTAL, TOTAL, Column, Table, build_tables
from .trends_tables import figures_for, monthly_table, ranking_table

FONT = "Times New Roman"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
FIRST_VALUE_COLUMN = 3  # A: STT, B: label
TITLE_ROW, SUBTITLE_ROW, UNIT_ROW, HEADER_ROW = 1, 2, 3, 4
NUMBERING_ROW = HEADER_ROW + 2
FIRST_DATA_ROW = NUMBERING_ROW + 1

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def _font(*, bold: bool = False, italic: bool = False, size: int = 12) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _letters(table: Table) -> dict[str, str]:
    return {
        column.key: get_column_letter(FIRST_VALUE_COLUMN + i)
        for i, column in enumerate(table.columns)
    }


def _numbering(table: Table) -> list[str]:
    """The column-number row of the official forms: (1)=(2)+(3)+(4), (15)=((6)+(7))/(5)."""
    index = {column.key: i for i, column in enumerate(table.columns, start=1)}
    labels = []
    for column in table.columns:
        own = f"({index[column.key]})"
        if column.total_of:
            labels.append(own + "=" + "+".join(f"({index[k]})" for k in column.total_of))
        elif column.difference_of:
            first, second = column.difference_of
            labels.append(f"{own}=({index[first]})-({index[second]})")
        elif column.rate_of:
            numerators, denominator = column.rate_of
            top = "+".join(f"({index[k]})" for k in numerators)
            top = f"[{top}]" if len(numerators) > 1 else top
            labels.append(f"{own}={top}/({index[denominator]})")
        else:
            labels.append(own)
    return labels


def _rate_formula(column: Column, letters: Mapping[str, str], row: int) -> str:
    numerators, denominator = column.rate_of
    den = f"{letters[denominator]}{row}"
    top = "+".join(f"{letters[k]}{row}" for k in numerators)
    top = f"({top})" if len(numerators) > 1 else top
    return f'=IF({den}=0,"",{top}/{den})'


def _row_formula(column: Column, letters: Mapping[str, str], row: int) -> str:
    if column.rate_of:
        return _rate_formula(column, letters, row)
    if column.total_of:
        return "=" + "+".join(f"{letters[k]}{row}" for k in column.total_of)
    first, second = column.difference_of
    return f"={letters[first]}{row}-{letters[second]}{row}"


def _sum_formula(letter: str, rows: list[int]) -> str | int:
    if not rows:
        return 0
    contiguous = rows == list(range(rows[0], rows[-1] + 1))
    if contiguous:
        return f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})"
    return "=SUM(" + ",".join(f"{letter}{r}" for r in rows) + ")"


def _header(ws: Worksheet, table: Table, last_col: int) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    put(ws, top, 1, "STT")
    ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    put(ws, top, 2, table.label_header)
    ws.merge_cells(start_row=top, start_column=2, end_row=bottom, end_column=2)
    col = FIRST_VALUE_COLUMN
    columns = list(table.columns)
    i = 0
    while i < len(columns):
        column = columns[i]
        if not column.group:
            put(ws, top, col, column.header)
            ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
            i, col = i + 1, col + 1
            continue
        span = 1
        while i + span < len(columns) and columns[i + span].group == column.group:
            span += 1
        put(ws, top, col, column.group)
        if span > 1:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + span - 1)
        for j in range(span):
            put(ws, bottom, col + j, columns[i + j].header)
        i, col = i + span, col + span
    for row in (top, bottom):
        for c in range(1, last_col + 1):
            cell = ws.cell(row, c)
            cell.font, cell.alignment, cell.border = _font(bold=True), CENTER, BOX
    for c, text in enumerate(["A", "B", *_numbering(table)], start=1):
        cell = put(ws, NUMBERING_ROW, c, text)
        cell.font, cell.alignment, cell.border = _font(italic=True, size=10), CENTER, BOX
    ws.row_dimensions[top].height = 33
    ws.row_dimensions[bottom].height = 66
    ws.row_dimensions[NUMBERING_ROW].height = 27


def _write_table(ws: Worksheet, table: Table, unit: Unit, period: Period) -> None:
    letters = _letters(table)
    last_col = FIRST_VALUE_COLUMN + len(table.columns) - 1
    last_letter = get_column_letter(last_col)
    ws.title = table.name

    put(ws, TITLE_ROW, 1, table.title).font = _font(bold=True, size=13)
    ws.merge_cells(f"A{TITLE_ROW}:{last_letter}{TITLE_ROW}")
    subtitle = (
        f"{unit.name} - {period.label or 'Kỳ báo cáo'} ({date_range(period.start, period.end)})"
    )
    put(ws, SUBTITLE_ROW, 1, subtitle).font = _font(italic=True)
    ws.merge_cells(f"A{SUBTITLE_ROW}:{last_letter}{SUBTITLE_ROW}")
    for row in (TITLE_ROW, SUBTITLE_ROW):
        ws.cell(row, 1).alignment = CENTER
    unit_cell = put(ws, UNIT_ROW, last_col, f"Đơn vị tính: {table.measure}")
    unit_cell.font, unit_cell.alignment = _font(italic=True, size=11), RIGHT
    _header(ws, table, last_col)

    data_rows: list[int] = []
    subtotal_rows: list[int] = []
    since_section: list[int] = []
    r = FIRST_DATA_ROW
    for row in table.rows:
        number: int | str = int(row.number) if row.number.isdigit() else row.number
        put(ws, r, 1, number or None)
        put(ws, r, 2, row.label)
        bold = row.kind in (SUBTOTAL, TOTAL, SECTION)
        if row.kind == SECTION:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last_col)
            since_section = []
        for i, column in enumerate(table.columns):
            cell = ws.cell(r, FIRST_VALUE_COLUMN + i)
            letter = letters[column.key]
            if row.kind == SECTION:
                pass
            elif row.kind == DATA:
                if column.is_derived:
                    set_value(cell, _row_formula(column, letters, r), formula=True)
                else:
                    set_value(cell, int(row.values.get(column.key) or 0))
            elif column.is_rate:
                set_value(cell, _rate_formula(column, letters, r), formula=True)
            elif row.kind == SUBTOTAL:
                set_value(cell, _sum_formula(letter, since_section), formula=True)
            else:
                set_value(cell, _sum_formula(letter, subtotal_rows or data_rows), formula=True)
            cell.number_format = RATE_FORMAT if column.is_rate else COUNT_FORMAT
            cell.alignment = RIGHT
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.font = _font(bold=bold, italic=row.kind == SECTION)
        ws.cell(r, 1).alignment = CENTER
        ws.cell(r, 2).alignment = LEFT
        if row.kind == DATA:
            data_rows.append(r)
            since_section.append(r)
        elif row.kind == SUBTOTAL:
            subtotal_rows.append(r)
        r += 1
    if table.note:
        put(ws, r + 1, 1, table.note).font = _font(italic=True, size=11)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for column in table.columns:
        ws.column_dimensions[letters[column.key]].width = 11 if column.is_rate else 10
    ws.freeze_panes = f"{get_column_letter(FIRST_VALUE_COLUMN)}{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{NUMBERING_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT


def _write_problems(ws: Worksheet, problems: list[str]) -> None:
    ws.title = "Cần kiểm tra"
    put(ws, 1, 1, "Số liệu chưa khớp (quy tắc kiểm tra bị vi phạm)").font = _font(bold=True)
    for i, line in enumerate(problems, start=2):
        put(ws, i, 1, line).font = _font()
    ws.column_dimensions["A"].width = 140


def _rate_chart(ws: Worksheet, table: Table) -> None:
    """A line chart of the rate columns of `table` (one row per month), under the table."""
    letters = _letters(table)
    last_row = FIRST_DATA_ROW + len(table.rows) - 1
    chart = LineChart()
    chart.title = "Diễn biến các tỷ lệ theo tháng"
    chart.y_axis.title = "Tỷ lệ"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.majorUnit = 0.25
    chart.x_axis.title = "Tháng"
    chart.display_blanks = "gap"
    chart.height, chart.width = 9, 24
    for column in table.columns:
        if column.key not in RATE_KEYS:
            continue
        col = FIRST_VALUE_COLUMN + list(letters).index(column.key)
        values = Reference(ws, min_col=col, min_row=FIRST_DATA_ROW, max_row=last_row)
        series = Series(values, title=column.header.removesuffix(" (%)"))
        series.marker.symbol = "circle"
        series.smooth = False
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=2, min_row=FIRST_DATA_ROW, max_row=last_row))
    ws.add_chart(chart, f"B{last_row + 4}")


def render_period_report_xlsx(
    stats: Mapping,
    unit: Unit,
    period: Period,
    *,
    allow_invalid: bool = False,
    include_trends: bool = True,
    trends: TrendFigures | None = None,
) -> bytes:
    """The workbook of the report's tables for `unit` and `period`, as bytes.

    With `include_trends`, a sheet "Diễn biến" gives the counts and rates (as formulas) of
    the 12 reporting months up to the period's end with a line chart of the rates, and a
    sheet "Xếp hạng" ranks the subordinate units (`trends`, or trends_tables.figures_for:
    three queries more). Raises InvalidStatistics when `stats` breaks rules of validate_stats, unless
    `allow_invalid`: the broken rules then go on a first sheet "Cần kiểm tra".
    """
    problems = ensure_valid(stats, allow_invalid=allow_invalid)
    tables = build_tables(stats, unit, period)
    workbook = Workbook()
    workbook.remove(workbook.active)
    if problems:
        _write_problems(workbook.create_sheet(), problems)
    for table in tables.all():
        _write_table(workbook.create_sheet(), table, unit, period)
    if include_trends:
        figures = trends or figures_for(unit, period)
        monthly = monthly_table(figures, period, counts=True)
        ws = workbook.create_sheet()
        _write_table(ws, monthly, unit, period)
        _rate_chart(ws, monthly)
        if figures.ranking:
            _write_table(
                workbook.create_sheet(), ranking_table(figures, period, counts=True), unit, period
            )
    workbook.properties.creator = "cchc"
    workbook.properties.title = f"Kết quả giải quyết TTHC - {unit.name}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
