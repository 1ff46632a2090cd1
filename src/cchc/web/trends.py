"""Trends: the rates of the 12 reporting months up to a period's end, drawn as inline SVG
charts, and the ranking of the subordinate units on each rate over the period.

Every month and the period itself are buckets of one grouped query (one row per unit): each
count of a bucket is the statistics' own condition (count_conditions) restricted to the
dossiers that dossiers_in_scope gives for that bucket, so a month's rate is the rate that
period_statistics gives for the same days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cchc.org.models import Unit
from cchc.stats.periods import Period, reporting_period
from cchc.stats.selectors import counts_in_period, dossiers_in_scope, rate

from .drilldown import all_conditions
from .forms import reporting_month

MONTHS = 12
# key, title, numerator, denominator, how it is computed
RATES = (
    (
        "on_time_rate",
        _("Tỷ lệ giải quyết đúng hạn"),
        "resolved_in_time",
        "resolved",
        _("(trước hạn + đúng hạn) / đã giải quyết"),
    ),
    (
        "online_rate",
        _("Tỷ lệ hồ sơ trực tuyến"),
        "online",
        "online_eligible",
        _("trực tuyến / hồ sơ của TTHC có cung cấp trực tuyến"),
    ),
    (
        "input_full_rate",
        _("Tỷ lệ số hóa hồ sơ khi tiếp nhận"),
        "input_full",
        "received_in_period",
        _("số hóa toàn bộ thành phần / tiếp nhận trong kỳ"),
    ),
    (
        "result_rate",
        _("Tỷ lệ số hóa kết quả"),
        "result_digitized",
        "resolved",
        _("kết quả đã số hóa / đã giải quyết"),
    ),
)
RATE_KEYS = tuple(r[0] for r in RATES)
COUNT_KEYS = tuple(dict.fromkeys(k for r in RATES for k in (r[2], r[3])))

# The drawing area of a chart, in SVG user units.
WIDTH, HEIGHT = 300, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 24
GRID = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    period: Period

    @property
    def label(self) -> str:
        return f"{self.month}/{self.year}"

    def tick(self, first: bool) -> str:
        """The label on the axis: the month, and the year at the start and each January."""
        return (
            f"{self.month}/{self.year % 100:02d}" if first or self.month == 1 else str(self.month)
        )


def reporting_months(end: dt.date, cutoff: int, count: int = MONTHS) -> list[Month]:
    """The `count` reporting months up to the one `end` falls in, which is cut at `end`."""
    year, month = reporting_month(end, cutoff)
    months = []
    for _i in range(count):
        months.append(Month(year, month, reporting_period("month", year, month, cutoff=cutoff)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    months.reverse()
    last = months[-1]
    months[-1] = Month(last.year, last.month, Period(last.period.start, min(end, last.period.end)))
    return months


def bucket_counts(unit: Unit, buckets: list[Period]) -> dict[int, list[dict[str, int]]]:
    """One grouped query: per unit id of the subtree (that has dossiers), per bucket, the
    counts of COUNT_KEYS."""
    aggregates = {}
    for i, bucket in enumerate(buckets):
        conditions = all_conditions(bucket.start, bucket.end)
        scope = counts_in_period(bucket.start, bucket.end)
        for key in COUNT_KEYS:
            aggregates[f"b{i}_{key}"] = Count("pk", filter=scope & conditions[key])
    start = min(b.start for b in buckets)
    end = max(b.end for b in buckets)
    rows = (
        dossiers_in_scope(unit, start, end)
        .order_by()
        .values("unit_id")
        .annotate(**aggregates)
        .values_list("unit_id", *aggregates)
    )
    out = {}
    for unit_id, *values in rows:
        out[unit_id] = [
            dict(
                zip(
                    COUNT_KEYS, values[i * len(COUNT_KEYS) : (i + 1) * len(COUNT_KEYS)], strict=True
                )
            )
            for i in range(len(buckets))
        ]
    return out


def _sum(parts: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(p[key] for p in parts) for key in COUNT_KEYS}


def rates_of(counts: dict[str, int]) -> dict[str, float | None]:
    return {key: rate(counts[num], counts[den]) for key, _t, num, den, _n in RATES}


@dataclass
class Point:
    x: float
    y: float | None
    label: str
    tick: str
    value: float | None
    numerator: int
    denominator: int


@dataclass
class Chart:
    key: str
    title: str
    formula: str
    points: list[Point]
    lines: list[str] = field(default_factory=list)  # polyline "x,y x,y" runs between gaps
    grid: list[tuple[int, float]] = field(default_factory=list)  # (percent, y)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def last(self) -> Point | None:
        known = [p for p in self.points if p.value is not None]
        return known[-1] if known else None

    @property
    def average(self) -> float | None:
        """The rate over all the months together (not the mean of the monthly rates)."""
        return rate(sum(p.numerator for p in self.points), sum(p.denominator for p in self.points))


def _y(value: float) -> float:
    return round(TOP + (100 - value) / 100 * (HEIGHT - TOP - BOTTOM), 1)


def draw(key: str, title: str, formula: str, months: list[Month], series: list[dict]) -> Chart:
    """A line chart of rate `key` over the months, with a gap where a month has no
    denominator (nothing to rate)."""
    step = (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)
    _k, _t, num, den, _f = next(r for r in RATES if r[0] == key)
    points = []
    for i, (month, counts) in enumerate(zip(months, series, strict=True)):
        value = rate(counts[num], counts[den])
        points.append(
            Point(
                x=round(LEFT + i * step, 1),
                y=None if value is None else _y(value),
                label=month.label,
                tick=month.tick(i == 0),
                value=value,
                numerator=counts[num],
                denominator=counts[den],
            )
        )
    lines, run = [], []
    for point in points:
        if point.y is None:
            if run:
                lines.append(run)
            run = []
        else:
            run.append(f"{point.x},{point.y}")
    if run:
        lines.append(run)
    return Chart(
        key,
        str(title),
        str(formula),
        points,
        lines=[" ".join(r) for r in lines if len(r) > 1],
        grid=[(g, _y(g)) for g in GRID],
    )


@dataclass(frozen=True)
class Cell:
    key: str
    value: float | None
    numerator: int
    denominator: int
    rank: int | None = None


def cells_of(counts: dict[str, int]) -> list[Cell]:
    return [
        Cell(key, rate(counts[num], counts[den]), counts[num], counts[den])
        for key, _t, num, den, _f in RATES
    ]


@dataclass
class Ranked:
    unit: Unit
    cells: list[Cell]
    position: int | None = None  # the rank on the rate the table is sorted by


def ranked(units: list[Unit], counts: list[dict[str, int]], rank_by: str) -> list[Ranked]:
    """The units with their rates, each ranked among them (1, 2, 2, 4: equal rates share a
    rank; no rate, no rank), sorted by their rank on `rank_by`."""
    rows = [Ranked(unit, cells_of(c)) for unit, c in zip(units, counts, strict=True)]
    for i, key in enumerate(RATE_KEYS):
        values = sorted(
            (r.cells[i].value for r in rows if r.cells[i].value is not None), reverse=True
        )
        for row in rows:
            cell = row.cells[i]
            if cell.value is not None:
                row.cells[i] = Cell(
                    key, cell.value, cell.numerator, cell.denominator, values.index(cell.value) + 1
                )
    column = RATE_KEYS.index(rank_by)
    for row in rows:
        row.position = row.cells[column].rank
    rows.sort(key=lambda r: (r.position is None, r.position or 0, r.unit.path))
    return rows


@dataclass
class Trends:
    months: list[Month]
    charts: list[Chart]
    table: list[tuple[Month, list[Cell]]]
    ranking: list[Ranked]
    rank_by: str


def trends(unit: Unit, period: Period, cutoff: int, rank_by: str = "") -> Trends:
    """The charts of `unit`'s subtree over the 12 reporting months up to `period`'s end, and
    its direct subordinate units (each with its own subtree) ranked over `period`."""
    rank_by = rank_by if rank_by in RATE_KEYS else RATE_KEYS[0]
    months = reporting_months(period.end, cutoff)
    counts = bucket_counts(unit, [m.period for m in months] + [period])
    units = list(Unit.objects.subtree_of(unit).only("code", "name", "path", "parent_id"))

    series = [_sum([per_unit[i] for per_unit in counts.values()]) for i in range(len(months))]
    charts = [draw(key, title, formula, months, series) for key, title, _n, _d, formula in RATES]
    children = [u for u in units if u.parent_id == unit.pk]
    in_period = {pk: per_unit[-1] for pk, per_unit in counts.items()}
    zero = dict.fromkeys(COUNT_KEYS, 0)
    child_counts = [
        _sum([in_period.get(u.pk, zero) for u in units if u.path.startswith(child.path)])
        for child in children
    ]
    return Trends(
        months,
        charts,
        [(month, cells_of(c)) for month, c in zip(months, series, strict=True)],
        ranked(children, child_counts, rank_by),
        rank_by,
    )
