"""The trend tables of the report (cchc.stats.trends' figures): the rates of the 12 reporting
months up to the period's end, and the subordinate units ranked over the period.

Each table comes in two shapes: with the counts (the XLSX writes the rates as formulas over
them) and with the rates only (the DOCX prints them).
"""

from __future__ import annotations

from cchc.org.models import Unit
from cchc.stats.periods import Period, cutoff_day_for
from cchc.stats.trends import RATES, Month, Ranked, TrendFigures, trend_figures

from ..numbers import date_range, short_date
from ..sentences import unit_in_text
from .tables import Column, Row, Table, period_note

RECEIVED, RESOLVED = "Hồ sơ tiếp nhận trong kỳ", "Hồ sơ đã giải quyết"
COUNT_COLUMNS = {
    "received_in_period": Column("received_in_period", "Tổng số", RECEIVED),
    "online_eligible": Column("online_eligible", "Của TTHC có DVC trực tuyến", RECEIVED),
    "online": Column("online", "Trực tuyến", RECEIVED),
    "input_full": Column("input_full", "Số hóa toàn bộ khi tiếp nhận", RECEIVED),
    "resolved": Column("resolved", "Tổng số", RESOLVED),
    "resolved_in_time": Column("resolved_in_time", "Trước hạn, đúng hạn", RESOLVED),
    "result_digitized": Column("result_digitized", "Kết quả đã số hóa", RESOLVED),
}
RATE_HEADERS = {
    "on_time_rate": "Tỷ lệ đúng hạn (%)",
    "online_rate": "Tỷ lệ trực tuyến (%)",
    "input_full_rate": "Tỷ lệ số hóa hồ sơ (%)",
    "result_rate": "Tỷ lệ số hóa kết quả (%)",
}
GROUP_OF = {"online_rate": RECEIVED, "input_full_rate": RECEIVED}


def _rate_column(key: str, numerator: str, denominator: str, *, grouped: bool) -> Column:
    group = GROUP_OF.get(key, RESOLVED) if grouped else ""
    return Column(key, RATE_HEADERS[key], group, rate_of=((numerator,), denominator))


RATE_COLUMNS = tuple(_rate_column(k, n, d, grouped=False) for k, _t, n, d, _f in RATES)
# The counts and the rates, the rates after their counts, grouped by what they count.
FULL_COLUMNS = (
    COUNT_COLUMNS["received_in_period"],
    COUNT_COLUMNS["online_eligible"],
    COUNT_COLUMNS["online"],
    _rate_column("online_rate", "online", "online_eligible", grouped=True),
    COUNT_COLUMNS["input_full"],
    _rate_column("input_full_rate", "input_full", "received_in_period", grouped=True),
    COUNT_COLUMNS["resolved"],
    COUNT_COLUMNS["resolved_in_time"],
    _rate_column("on_time_rate", "resolved_in_time", "resolved", grouped=True),
    COUNT_COLUMNS["result_digitized"],
    _rate_column("result_rate", "result_digitized", "resolved", grouped=True),
)


def figures_for(unit: Unit, period: Period, cutoff: int | None = None) -> TrendFigures:
    """The trend figures of the report: the unit's own one-stop shop is ranked among its
    subordinate units, as the table by unit lists it (three queries with the cut-off)."""
    cutoff = cutoff_day_for(unit) if cutoff is None else cutoff
    return trend_figures(unit, period, cutoff, own_desk=True)


def month_label(figures: TrendFigures, month: Month) -> str:
    label = f"Tháng {month.label}"
    if figures.cut_short(month):
        label += f" (đến {short_date(month.period.end)})"
    return label


def _values(counts: dict, cells) -> dict:
    return {**counts, **{cell.key: cell.value for cell in cells}}


def monthly_table(figures: TrendFigures, period: Period, *, counts: bool) -> Table:
    first, last = figures.months[0].period.start, figures.months[-1].period.end
    rows = tuple(
        Row(month_label(figures, month), _values(c, cells), number=str(i))
        for i, ((month, cells), c) in enumerate(
            zip(figures.table, figures.series, strict=True), start=1
        )
    )
    return Table(
        "Diễn biến",
        "TỶ LỆ GIẢI QUYẾT ĐÚNG HẠN, TRỰC TUYẾN, SỐ HÓA THEO THÁNG",
        "Tháng",
        FULL_COLUMNS if counts else RATE_COLUMNS,
        rows,
        period_note(Period(first, last)),
    )


def ranking_label(row: Ranked) -> str:
    if row.own:
        return f"Bộ phận Một cửa {unit_in_text(row.unit.name)}"
    return row.unit.name


def ranking_table(figures: TrendFigures, period: Period, *, counts: bool) -> Table:
    """The units in the order of their rank on the on-time rate (STT: the rank, shared by
    equal rates; none without a rate)."""
    rows = []
    for row in figures.ranking:
        values = {}
        for cell, (_k, _t, num, den, _f) in zip(row.cells, RATES, strict=True):
            values |= {num: cell.numerator, den: cell.denominator}
        rows.append(
            Row(ranking_label(row), _values(values, row.cells), number=str(row.position or ""))
        )
    title = dict((k, t) for k, t, *_ in RATES)[figures.rank_by]
    return Table(
        "Xếp hạng",
        "XẾP HẠNG CÁC ĐƠN VỊ THEO TỶ LỆ GIẢI QUYẾT ĐÚNG HẠN, TRỰC TUYẾN, SỐ HÓA",
        "Đơn vị",
        FULL_COLUMNS if counts else RATE_COLUMNS,
        tuple(rows),
        f"(Số liệu {date_range(period.start, period.end)}; xếp theo {str(title).lower()}, "
        "đơn vị cùng tỷ lệ cùng hạng)",
    )
