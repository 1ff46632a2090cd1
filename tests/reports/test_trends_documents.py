"""The trends in the report documents: the rates of the 12 reporting months up to the period's
end (DOCX table and chart, XLSX formulas and chart) and the ranking of the subordinate units;
every figure is the one period_statistics gives for the same days."""

import io
from decimal import Decimal

import openpyxl
import pytest

from cchc.org.models import Unit
from cchc.reports.period_report.docx import render_period_report_docx
from cchc.reports.period_report.trends_tables import FULL_COLUMNS, RATE_COLUMNS, figures_for
from cchc.reports.period_report.xlsx import render_period_report_xlsx
from cchc.reports.trends_chart import line_chart_png
from cchc.stats.periods import Period, reporting_period
from cchc.stats.selectors import period_statistics
from cchc.stats.trends import RATE_KEYS

from .reading import docx_rows, docx_table, open_docx, sheet_rows

CUTOFF = 15
# Q1/2023 ends on 10/03/2023: the months 4/2022 to 3/2023, the last cut at the 10th.
MONTHS = [(2022, m) for m in range(4, 13)] + [(2023, m) for m in range(1, 4)]


def rates_of(stats: dict) -> dict:
    counts, digit = stats["dossiers"]["all"], stats["digitization"]
    return {
        "on_time_rate": counts["on_time_rate"],
        "online_rate": counts["online_rate"],
        "input_full_rate": digit["input_full_rate"],
        "result_rate": digit["result_rate"],
    }


def month_periods(end) -> list[Period]:
    periods = [reporting_period("month", y, m, cutoff=CUTOFF) for y, m in MONTHS]
    periods[-1] = Period(periods[-1].start, end)
    return periods


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def ranking_order(kbang) -> list[str]:
    """The district's own one-stop shop and its 14 communes, by their on-time rate over the
    period (best first; equal rates in the order of the tree)."""
    units = [kbang.unit, *Unit.objects.filter(parent=kbang.unit).order_by("path")]
    rated = []
    for unit in units:
        if unit == kbang.unit:
            stats = kbang.stats["dossiers"]["by_unit"][unit.code]
        else:
            stats = period_statistics(unit, kbang.period.start, kbang.period.end)["dossiers"]["all"]
        rated.append((unit.code, stats["on_time_rate"], stats["online_rate"]))
    rated.sort(key=lambda r: -(r[1] or -1))  # stable: the tree's order among equals
    return rated


@pytest.fixture
def kbang_docx(kbang):
    return open_docx(render_period_report_docx(kbang.stats, kbang.unit, kbang.period))


@pytest.fixture
def kbang_xlsx(kbang):
    return render_period_report_xlsx(kbang.stats, kbang.unit, kbang.period)


def test_docx_monthly_table_has_the_rates_of_period_statistics(kbang, kbang_docx):
    rows = docx_rows(docx_table(kbang_docx, "Tháng", "Tỷ lệ đúng hạn (%)"), RATE_COLUMNS)
    assert [label.split(" (")[0] for label, _ in rows] == [f"Tháng {m}/{y}" for y, m in MONTHS]
    assert rows[-1][0] == "Tháng 3/2023 (đến 10/03/2023)"
    with_data = 0
    for (label, values), period in zip(rows, month_periods(kbang.period.end), strict=True):
        expected = rates_of(period_statistics(kbang.unit, period.start, period.end))
        for key in RATE_KEYS:
            printed = values[key]
            assert (None if printed is None else Decimal(printed)) == as_decimal(expected[key]), (
                label,
                key,
            )
        with_data += any(values[key] is not None for key in RATE_KEYS)
    assert with_data == 3  # the fixture's dossiers are of Q1/2023


def test_docx_has_the_chart_and_the_ranking(kbang, kbang_docx):
    text = "\n".join(p.text for p in kbang_docx.paragraphs)
    assert "4. Diễn biến theo tháng" in text
    assert "Biểu đồ. Diễn biến các tỷ lệ theo tháng" in text
    pictures = kbang_docx.inline_shapes
    assert len(pictures) == 1
    blob = kbang_docx.part.related_parts[
        pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    assert blob.startswith(b"\x89PNG")
    table = docx_table(kbang_docx, "Đơn vị", "Tỷ lệ đúng hạn (%)")
    rows = docx_rows(table, RATE_COLUMNS)
    assert len(rows) == 15  # the district's own one-stop shop and its 14 communes
    expected = ranking_order(kbang)
    names = dict(Unit.objects.values_list("code", "name"))
    labels = [
        "Bộ phận Một cửa huyện Kbang" if code == kbang.unit.code else names[code]
        for code, _r, _o in expected
    ]
    assert [label for label, _ in rows] == labels
    for (_label, values), (_code, on_time, online) in zip(rows, expected, strict=True):
        assert as_decimal(values["on_time_rate"]) == as_decimal(on_time)
        assert as_decimal(values["online_rate"]) == as_decimal(online)


def test_xlsx_formulas_recompute_to_the_monthly_rates(kbang, kbang_xlsx):
    workbook = openpyxl.load_workbook(io.BytesIO(kbang_xlsx))
    assert workbook.sheetnames[-2:] == ["Diễn biến", "Xếp hạng"]
    sheet = workbook["Diễn biến"]
    assert sheet["F7"].value == '=IF(D7=0,"",E7/D7)'  # online / of procedures offered online
    rate_cells = [sheet.cell(7, 3 + i).value for i, c in enumerate(FULL_COLUMNS) if c.is_rate]
    assert all(str(v).startswith("=IF(") for v in rate_cells)
    rows = sheet_rows(kbang_xlsx, "Diễn biến", FULL_COLUMNS)
    assert len(rows) == 12
    for (label, values), period in zip(rows, month_periods(kbang.period.end), strict=True):
        stats = period_statistics(kbang.unit, period.start, period.end)
        expected = rates_of(stats)
        for key in RATE_KEYS:
            got = values[key]
            got = None if got is None else got.quantize(Decimal("0.01"))
            assert got == as_decimal(expected[key]), (label, key)
        assert values["resolved"] == stats["dossiers"]["all"]["resolved"]
        assert values["online"] == stats["dossiers"]["all"]["online"]
    charts = sheet._charts
    assert len(charts) == 1
    assert len(charts[0].series) == 4


def test_xlsx_ranking_sheet(kbang, kbang_xlsx):
    rows = sheet_rows(kbang_xlsx, "Xếp hạng", FULL_COLUMNS)
    assert len(rows) == 15
    expected = ranking_order(kbang)
    for (_label, values), (_code, on_time, online) in zip(rows, expected, strict=True):
        for key, rate in (("on_time_rate", on_time), ("online_rate", online)):
            got = values[key]
            assert (None if got is None else got.quantize(Decimal("0.01"))) == as_decimal(rate)
    assert rows[0][0] == "Bộ phận Một cửa huyện Kbang"


def test_documents_without_trends_are_as_before(kbang, django_assert_max_num_queries):
    data = render_period_report_xlsx(kbang.stats, kbang.unit, kbang.period, include_trends=False)
    assert "Diễn biến" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    with django_assert_max_num_queries(3):
        document = open_docx(
            render_period_report_docx(kbang.stats, kbang.unit, kbang.period, include_trends=False)
        )
    assert "Diễn biến theo tháng" not in "\n".join(p.text for p in document.paragraphs)


def test_trends_take_a_fixed_number_of_queries(kbang, django_assert_max_num_queries):
    """The 12 months and the period are one grouped query, not 13 period_statistics."""
    # The cut-off, the subtree (twice: with its stamps, to find stored counts), the stored
    # counts of the months, the grouped counts of the others (and one spare).
    with django_assert_max_num_queries(6):
        figures = figures_for(kbang.unit, kbang.period)
    with django_assert_max_num_queries(3):  # the document's own: units, levels, parent
        render_period_report_docx(kbang.stats, kbang.unit, kbang.period, trends=figures)
    with django_assert_max_num_queries(2):
        render_period_report_xlsx(kbang.stats, kbang.unit, kbang.period, trends=figures)


def test_a_commune_has_the_monthly_table_but_no_ranking(kim_thach):
    document = open_docx(
        render_period_report_docx(kim_thach.stats, kim_thach.unit, kim_thach.period)
    )
    docx_table(document, "Tháng", "Tỷ lệ đúng hạn (%)")
    with pytest.raises(AssertionError):
        docx_table(document, "Đơn vị", "Tỷ lệ đúng hạn (%)")
    workbook = openpyxl.load_workbook(
        io.BytesIO(render_period_report_xlsx(kim_thach.stats, kim_thach.unit, kim_thach.period))
    )
    assert workbook.sheetnames[-1] == "Diễn biến"


def test_chart_png_leaves_gaps_and_draws_every_series():
    data = line_chart_png(["1/23", "2", "3"], [[50.0, None, 100.0], [None, None, None]])
    assert data.startswith(b"\x89PNG")
