"""Trend figures: the rates of the 12 reporting months up to a period's end, and the ranking of
a unit's subordinate units on each rate over the period. The web page draws them
(cchc.web.trends), the report documents tabulate them (cchc.reports.period_report.docx, .xlsx).

Every month and the period itself are buckets of one grouped query (one row per unit): each
count of a bucket is the statistics' own condition (count_conditions) restricted to the
dossiers that dossiers_in_scope gives for that bucket, so a month's rate is the rate that
period_statistics gives for the same days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from cchc.org.models import Unit

from .counting import KEYS, counts_in_period, dossiers_in_scope
from .figures import DOSSIER_FIGURES, condition_of, count_conditions
from .periods import Period, reporting_month, reporting_period
from .rates import rate
from .read_through import stored_unit_totals

MONTHS = 12
# The rates the trends follow: key, title, numerator, denominator, how it is computed (from
# the catalogue of figures).
TREND_RATES = ("on_time_rate", "online_rate", "input_full_rate", "result_rate")
RATES = tuple(
    (f.key, f.label, *f.terms, f.explained) for f in (DOSSIER_FIGURES[k] for k in TREND_RATES)
)
RATE_KEYS = tuple(r[0] for r in RATES)
COUNT_KEYS = tuple(dict.fromkeys(k for r in RATES for k in (r[2], r[3])))


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


def _conditions(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The conditions of COUNT_KEYS: the statistics' own, and resolved in time (early or on
    time), as period_statistics adds them up. None of them reads the state at the end, so
    the queryset needs no annotate_state_at."""
    conditions = count_conditions(start, end)
    return {key: condition_of(key, conditions) for key in COUNT_KEYS}


def bucket_counts(
    unit: Unit, buckets: list[Period], unit_ids: Iterable[int] | None = None
) -> dict[int, list[dict[str, int]]]:
    """One grouped query: per unit id of the subtree (that has dossiers), per bucket, the
    counts of COUNT_KEYS. A caller that already read the subtree passes its `unit_ids`."""
    aggregates = {}
    for i, bucket in enumerate(buckets):
        conditions = _conditions(bucket.start, bucket.end)
        scope = counts_in_period(bucket.start, bucket.end)
        for key in COUNT_KEYS:
            aggregates[f"b{i}_{key}"] = Count("pk", filter=scope & conditions[key])
    start = min(b.start for b in buckets)
    end = max(b.end for b in buckets)
    rows = (
        dossiers_in_scope(unit, start, end, unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(**aggregates)
        .values_list("unit_id", *aggregates)
    )
    width = len(COUNT_KEYS)
    return {
        unit_id: [
            dict(zip(COUNT_KEYS, values[i * width : (i + 1) * width], strict=True))
            for i in range(len(buckets))
        ]
        for unit_id, *values in rows
    }


def cached_bucket_counts(
    unit: Unit, buckets: list[Period], units: list[Unit]
) -> dict[int, list[dict[str, int]]]:
    """bucket_counts, reading the buckets whose subtree counts are stored and still exact
    (cchc.stats.cache: the statistics page stores its period, `cchc warm_stats` the months)
    and counting only the others from the dossiers."""
    stored = stored_unit_totals(unit, list({(b.start, b.end) for b in buckets}))
    missing = [b for b in buckets if (b.start, b.end) not in stored]
    counted = bucket_counts(unit, missing, [u.pk for u in units]) if missing else {}
    where = {(b.start, b.end): i for i, b in enumerate(missing)}
    zero = dict.fromkeys(COUNT_KEYS, 0)
    result = {}
    for u in units:
        per_bucket = []
        for bucket in buckets:
            span = (bucket.start, bucket.end)
            if span in stored:
                vector = stored[span].get(u.pk)
                per_bucket.append(_trend_counts(vector) if vector else zero)
            else:
                row = counted.get(u.pk)
                per_bucket.append(row[where[span]] if row else zero)
        if u.pk in counted or any(any(c.values()) for c in per_bucket):
            result[u.pk] = per_bucket
    return result


def _trend_counts(vector: list[int]) -> dict[str, int]:
    """The trends' counts out of a unit's stored counts (those derived, such as resolved in
    time, as period_statistics derives them)."""
    counts = DOSSIER_FIGURES.complete(dict(zip(KEYS, vector, strict=True)))
    return {key: counts[key] for key in COUNT_KEYS}


def sum_counts(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    parts = list(parts)
    return {key: sum(p[key] for p in parts) for key in COUNT_KEYS}


def rates_of(counts: dict[str, int]) -> dict[str, float | None]:
    return {key: rate(counts[num], counts[den]) for key, _t, num, den, _n in RATES}


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
    own: bool = False  # the unit's own one-stop shop, not a subordinate unit's subtree

    def cell(self, key: str) -> Cell:
        return self.cells[RATE_KEYS.index(key)]


def ranked(
    units: list[Unit], counts: list[dict[str, int]], rank_by: str, own: Unit | None = None
) -> list[Ranked]:
    """The units with their rates, each ranked among them (1, 2, 2, 4: equal rates share a
    rank; no rate, no rank), sorted by their rank on `rank_by`. The row of `own` (if given)
    is the unit's own one-stop shop."""
    rows = [
        Ranked(unit, cells_of(c), own=unit is own) for unit, c in zip(units, counts, strict=True)
    ]
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
class TrendFigures:
    months: list[Month]
    series: list[dict[str, int]]  # the counts of `unit`'s subtree, one per month
    table: list[tuple[Month, list[Cell]]]  # the rates of each month
    ranking: list[Ranked]
    rank_by: str
    period_counts: dict[str, int]  # the counts of `unit`'s subtree over the period
    cutoff: int

    def cut_short(self, month: Month) -> bool:
        """Whether `month` is cut at the period's end before the month is over."""
        full = reporting_period("month", month.year, month.month, cutoff=self.cutoff)
        return month.period.end < full.end


def trend_figures(
    unit: Unit, period: Period, cutoff: int, rank_by: str = "", *, own_desk: bool = False
) -> TrendFigures:
    """The rates of `unit`'s subtree over the 12 reporting months up to `period`'s end, and
    its direct subordinate units (each with its own subtree) ranked over `period`; with
    `own_desk`, the unit's own one-stop shop (its own dossiers) is ranked among them when it
    has figures of the period. Two queries: the subtree, the grouped counts."""
    rank_by = rank_by if rank_by in RATE_KEYS else RATE_KEYS[0]
    months = reporting_months(period.end, cutoff)
    units = list(Unit.objects.subtree_of(unit).only("code", "name", "path", "parent_id"))
    counts = cached_bucket_counts(unit, [m.period for m in months] + [period], units)

    series = [sum_counts(per_unit[i] for per_unit in counts.values()) for i in range(len(months))]
    children = [u for u in units if u.parent_id == unit.pk]
    in_period = {pk: per_unit[-1] for pk, per_unit in counts.items()}
    zero = dict.fromkeys(COUNT_KEYS, 0)
    child_counts = [
        sum_counts(in_period.get(u.pk, zero) for u in units if u.path.startswith(child.path))
        for child in children
    ]
    own = None
    if own_desk and children and any(in_period.get(unit.pk, zero).values()):
        own = unit
        children = [unit, *children]
        child_counts = [in_period[unit.pk], *child_counts]
    return TrendFigures(
        months,
        series,
        [(month, cells_of(c)) for month, c in zip(months, series, strict=True)],
        ranked(children, child_counts, rank_by, own),
        rank_by,
        sum_counts(in_period.values()),
        cutoff,
    )
