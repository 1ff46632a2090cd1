"""Hostile text in the statistics workbook stays text (issue 8 item 3)."""

import datetime as dt
import io

import openpyxl

from cchc.reports.period_report.xlsx import render_period_report_xlsx
from cchc.stats.periods import Period
from cchc.stats.selectors import period_statistics
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory
from tests.spreadsheet_checks import AT, DDE, HYPERLINK, assert_text_cells

DAY = dt.date(2023, 3, 1)


def test_statistics_workbook_writes_unit_and_field_names_as_string_cells(tree):
    tree["P-D"].name = HYPERLINK
    tree["P-D"].save()
    tree["P-D-1"].name = DDE
    tree["P-D-1"].save()
    field = FieldFactory(name=AT)
    DossierFactory(unit=tree["P-D-1"], procedure=ProcedureFactory(field=field), code="D-3")
    period = Period(DAY, dt.date(2023, 3, 31), "Tháng 3/2023")
    stats = period_statistics(tree["P-D"], period.start, period.end)
    data = render_period_report_xlsx(stats, tree["P-D"], period)
    assert_text_cells(data, (HYPERLINK, DDE, AT), at_least=3)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Theo lĩnh vực"]
    total = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 2).value == "Tổng cộng")
    assert sheet.cell(total, 3).data_type == "f"  # the totals we mean stay formulas
    counts = [c for c in sheet[7][2:] if c.data_type != "f"]
    assert counts and all(isinstance(c.value, int) and c.data_type == "n" for c in counts)
