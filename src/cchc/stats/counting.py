"""What a period's counts read and the grouped queries that count them.

For the dossiers of a unit's subtree and a period [start, end] of whole days (domain.md): the
dossiers that count in the period, their state on its end (read from dates and pause
intervals, so later changes do not alter a past period), and one grouped query (per unit and
field) of conditional counts, whose conditions are the catalogue's (cchc.stats.figures).
Python only adds up the grouped rows. Nothing here reads or writes the stored counts
(cchc.stats.read_through does).
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
    ExpressionWrapper,
    Q,
    QuerySet,
    StringAgg,
    Value,
    When,
)
from django.db.models.functions import Cast

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED
from cchc.dossiers.constants import Channel
from cchc.dossiers.models import Dossier, DossierPause

# Which dossiers a unit's subtree and a period read: the dossiers app's (re-exported).
from cchc.dossiers.selectors import counts_in_period as counts_in_period
from cchc.dossiers.selectors import dossiers_in_scope as dossiers_in_scope
from cchc.dossiers.selectors import is_whole_tree as is_whole_tree
from cchc.dossiers.selectors import subtree_dossiers as subtree_dossiers
from cchc.org.models import Unit

from .cache import Summary, UnitCounts
from .figures import count_conditions

# The names of the counts, in the order of every vector (grouped_counts, stored counts).
KEYS = tuple(count_conditions(dt.date.min, dt.date.min))


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


def summarise(counts: dict[int, UnitCounts], levels: dict[int, str], width: int) -> Summary:
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
    return Summary(per_unit, per_field, online)


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
