"""Period statistics (the heart of every report), computed by the database.

For the dossiers of a unit's subtree and a period [start, end] of whole days (domain.md):
carried over, received, resolved (early / on time / late), rejected, withdrawn, pending
(not yet due / overdue) and paused at the end, and the other blocks of the contract's JSON,
written from the catalogue of figures (cchc.stats.figures). The counts are counted by
cchc.stats.counting (one grouped query) through the stored counts' read-through
(cchc.stats.read_through); this module only names and adds them up.
"""

from __future__ import annotations

import datetime as dt

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED
from cchc.catalog.models import Field, Procedure
from cchc.org.models import Unit

from .cache import Summary
from .constants import COUNT_KEYS as COUNT_KEYS  # re-exported
from .constants import ONLINE_SERVICE_KEYS as ONLINE_SERVICE_KEYS  # re-exported
from .counting import KEYS as KEYS  # re-exported
from .counting import annotate_state_at as annotate_state_at  # re-exported
from .counting import dossiers_in_scope as dossiers_in_scope  # re-exported
from .counting import subtree_rows
from .figures import (
    DIGITIZATION,
    DOSSIERS,
    FEES,
    ONLINE_SERVICES,
    SATISFACTION,
    write_block,
)
from .figures import count_conditions as count_conditions  # re-exported
from .rates import rate as rate  # the statistics' rates; re-exported
from .read_through import subtree_summary


def _finish(counts: dict[str, int]) -> dict:
    """A counts object of the contract (dossiers.all or a by_* entry) from the counts."""
    return write_block(DOSSIERS, counts)


def _column_sums(vectors, width: int) -> list[int]:
    sums = [0] * width
    for vector in vectors:
        for i, n in enumerate(vector):
            sums[i] += n
    return sums


def online_services(unit: Unit, summary: Summary, level_names: list[str]) -> dict:
    """Online services by online level, overall and per level of the unit tree.

    `procedures` are the active catalogue procedures of the subtree's levels, plus those that
    received dossiers at that online level in the period (they were offered then, even if the
    catalogue has changed since), so procedures_with_dossiers <= procedures always holds.
    A dossier without a procedure counts in `dossiers` but names no procedure.
    """
    catalogue = (
        Procedure.objects.available_to(unit)
        .filter(active=True, level__in=level_names, online_level__in=ONLINE_LEVELS_OFFERED)
        .values_list("pk", "level", "online_level")
    )

    def empty() -> dict:
        return {
            "procedures": set(),
            "with": set(),
            "with_online": set(),
            "dossiers": 0,
            "online_dossiers": 0,
        }

    overall = {lvl: empty() for lvl in ONLINE_LEVELS_OFFERED}
    per_level = {name: {lvl: empty() for lvl in ONLINE_LEVELS_OFFERED} for name in level_names}
    for pk, level_name, online_level in catalogue:
        for bucket in (overall[online_level], per_level[level_name][online_level]):
            bucket["procedures"].add(pk)
    for level_name, by_online_level in summary.online.items():
        for online_level, (n, n_online, with_ids, with_online_ids) in by_online_level.items():
            for bucket in (overall[online_level], per_level[level_name][online_level]):
                bucket["dossiers"] += n
                bucket["online_dossiers"] += n_online
                bucket["procedures"].update(with_ids)
                bucket["with"].update(with_ids)
                bucket["with_online"].update(with_online_ids)

    def render(bucket: dict) -> dict:
        return write_block(
            ONLINE_SERVICES,
            {
                "procedures": len(bucket["procedures"]),
                "procedures_with_dossiers": len(bucket["with"]),
                "procedures_with_online_dossiers": len(bucket["with_online"]),
                "dossiers": bucket["dossiers"],
                "online_dossiers": bucket["online_dossiers"],
            },
        )

    result = {str(lvl): render(overall[lvl]) for lvl in ONLINE_LEVELS_OFFERED}
    result["by_level"] = {
        name: {str(lvl): render(per_level[name][lvl]) for lvl in ONLINE_LEVELS_OFFERED}
        for name in level_names
    }
    return result


def period_statistics(unit: Unit, start: dt.date, end: dt.date, *, cached: bool = True) -> dict:
    """The period statistics JSON of exchange-format.md §2 for `unit`'s subtree.

    The counts come through cchc.stats.read_through: stored where they are still exact
    (`cached`), counted where not. The figures are the same either way (tests compare them)."""
    units = subtree_rows(unit)
    levels = {pk: level for pk, _code, level, _rank, _whole, _stamp in units}
    codes = {pk: code for pk, code, _level, _rank, _whole, _stamp in units}
    # Levels from the top of the tree down (province, district, commune), as reports list them.
    level_names = [
        name for _rank, name in sorted({(rank, name) for _pk, _c, name, rank, _w, _s in units})
    ]
    width = len(KEYS)
    summary = subtree_summary(unit, start, end, units, cached=cached)
    keys = KEYS
    per_unit, per_field = summary.units, summary.fields
    field_names = dict(Field.objects.filter(pk__in=per_field).values_list("pk", "name"))

    def named(vector: list[int]) -> dict[str, int]:
        return dict(zip(keys, vector, strict=True))

    total = named(_column_sums(per_unit.values(), width))
    by_level = {
        name: named(_column_sums((v for pk, v in per_unit.items() if levels[pk] == name), width))
        for name in level_names
    }
    by_unit = {codes[pk]: named(v) for pk, v in per_unit.items()}
    by_field = {field_names[pk]: named(v) for pk, v in per_field.items()}

    return {
        "unit": unit.code,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "dossiers": {
            "all": _finish(total),
            "by_level": {name: _finish(c) for name, c in by_level.items()},
            "by_unit": {code: _finish(c) for code, c in by_unit.items()},
            "by_field": {name: _finish(by_field[name]) for name in sorted(by_field)},
        },
        "digitization": write_block(DIGITIZATION, total),
        "fees": write_block(FEES, total),
        "satisfaction": write_block(SATISFACTION, total),
        "online_services": online_services(unit, summary, level_names),
    }
