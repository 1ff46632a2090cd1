"""The tables of a report, built once from the statistics and drawn by docx.py and xlsx.py.

A column names a figure of the catalogue (cchc.stats.figures), which says where it comes
from: a count of the statistics, or a total, difference or rate of other columns. The DOCX prints the figures; the XLSX writes the counts as numbers
and every total and rate as an Excel formula over them, so a clerk can check the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from cchc.org.models import Unit, UnitLevel
from cchc.stats.figures import DOSSIER_FIGURES, ONLINE_SERVICE_FIGURES, Catalogue, Kind
from cchc.stats.periods import Period
from cchc.stats.selectors import rate

from ..numbers import date_range
from ..sentences import ONLINE_LEVEL_NAMES

DATA, SECTION, SUBTOTAL, TOTAL = "data", "section", "subtotal", "total"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    group: str = ""  # the merged header above several columns; "" = the header spans both rows
    total_of: tuple[str, ...] = ()  # = sum of these columns of the same row
    difference_of: tuple[str, str] | None = None  # = first - second
    rate_of: tuple[tuple[str, ...], str] | None = None  # = sum(numerators) / denominator

    @property
    def is_rate(self) -> bool:
        return self.rate_of is not None

    @property
    def is_derived(self) -> bool:
        return bool(self.total_of or self.difference_of or self.rate_of)


@dataclass(frozen=True)
class Row:
    label: str
    values: Mapping[str, int | float | None] = field(default_factory=dict)
    kind: str = DATA
    number: str = ""  # STT


@dataclass(frozen=True)
class Table:
    name: str  # the sheet name (≤ 31 characters)
    title: str
    label_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""
    measure: str = "hồ sơ"  # the unit of measure of the counts (đơn vị tính)

    def data_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == DATA]


def columns(catalogue: Catalogue, *specs: tuple[str, ...]) -> tuple[Column, ...]:
    """A table's columns, each (figure key, header[, group header]). How a column is computed
    from the others (a total, a difference or a rate) is read off the catalogue of figures:
    a sum whose terms (or parts, expanded in turn) are all columns is their total."""
    keys = [spec[0] for spec in specs]

    def among_columns(*terms: str) -> tuple[str, ...] | None:
        try:
            found = [k for t in terms for k in catalogue.expand(t, keys)]
        except ValueError:
            return None
        return tuple(sorted(found, key=keys.index))

    out = []
    for key, header, *group in specs:
        figure = catalogue[key]
        column = Column(key, header, *group)
        if figure.kind is Kind.RATE:
            numerator, denominator = figure.terms
            column = replace(column, rate_of=(among_columns(numerator), denominator))
        elif figure.kind is Kind.DIFFERENCE:
            column = replace(column, difference_of=figure.terms)
        else:
            sums = (figure.terms,) if figure.kind is Kind.SUM else (figure.parts, *figure.equals)
            for terms in sums:
                if terms and (found := among_columns(*terms)):
                    column = replace(column, total_of=found)
                    break
        out.append(column)
    return tuple(out)


RECEIVED, RESOLVED, PENDING = "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"
DOSSIER_COLUMNS = columns(
    DOSSIER_FIGURES,
    ("received_total", "Tổng số", RECEIVED),
    ("online", "Trong kỳ: trực tuyến", RECEIVED),
    ("direct_postal", "Trong kỳ: trực tiếp, BCCI", RECEIVED),
    ("carried_over", "Từ kỳ trước", RECEIVED),
    ("resolved", "Tổng số", RESOLVED),
    ("early", "Trước hạn", RESOLVED),
    ("on_time", "Đúng hạn", RESOLVED),
    ("late", "Quá hạn", RESOLVED),
    ("pending", "Tổng số", PENDING),
    ("pending_not_due", "Chưa đến hạn", PENDING),
    ("pending_overdue", "Quá hạn", PENDING),
    ("paused", "Tạm dừng (chờ bổ sung)"),
    ("rejected", "Từ chối, trả lại"),
    ("withdrawn", "Rút hồ sơ"),
    ("on_time_rate", "Tỷ lệ đúng hạn (%)"),
)

AT_RECEIPT, AT_RESULT = "Số hóa hồ sơ khi tiếp nhận", "Số hóa kết quả giải quyết"
DIGITIZATION_COLUMNS = columns(
    DOSSIER_FIGURES,
    ("received_in_period", "Số hồ sơ tiếp nhận", AT_RECEIPT),
    ("input_any", "Số hồ sơ có số hóa thành phần", AT_RECEIPT),
    ("input_full", "Số hồ sơ số hóa đầy đủ thành phần", AT_RECEIPT),
    ("input_full_rate", "Tỷ lệ số hóa đầy đủ (%)", AT_RECEIPT),
    ("input_none", "Số hồ sơ chưa số hóa", AT_RECEIPT),
    ("resolved", "Số hồ sơ đã giải quyết", AT_RESULT),
    ("result_digitized", "Số hồ sơ có số hóa kết quả", AT_RESULT),
    ("result_rate", "Tỷ lệ số hóa kết quả (%)", AT_RESULT),
    ("result_not_digitized", "Số hồ sơ chưa số hóa kết quả", AT_RESULT),
)

SERVICES, RECEIVED_IN_PERIOD = "Dịch vụ công trực tuyến", "Hồ sơ tiếp nhận trong kỳ"
ONLINE_COLUMNS = columns(
    ONLINE_SERVICE_FIGURES,
    ("procedures", "Số dịch vụ công trực tuyến", SERVICES),
    ("procedures_with_dossiers", "Số dịch vụ phát sinh hồ sơ", SERVICES),
    ("procedures_with_online_dossiers", "Số dịch vụ phát sinh hồ sơ trực tuyến", SERVICES),
    ("procedures_online_rate", "Tỷ lệ dịch vụ phát sinh hồ sơ trực tuyến (%)", SERVICES),
    ("dossiers", "Tổng số hồ sơ (trực tiếp và trực tuyến)", RECEIVED_IN_PERIOD),
    ("online_dossiers", "Số hồ sơ trực tuyến", RECEIVED_IN_PERIOD),
    ("online_rate", "Tỷ lệ hồ sơ trực tuyến (%)", RECEIVED_IN_PERIOD),
)


def derived(columns: tuple[Column, ...], values: Mapping) -> dict:
    """`values` completed with the derived columns they lack, computed from the others.

    A figure the statistics give is kept as given, so a document drawn from figures that do
    not add up shows them as they are (the XLSX formulas then show the difference).
    """
    out = dict(values)
    for column in columns:
        if out.get(column.key) is not None:
            continue
        if column.rate_of is not None:
            numerators, denominator = column.rate_of
            out[column.key] = rate(
                sum(int(out.get(k) or 0) for k in numerators), int(out.get(denominator) or 0)
            )
        elif column.total_of:
            out[column.key] = sum(int(out.get(k) or 0) for k in column.total_of)
        elif column.difference_of:
            first, second = column.difference_of
            out[column.key] = int(out.get(first) or 0) - int(out.get(second) or 0)
    return out


def period_note(period: Period) -> str:
    return f"(Số liệu {date_range(period.start, period.end)})"


def dossiers_by_field(stats: Mapping, period: Period) -> Table:
    by_field = stats["dossiers"].get("by_field") or {}
    rows = [
        Row(name, derived(DOSSIER_COLUMNS, counts), number=str(i))
        for i, (name, counts) in enumerate(sorted(by_field.items()), start=1)
    ]
    rows.append(Row("Tổng cộng", derived(DOSSIER_COLUMNS, stats["dossiers"]["all"]), TOTAL))
    return Table(
        "Theo lĩnh vực",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO LĨNH VỰC",
        "Lĩnh vực",
        DOSSIER_COLUMNS,
        tuple(rows),
        period_note(period),
    )


def level_labels(names) -> dict[str, str]:
    """Level name → label ("commune" → "Cấp xã"), in the order of the tree (by rank)."""
    found = {
        name: (rank, label or name)
        for name, label, rank in UnitLevel.objects.filter(name__in=list(names)).values_list(
            "name", "label", "rank"
        )
    }
    ordered = sorted(names, key=lambda n: (found.get(n, (99, n))[0], n))
    return {name: found.get(name, (99, name))[1] for name in ordered}


def dossiers_by_level(stats: Mapping, period: Period, labels: Mapping[str, str]) -> Table:
    by_level = stats["dossiers"].get("by_level") or {}
    rows = [
        Row(label, derived(DOSSIER_COLUMNS, by_level[name]), number=str(i))
        for i, (name, label) in enumerate(
            ((n, lbl) for n, lbl in labels.items() if n in by_level), start=1
        )
    ]
    rows.append(Row("Tổng cộng", derived(DOSSIER_COLUMNS, stats["dossiers"]["all"]), TOTAL))
    return Table(
        "Theo cấp",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO CẤP HÀNH CHÍNH",
        "Cấp",
        DOSSIER_COLUMNS,
        tuple(rows),
        period_note(period),
    )


def dossiers_by_unit(stats: Mapping, period: Period, units: list[Unit]) -> Table:
    by_unit = stats["dossiers"].get("by_unit") or {}
    rows = [
        Row(unit.name, derived(DOSSIER_COLUMNS, by_unit[unit.code]), number=str(i))
        for i, unit in enumerate((u for u in units if u.code in by_unit), start=1)
    ]
    rows.append(Row("Tổng cộng", derived(DOSSIER_COLUMNS, stats["dossiers"]["all"]), TOTAL))
    return Table(
        "Theo đơn vị",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ",
        "Đơn vị",
        DOSSIER_COLUMNS,
        tuple(rows),
        period_note(period),
    )


def digitization_table(stats: Mapping, period: Period, unit: Unit) -> Table:
    block = stats.get("digitization") or {}
    return Table(
        "Số hóa",
        "KẾT QUẢ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Đơn vị",
        DIGITIZATION_COLUMNS,
        (Row(unit.name, derived(DIGITIZATION_COLUMNS, block), number="1"),),
        period_note(period),
    )


def _online_rows(levels: Mapping, section: str = "") -> list[Row]:
    rows = [
        Row(
            ONLINE_LEVEL_NAMES[lvl].capitalize(),
            derived(ONLINE_COLUMNS, levels.get(lvl) or {}),
            number=str(i),
        )
        for i, lvl in enumerate(ONLINE_LEVEL_NAMES, start=1)
    ]
    if section:
        summed = {
            c.key: sum(int(r.values.get(c.key) or 0) for r in rows)
            for c in ONLINE_COLUMNS
            if not c.is_derived
        }
        rows = [Row(section, kind=SECTION), *rows]
        rows.append(Row("Cộng", derived(ONLINE_COLUMNS, summed), SUBTOTAL))
    return rows


def online_services_table(stats: Mapping, period: Period, labels: Mapping[str, str]) -> Table:
    block = stats.get("online_services") or {}
    by_level = block.get("by_level") or {}
    levels_with_data = [
        name
        for name in labels
        if name in by_level
        and any(_online_size(by_level[name].get(lvl)) for lvl in ONLINE_LEVEL_NAMES)
    ]
    rows: list[Row] = []
    if len(levels_with_data) > 1:
        for name in levels_with_data:
            rows += _online_rows(by_level[name], labels[name])
    else:
        rows += _online_rows(block)
    data = [r for r in rows if r.kind == DATA]
    summed = {
        c.key: sum(int(r.values.get(c.key) or 0) for r in data)
        for c in ONLINE_COLUMNS
        if not c.is_derived
    }
    rows.append(Row("Tổng cộng", derived(ONLINE_COLUMNS, summed), TOTAL))
    return Table(
        "DVC trực tuyến",
        "KẾT QUẢ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN",
        "Mức độ trực tuyến",
        ONLINE_COLUMNS,
        tuple(rows),
        period_note(period),
        "dịch vụ, hồ sơ",
    )


def _online_size(block: Mapping | None) -> int:
    return int((block or {}).get("procedures") or 0) + int((block or {}).get("dossiers") or 0)


@dataclass(frozen=True)
class ReportTables:
    by_field: Table
    by_level: Table
    by_unit: Table
    digitization: Table
    online_services: Table
    level_labels: dict[str, str]

    def all(self) -> list[Table]:
        return [
            self.by_field,
            self.by_level,
            self.by_unit,
            self.digitization,
            self.online_services,
        ]


def build_tables(stats: Mapping, unit: Unit, period: Period) -> ReportTables:
    """Every table of the report for `unit`'s subtree (two queries: levels and units)."""
    units = list(Unit.objects.subtree_of(unit).only("code", "name").order_by("path"))
    labels = level_labels(set(stats["dossiers"].get("by_level") or {}) | {unit.level.name})
    return ReportTables(
        by_field=dossiers_by_field(stats, period),
        by_level=dossiers_by_level(stats, period, labels),
        by_unit=dossiers_by_unit(stats, period, units),
        digitization=digitization_table(stats, period, unit),
        online_services=online_services_table(stats, period, labels),
        level_labels=labels,
    )
