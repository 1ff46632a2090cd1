"""The XLSX: one sheet per table, totals and rates as formulas that recompute to the figures."""

import datetime as dt
import io

import openpyxl
import pytest

from cchc.reports import pdf
from cchc.reports.checks import InvalidStatistics
from cchc.reports.period_report.tables import DIGITIZATION_COLUMNS, DOSSIER_COLUMNS, ONLINE_COLUMNS
from cchc.reports.period_report.xlsx import render_period_report_xlsx
from cchc.stats.periods import Period
from cchc.stats.selectors import period_statistics

from .reading import ONLINE_ROWS, compare, recalculated, sheet_rows

SHEETS = [
    "Theo lĩnh vực",
    "Theo cấp",
    "Theo đơn vị",
    "Số hóa",
    "DVC trực tuyến",
    "Diễn biến",  # the commune has no subordinate units: no "Xếp hạng" sheet
]


def test_workbook_has_one_sheet_per_table(kim_thach):
    workbook = openpyxl.load_workbook(
        io.BytesIO(render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period))
    )
    assert workbook.sheetnames == SHEETS


def test_every_total_and_rate_is_a_formula(kim_thach):
    data = render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Theo lĩnh vực"]
    total_row = next(
        r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 2).value == "Tổng cộng"
    )
    assert sheet.cell(total_row, 3).value == "=SUM(C7:C11)"
    for column_index, column in enumerate(DOSSIER_COLUMNS, start=3):
        for r in range(7, total_row + 1):
            value = sheet.cell(r, column_index).value
            if column.is_derived or r == total_row:
                assert str(value).startswith("="), (column.key, r, value)
            else:
                assert isinstance(value, int), (column.key, r, value)
    assert sheet.cell(7, 17).value == '=IF(G7=0,"",(H7+I7)/G7)'
    assert sheet.cell(7, 17).number_format == "0.00%"


def test_formulas_recompute_to_the_published_figures_kim_thach(kim_thach):
    data = render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period)
    fields = sheet_rows(data, "Theo lĩnh vực", DOSSIER_COLUMNS)
    assert [label for label, _ in fields][-1] == "Tổng cộng"
    digitization = sheet_rows(data, "Số hóa", DIGITIZATION_COLUMNS)[0][1]
    online = dict(sheet_rows(data, "DVC trực tuyến", ONLINE_COLUMNS))
    actual = {
        "dossiers": {"all": fields[-1][1], "by_field": dict(fields[:-1])},
        "digitization": digitization,
        "online_services": {ONLINE_ROWS[label]: online[label] for label in ONLINE_ROWS},
    }
    expected = kim_thach.expected
    expected_all = {k: v for k, v in expected["dossiers"]["all"].items() if k in fields[-1][1]}
    expected = {**expected, "dossiers": {**expected["dossiers"], "all": expected_all}}
    assert compare(expected, actual) == []
    assert fields[-1][1]["received_total"] == 692
    assert fields[-1][1]["resolved"] == 651


def test_formulas_recompute_to_the_published_figures_kbang(kbang):
    data = render_period_report_xlsx(kbang.stats, kbang.unit, kbang.period)
    levels = dict(sheet_rows(data, "Theo cấp", DOSSIER_COLUMNS))
    for name, label in (("district", "Cấp huyện"), ("commune", "Cấp xã")):
        row = levels[label]
        row["resolved_in_time"] = row["early"] + row["on_time"]
        expected = {
            k: v
            for k, v in kbang.expected["dossiers"]["by_level"][name].items()
            if k in row or k == "resolved_in_time"
        }
        assert compare(expected, row) == [], name
    units = sheet_rows(data, "Theo đơn vị", DOSSIER_COLUMNS)
    assert len(units) == 16  # the district's own one-stop shop, 14 communes, the total
    assert units[-1][1]["received_total"] == 752 + 2467
    online = sheet_rows(data, "DVC trực tuyến", ONLINE_COLUMNS)
    labels = [label for label, _ in online]
    assert labels == ["Cấp huyện", "Một phần", "Toàn trình", "Cộng"] * 1 + [
        "Cấp xã",
        "Một phần",
        "Toàn trình",
        "Cộng",
        "Tổng cộng",
    ]
    district = {label: row for label, row in online[:4]}
    commune = {label: row for label, row in online[4:8]}
    expected = kbang.expected["online_services"]["by_level"]
    for name, rows in (("district", district), ("commune", commune)):
        actual = {ONLINE_ROWS[label]: rows[label] for label in ONLINE_ROWS}
        assert compare(expected[name], actual) == [], name
    assert online[-1][1]["procedures"] == 11 + 213 + 9 + 73


def test_a_rate_with_nothing_to_divide_is_left_empty(kim_thach):
    start, end = dt.date(2000, 1, 15), dt.date(2000, 2, 14)
    stats = period_statistics(kim_thach.unit, start, end)
    data = render_period_report_xlsx(stats, kim_thach.unit, Period(start, end, "Tháng 2/2000"))
    values = recalculated(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Theo lĩnh vực"]
    assert sheet["B7"].value == "Tổng cộng"
    assert values[("Theo lĩnh vực", "C7")] == 0
    assert values[("Theo lĩnh vực", "Q7")] == ""
    assert values[("Số hóa", "F7")] == ""
    assert values[("DVC trực tuyến", "I9")] == ""


def test_layout_frozen_headers_merged_and_printed_a4_landscape(kim_thach):
    data = render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Theo lĩnh vực"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:F4", "G4:J4", "K4:M4", "N4:N5", "Q4:Q5"} <= merged
    assert sheet.freeze_panes == "C7"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$4:$6"
    assert sheet["C7"].font.name == "Times New Roman"
    assert sheet["C4"].border.left.style == "thin"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width


def test_broken_figures_are_refused_unless_allowed(kim_thach):
    stats = kim_thach.stats
    stats["dossiers"]["all"]["resolved"] += 1
    with pytest.raises(InvalidStatistics) as refused:
        render_period_report_xlsx(stats, kim_thach.unit, kim_thach.period)
    assert any("dossiers.all: resolved 652" in line for line in refused.value.problems)
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            render_period_report_xlsx(stats, kim_thach.unit, kim_thach.period, allow_invalid=True)
        )
    )
    assert workbook.sheetnames[0] == "Cần kiểm tra"
    assert "resolved 652" in workbook["Cần kiểm tra"]["A2"].value


def test_libreoffice_recalculates_the_same_figures(kim_thach):
    """A second engine: LibreOffice Calc computes the formulas when it opens the workbook."""
    data = render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period)
    if pdf.soffice() is None:
        pytest.skip("LibreOffice is not installed: the formulas package is the only check")
    try:
        recalculated_by_calc = pdf.convert(data, ".xlsx", "xlsx")
    except pdf.ConversionError:
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is not installed")
    sheet = openpyxl.load_workbook(io.BytesIO(recalculated_by_calc), data_only=True)[
        "Theo lĩnh vực"
    ]
    total = [sheet.cell(12, c).value for c in range(2, 18)]
    assert total[:9] == ["Tổng cộng", 692, 319, 354, 19, 651, 650, 1, 0]
    assert total[-1] == pytest.approx(1.0)
    assert sheet.cell(7, 17).value == pytest.approx(1.0)
