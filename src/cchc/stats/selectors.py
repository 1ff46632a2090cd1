"""Period statistics (the heart of every report), computed by the database.

For the dossiers of a unit's subtree and a period [start, end] of whole days (domain.md):
carried over, received, resolved (early / on time / late), rejected, withdrawn, pending
(not yet due / overdue) and paused at the end. Every count is a conditional aggregate of one
grouped query (per unit and field); Python only adds up the grouped rows. The state on the
period's end is read from dates and pause intervals, so later changes do not alter a past period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from operator import add

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    Q,
    QuerySet,
    StringAgg,
    Value,
    When,
)
from django.db.models.functions import Cast

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED
from cchc.catalog.models import Field, Procedure
from cchc.dossiers.constants import Channel
from cchc.dossiers.models import Dossier, DossierPause
from cchc.org.models import Unit

from . import cache
from .constants import COUNT_KEYS as COUNT_KEYS  # re-exported
from .constants import ONLINE_SERVICE_KEYS as ONLINE_SERVICE_KEYS  # re-exported
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


def counts_in_period(start: dt.date, end: dt.date) -> Q:
    """A dossier counts in [start, end] when received by the end and not closed before the
    start (carried over or received in the period)."""
    return Q(received_date__lte=end) & (Q(ended_date__isnull=True) | Q(ended_date__gte=start))


def is_whole_tree(unit: Unit) -> Exists:
    """True when no unit lies outside `unit`'s subtree (the root of the only tree): an
    uncorrelated subquery, to annotate the query that reads the subtree."""
    return ~Exists(Unit.objects.exclude(path__startswith=unit.path))


def subtree_dossiers(
    unit: Unit, unit_ids: Iterable[int] | None = None, *, whole_tree: bool = False
) -> QuerySet[Dossier]:
    """Dossiers received by `unit`'s subtree.

    The subtree's unit ids are given as literals rather than a subquery: the same set, but
    PostgreSQL then knows the subtree's share of the dossiers and reads them through the unit
    indexes instead of scanning the whole table (a district's list: 80 ms instead of 300 ms
    on 1,000,000 dossiers). A caller that already read the subtree passes its `unit_ids`, and
    `whole_tree` when it holds every unit (is_whole_tree).

    The whole tree's dossiers are all of them: no filter on the unit, which would only make
    the database test every row against the 1,000 ids (PostgreSQL, 200,000 dossiers: the root's
    grouped query 0.20 s instead of 0.30 s; SQLite reads through an index either way).
    """
    if unit_ids is None:
        rows = list(
            Unit.objects.subtree_of(unit)
            .annotate(whole_tree=is_whole_tree(unit))
            .values_list("pk", "whole_tree")
        )
        unit_ids = [pk for pk, _whole in rows]
        whole_tree = bool(rows and rows[0][1])
    if whole_tree:
        return Dossier.objects.all()
    return Dossier.objects.filter(unit_id__in=list(unit_ids))


def dossiers_in_scope(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    unit_ids: Iterable[int] | None = None,
    *,
    whole_tree: bool = False,
) -> QuerySet[Dossier]:
    """Dossiers of `unit`'s subtree that count in [start, end] (arguments as subtree_dossiers)."""
    return subtree_dossiers(unit, unit_ids, whole_tree=whole_tree).filter(
        counts_in_period(start, end)
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def annotate_state_at(qs: QuerySet[Dossier], day: dt.date) -> QuerySet[Dossier]:
    """Annotate each dossier with its state on `day`: paused_at_end, not_due_at_end.

    Paused: a pause began on or before `day` and was not resumed by then. Not yet due: its due
    date on `day` is `day` or later. That due date is the one set by the last resumption on or
    before `day` (a resumption after it had not moved it yet). A resumption only ever pushes
    the due date later (cchc.dossiers.clock.shifted_due), so it is the latest of the initial due
    date and those resumptions' due dates.

    Both are tests against one uncorrelated set of dossier ids, which the database builds once
    and hashes: a subquery for each dossier would make PostgreSQL's cost estimate so high that
    it compiles the query (JIT) for longer than the query runs.
    """
    paused_on_day = (
        DossierPause.objects.filter(started_date__lte=day)
        .filter(Q(resumed_date__isnull=True) | Q(resumed_date__gt=day))
        .values("dossier_id")
    )
    due_moved_to_day_or_later = DossierPause.objects.filter(
        resumed_date__lte=day, due_date_after__gte=day
    ).values("dossier_id")
    return qs.annotate(
        paused_at_end=Case(
            When(ever_paused=False, then=Value(False)),
            default=_flag(Q(pk__in=paused_on_day)),
            output_field=BooleanField(),
        ),
        not_due_at_end=Case(
            # The due date has not moved since `day`: it is the current one.
            When(due_date_since__lte=day, then=_flag(Q(due_date__gte=day))),
            When(initial_due_date__gte=day, then=Value(True)),
            default=_flag(Q(pk__in=due_moved_to_day_or_later)),
            output_field=BooleanField(),
        ),
    )


def _finish(counts: dict[str, int]) -> dict:
    """A counts object of the contract (dossiers.all or a by_* entry) from the counts."""
    return write_block(DOSSIERS, counts)


def _column_sums(vectors, width: int) -> list[int]:
    sums = [0] * width
    for vector in vectors:
        for i, n in enumerate(vector):
            sums[i] += n
    return sums


def grouped_counts(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    unit_ids: Iterable[int] | None = None,
    *,
    whole_tree: bool = False,
) -> tuple[list[str], list[tuple[int, int, tuple[int, ...]]]]:
    """One aggregate query: the names of the counts, and per (unit id, field id) group the
    counts in that order."""
    conditions = count_conditions(start, end)
    qs = annotate_state_at(
        dossiers_in_scope(unit, start, end, unit_ids, whole_tree=whole_tree), end
    )
    # Aliases apart from the field names (paid_online, result_digitized): a condition naming a
    # field must not read an aggregate of the same name.
    aliases = {f"n_{key}": cond for key, cond in conditions.items()}
    rows = (
        qs.order_by()
        .values("unit_id", "field_id")
        .annotate(
            **{
                alias: Count("pk", filter=cond) if cond else Count("pk")
                for alias, cond in aliases.items()
            }
        )
        .values_list("unit_id", "field_id", *aliases)
    )
    return list(conditions), [(row[0], row[1], row[2:]) for row in rows]


def online_rows(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    unit_ids: Iterable[int] | None = None,
    *,
    whole_tree: bool = False,
) -> list[tuple[int, str, int, int, list[int], list[int]]]:
    """Dossiers received in the period at an online level that is offered, per (unit id,
    online level): (unit id, level, dossiers, online dossiers, ids of the procedures with
    dossiers, ids of those with online dossiers). The ids come as one string per group, not
    one row per procedure: a province's year is 2,000 rows instead of 57,000."""
    ids = Cast("procedure_id", output_field=CharField())
    online = Q(channel=Channel.ONLINE)
    rows = (
        dossiers_in_scope(unit, start, end, unit_ids, whole_tree=whole_tree)
        .filter(received_date__gte=start, online_level__in=ONLINE_LEVELS_OFFERED)
        .order_by()
        .values("unit_id", "online_level")
        .annotate(
            n=Count("pk"),
            online=Count("pk", filter=online),
            with_ids=StringAgg(ids, Value(","), distinct=True),
            with_online_ids=StringAgg(ids, Value(","), distinct=True, filter=online),
        )
        .values_list("unit_id", "online_level", "n", "online", "with_ids", "with_online_ids")
    )
    return [
        (unit_id, level, n, n_online, _id_list(with_ids), _id_list(with_online))
        for unit_id, level, n, n_online, with_ids, with_online in rows
    ]


def _id_list(text: str | None) -> list[int]:
    return sorted(int(pk) for pk in text.split(",")) if text else []


# The names of the counts, in the order of every vector (grouped_counts, stored counts).
KEYS = tuple(count_conditions(dt.date.min, dt.date.min))
# Raise it when the way a count is computed changes where its condition does not show it
# (annotate_state_at, dossiers_in_scope, online_rows): counts stored before are then not read.
COUNTING_VERSION = 1
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


def summarise(
    counts: dict[int, cache.UnitCounts], levels: dict[int, str], width: int
) -> cache.Summary:
    """The counts of a subtree from its units' counts: Python adds up one vector per unit and
    field, never dossiers."""
    zero = [0] * width
    per_unit = {pk: counts[pk].total if pk in counts else zero for pk in levels}
    per_field: dict[int, list[int]] = {}
    online: dict[str, dict[str, list]] = {}
    for unit_id, entry in counts.items():
        for field_id, vector in entry.by_field.items():
            so_far = per_field.get(field_id)
            per_field[field_id] = vector if so_far is None else list(map(add, so_far, vector))
        into = online.setdefault(levels[unit_id], {})
        for online_level, (n, n_online, with_ids, with_online_ids) in entry.online.items():
            bucket = into.setdefault(online_level, [0, 0, set(), set()])
            bucket[0] += n
            bucket[1] += n_online
            bucket[2].update(with_ids)
            bucket[3].update(with_online_ids)
    return cache.Summary(per_unit, per_field, online)


def online_services(unit: Unit, summary: cache.Summary, level_names: list[str]) -> dict:
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


def subtree_rows(unit: Unit) -> list[tuple]:
    """The units of `unit`'s subtree from the top down: (pk, code, level name, level rank,
    whether the subtree is the whole tree, stamp). subtree_identity names the subtree's
    stored counts by them."""
    return list(
        Unit.objects.subtree_of(unit)
        .annotate(whole_tree=is_whole_tree(unit))
        .order_by("path")
        .values_list("pk", "code", "level__name", "level__rank", "whole_tree", "stats_stamp__value")
    )


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


def period_statistics(unit: Unit, start: dt.date, end: dt.date, *, cached: bool = True) -> dict:
    """The period statistics JSON of exchange-format.md §2 for `unit`'s subtree.

    The counts come from cchc.stats.cache when they are still exact (`cached`): the subtree's
    own when no unit in it changed, else each unit's, counting again only the units whose
    dossiers changed. The figures are the same either way (tests compare them)."""
    units = subtree_rows(unit)
    levels = {pk: level for pk, _code, level, _rank, _whole, _stamp in units}
    codes = {pk: code for pk, code, _level, _rank, _whole, _stamp in units}
    whole_tree = bool(units and units[0][4])
    # Levels from the top of the tree down (province, district, commune), as reports list them.
    level_names = [
        name for _rank, name in sorted({(rank, name) for _pk, _c, name, rank, _w, _s in units})
    ]
    width = len(KEYS)
    signature, stamps = subtree_identity(units)
    summary = cache.read_summary(unit, start, end, signature, stamps) if cached else None
    if summary is None:
        counts = count_units(unit, start, end, stamps, whole_tree=whole_tree, cached=cached)
        summary = summarise(counts, levels, width)
        if cached and None not in stamps.values():
            cache.store_summary(unit, start, end, signature, stamps, summary)
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
