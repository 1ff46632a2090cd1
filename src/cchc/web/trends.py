"""Trends: the rates of the 12 reporting months up to a period's end, drawn as inline SVG
charts, and the ranking of the subordinate units on each rate over the period.

The figures are cchc.stats.trends' (one grouped query; a month's rate is the rate that
period_statistics gives for the same days); this module only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.org.models import Unit
from cchc.stats.periods import Period
from cchc.stats.selectors import rate
from cchc.stats.trends import (
    COUNT_KEYS,
    MONTHS,
    RATE_KEYS,
    RATES,
    Cell,
    Month,
    Ranked,
    bucket_counts,
    cells_of,
    ranked,
    rates_of,
    reporting_months,
    trend_figures,
)

__all__ = [
    "COUNT_KEYS",
    "MONTHS",
    "RATES",
    "RATE_KEYS",
    "Cell",
    "Chart",
    "Month",
    "Point",
    "Ranked",
    "Trends",
    "bucket_counts",
    "cells_of",
    "draw",
    "ranked",
    "rates_of",
    "reporting_months",
    "trends",
]

# The drawing area of a chart, in SVG user units.
WIDTH, HEIGHT = 300, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 24
GRID = (0, 25, 50, 75, 100)


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
    figures = trend_figures(unit, period, cutoff, rank_by)
    charts = [
        draw(key, title, formula, figures.months, figures.series)
        for key, title, _n, _d, formula in RATES
    ]
    return Trends(figures.months, charts, figures.table, figures.ranking, figures.rank_by)
