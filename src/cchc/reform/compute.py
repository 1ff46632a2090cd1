"""Filling a report's computed rows: system figures for rows with a source, then every formula in
dependency order; and rolling up the forms of several units (counts summed, rates recomputed
from the summed rows, never summed or averaged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from cchc.org.models import Unit

from .constants import SUMMABLE_TYPES
from .expressions import RowKey
from .schema import Schema
from .sources import Figures

Values = dict[RowKey, Decimal | None]


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def apply_formulas(schema: Schema, values: Values, level: str | None) -> Values:
    """Recompute every formula row (in place) from the values it reads; a row the level does
    not report gets no value."""
    for key in schema.formula_order:
        row = schema.rows[key]
        result = (
            row.formula.evaluate(values, row.missing_values) if row.reported_at(level) else None
        )
        values[key] = None if result is None else _rounded(result, row.decimals)
    return values


def compute_values(
    schema: Schema,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    manual: Mapping[RowKey, Decimal | None],
) -> Values:
    """Every numeric row of `unit`'s forms for [start, end]: system figures for rows with a
    source, `manual` for the others, then the formulas. Rows the unit's level does not report
    ("Cấp sở báo" for a district) stay empty."""
    figures = Figures(unit, start, end)
    level = unit.level.name
    values: Values = {}
    for key, row in schema.rows.items():
        if not row.numeric or row.formula is not None:
            continue
        if not row.reported_at(level):
            values[key] = None
        elif row.source:
            figure = figures.get(row.source, row.scope)
            values[key] = None if figure is None else _rounded(figure, row.decimals)
        else:
            values[key] = manual.get(key)
    return apply_formulas(schema, values, level)


def rollup_values(
    schema: Schema, parts: Iterable[Mapping[RowKey, Decimal | None]], level: str | None
) -> Values:
    """The forms of several units as one: counts and amounts summed over the units that gave
    them, every formula recomputed from the sums; a rate without a formula, a choice or a text
    cannot be added up and is left empty."""
    parts = list(parts)
    values: Values = {}
    for key, row in schema.rows.items():
        if not row.numeric or row.formula is not None:
            continue
        given = [part[key] for part in parts if part.get(key) is not None]
        values[key] = sum(given, Decimal(0)) if given and row.value_type in SUMMABLE_TYPES else None
    return apply_formulas(schema, values, level)
