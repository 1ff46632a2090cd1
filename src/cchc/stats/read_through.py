"""Read-through of the stored counts (cchc.stats.cache): a period's counts are read where
they are stored and still exact, counted from the dossiers (cchc.stats.counting) where not,
and then stored. The figures are the same either way (tests compare them)."""

from __future__ import annotations

import datetime as dt
from operator import add

from cchc.org.models import Unit

from . import cache
from .counting import KEYS, grouped_counts, online_rows, subtree_rows, summarise
from .figures import count_conditions

# Raise it when the way a count is computed changes where its condition does not show it
# (annotate_state_at, dossiers_in_scope, online_rows): counts stored before are then not read.
COUNTING_VERSION = 2  # 2: a resolved dossier tracked by the one-stop is returned once handed over
# The stored counts' layout: the names, the conditions themselves and that version, so that
# counts stored by an older version of this code are never read as current.
LAYOUT = cache.layout_of(
    [*KEYS, repr(count_conditions(dt.date.min, dt.date.min)), f"counting-{COUNTING_VERSION}"]
)


def count_units(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    stamps: dict[int, int | None],
    *,
    whole_tree: bool = False,
    cached: bool = True,
) -> dict[int, cache.UnitCounts]:
    """The counts of each unit's own dossiers (the units of `unit`'s subtree: the keys of
    `stamps`, their stamps as read before counting), from the stored counts that are still
    exact and, for the other units, from the dossiers (two grouped queries), which are then
    stored under the stamps (cchc.stats.cache)."""
    unit_ids = list(stamps)
    found = cache.read(unit_ids, start, end, LAYOUT, whole_tree=whole_tree) if cached else {}
    missing = [pk for pk in unit_ids if pk not in found]
    if not missing:
        return found
    if cached:
        stamps = {pk: stamps[pk] for pk in missing}
        stamps.update(cache.stamps_of([pk for pk, v in stamps.items() if v is None]))
    # All of a whole tree's units: no filter on the unit (see subtree_dossiers).
    everything = whole_tree and len(missing) == len(unit_ids)
    keys, groups = grouped_counts(unit, start, end, missing, whole_tree=everything)
    assert tuple(keys) == KEYS
    width = len(keys)
    counted: dict[int, cache.UnitCounts] = {}
    for unit_id, field_id, counts in groups:
        entry = counted.get(unit_id)
        if entry is None:
            entry = counted[unit_id] = cache.UnitCounts([0] * width)
        entry.total = list(map(add, entry.total, counts))
        entry.by_field[field_id] = list(counts)
    for unit_id, online_level, n, online, with_ids, with_online_ids in online_rows(
        unit, start, end, missing, whole_tree=everything
    ):
        entry = counted.get(unit_id)
        if entry is None:
            entry = counted[unit_id] = cache.UnitCounts([0] * width)
        entry.online[online_level] = [n, online, with_ids, with_online_ids]
    wanted = set(missing)
    counted = {pk: entry for pk, entry in counted.items() if pk in wanted}
    if cached:
        cache.store(counted, stamps, start, end, LAYOUT, width)
    found.update(counted)
    return found


def subtree_identity(rows: list[tuple]) -> tuple[str, dict[int, int | None]]:
    """How the stored counts name a subtree (subtree_rows): the signature of its shape (its
    units, their codes and levels, the stamps apart) and each unit's stamp."""
    signature = cache.signature_of([row[:5] for row in rows], LAYOUT)
    return signature, {row[0]: row[5] for row in rows}


def stored_unit_totals(
    unit: Unit, periods: list[tuple[dt.date, dt.date]]
) -> dict[tuple[dt.date, dt.date], dict[int, list[int]]]:
    """For the periods whose subtree counts are stored and still exact: each unit's counts
    (in the order of KEYS), from one query. The others are left out, for the caller."""
    found = cache.read_summaries(unit, periods, *subtree_identity(subtree_rows(unit)))
    return {span: summary.units for span, summary in found.items()}


def stored_summary(unit: Unit, start: dt.date, end: dt.date, rows: list[tuple]):
    """The subtree's stored counts over [start, end] (subtree_rows given) when they are
    stored and still exact, else None; nothing is counted."""
    return cache.read_summary(unit, start, end, *subtree_identity(rows))


def subtree_summary(
    unit: Unit, start: dt.date, end: dt.date, units: list[tuple], *, cached: bool = True
) -> cache.Summary:
    """The counts of `unit`'s subtree (its subtree_rows `units`) over [start, end]: the
    subtree's stored counts when no unit in it changed, else each unit's, counting again only
    the units whose dossiers changed (not stored, nor read, when not `cached`)."""
    levels = {pk: level for pk, _code, level, _rank, _whole, _stamp in units}
    whole_tree = bool(units and units[0][4])
    signature, stamps = subtree_identity(units)
    summary = cache.read_summary(unit, start, end, signature, stamps) if cached else None
    if summary is None:
        counts = count_units(unit, start, end, stamps, whole_tree=whole_tree, cached=cached)
        summary = summarise(counts, levels, len(KEYS))
        if cached and None not in stamps.values():
            cache.store_summary(unit, start, end, signature, stamps, summary)
    return summary
