"""Period statistics (the heart of every report), computed by the database.

For the dossiers of a unit's subtree and a period [start, end] of whole days (domain.md):
carried over, received, resolved (early / on time / late), rejected, withdrawn, pending
(not yet due / overdue) and paused at the end. Every count is a conditional aggregate of one
grouped query (per unit and field); Python only adds up the grouped rows. The state on the
period's end is read from dates and pause intervals, so later changes do not alter a past period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED
from cchc.catalog.models import Field, Procedure
from cchc.dossiers.constants import Channel, Digitization, Outcome, Timeliness
from cchc.dossiers.models import Dossier, DossierPause
from cchc.org.models import Unit

COUNT_KEYS = (
    "received_total",
    "carried_over",
    "received_in_period",
    "online",
    "direct_postal",
    "online_eligible",
    "resolved",
    "early",
    "on_time",
    "late",
    "resolved_in_time",
    "rejected",
    "withdrawn",
    "pending",
    "pending_not_due",
    "pending_overdue",
    "paused",
)
# Extra grouped counts that feed the digitisation block and later tables.
_EXTRA_KEYS = (
    "input_any",
    "input_full",
    "result_digitized",
    "paid_online",
    "with_fee",
)
ONLINE_SERVICE_KEYS = (
    "procedures",
    "procedures_with_dossiers",
    "procedures_with_online_dossiers",
    "dossiers",
    "online_dossiers",
)


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage rounded half-up to 2 decimals, or None when the denominator is 0."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


def dossiers_in_scope(unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """Dossiers of `unit`'s subtree that count in [start, end]: received by the end and not
    closed before the start (carried over or received in the period)."""
    subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    return Dossier.objects.filter(unit_id__in=subtree, received_date__lte=end).filter(
        Q(ended_date__isnull=True) | Q(ended_date__gte=start)
    )


def annotate_state_at(qs: QuerySet[Dossier], day: dt.date) -> QuerySet[Dossier]:
    """Annotate each dossier with its state on `day`: paused_at_end, due_at_end."""
    open_pause = DossierPause.objects.filter(dossier=OuterRef("pk"), started_date__lte=day).filter(
        Q(resumed_date__isnull=True) | Q(resumed_date__gt=day)
    )
    due_then = (
        DossierPause.objects.filter(dossier=OuterRef("pk"), resumed_date__lte=day)
        .order_by("-resumed_date", "-started_at")
        .values("due_date_after")[:1]
    )
    return qs.annotate(
        paused_at_end=Case(
            When(ever_paused=False, then=Value(False)),
            default=Exists(open_pause),
            output_field=BooleanField(),
        ),
        due_at_end=Case(
            When(due_date_since__lte=day, then=F("due_date")),
            default=Coalesce(Subquery(due_then), F("initial_due_date")),
        ),
    )


def count_conditions(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The condition of every count, over a queryset annotated by annotate_state_at(end)."""
    in_period = Q(received_date__gte=start)
    resolved = Q(outcome=Outcome.RESOLVED, ended_date__lte=end)
    still_open = Q(ended_date__isnull=True) | Q(ended_date__gt=end)
    pending = still_open & Q(paused_at_end=False)
    return {
        "received_total": Q(),
        "carried_over": Q(received_date__lt=start),
        "received_in_period": in_period,
        "online": in_period & Q(channel=Channel.ONLINE),
        "direct_postal": in_period & ~Q(channel=Channel.ONLINE),
        "online_eligible": in_period
        & (Q(online_level__in=ONLINE_LEVELS_OFFERED) | Q(channel=Channel.ONLINE)),
        "resolved": resolved,
        "early": resolved & Q(timeliness=Timeliness.EARLY),
        "on_time": resolved & Q(timeliness=Timeliness.ON_TIME),
        "late": resolved & Q(timeliness=Timeliness.LATE),
        "rejected": Q(outcome=Outcome.REJECTED, ended_date__lte=end),
        "withdrawn": Q(outcome=Outcome.WITHDRAWN, ended_date__lte=end),
        "pending_not_due": pending & Q(due_at_end__gte=end),
        "pending_overdue": pending & Q(due_at_end__lt=end),
        "paused": still_open & Q(paused_at_end=True),
        "input_any": in_period
        & Q(input_digitization__in=[Digitization.PARTIAL, Digitization.FULL]),
        "input_full": in_period & Q(input_digitization=Digitization.FULL),
        "result_digitized": resolved & Q(result_digitized=True),
        "paid_online": resolved & Q(paid_online=True),
        "with_fee": resolved & Q(fee__gt=0),
    }


def _finish(counts: dict[str, int]) -> dict:
    out = {key: int(counts.get(key, 0)) for key in COUNT_KEYS}
    out["resolved_in_time"] = out["early"] + out["on_time"]
    out["pending"] = out["pending_not_due"] + out["pending_overdue"]
    out["on_time_rate"] = rate(out["resolved_in_time"], out["resolved"])
    out["online_rate"] = rate(out["online"], out["online_eligible"])
    return out


def _add(into: dict[str, int], row: dict) -> None:
    for key, value in row.items():
        if isinstance(value, int):
            into[key] += value


def grouped_counts(unit: Unit, start: dt.date, end: dt.date) -> list[dict]:
    """One aggregate query: every count per (unit, field) group."""
    conditions = count_conditions(start, end)
    qs = annotate_state_at(dossiers_in_scope(unit, start, end), end)
    aggregates = {
        key: Count("pk", filter=cond) if cond else Count("pk") for key, cond in conditions.items()
    }
    return list(qs.order_by().values("unit_id", "field_id").annotate(**aggregates))


def online_services(unit: Unit, start: dt.date, end: dt.date, levels: dict[int, str]) -> dict:
    """Online services by online level, overall and per level of the unit tree."""
    level_names = sorted(set(levels.values()))
    procedures = (
        Procedure.objects.filter(
            active=True, level__in=level_names, online_level__in=ONLINE_LEVELS_OFFERED
        )
        .order_by()
        .values("level", "online_level")
        .annotate(n=Count("pk"))
    )
    rows = (
        dossiers_in_scope(unit, start, end)
        .filter(received_date__gte=start, online_level__in=ONLINE_LEVELS_OFFERED)
        .order_by()
        .values("unit_id", "online_level", "procedure_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
    )

    def empty() -> dict:
        return {"counts": defaultdict(int), "with": set(), "with_online": set()}

    overall = {lvl: empty() for lvl in ONLINE_LEVELS_OFFERED}
    per_level = {name: {lvl: empty() for lvl in ONLINE_LEVELS_OFFERED} for name in level_names}
    for row in procedures:
        for bucket in (overall[row["online_level"]], per_level[row["level"]][row["online_level"]]):
            bucket["counts"]["procedures"] += row["n"]
    for row in rows:
        level_name = levels[row["unit_id"]]
        for bucket in (overall[row["online_level"]], per_level[level_name][row["online_level"]]):
            bucket["counts"]["dossiers"] += row["n"]
            bucket["counts"]["online_dossiers"] += row["online"]
            key = row["procedure_id"] or ("no-procedure", row["online_level"])
            bucket["with"].add(key)
            if row["online"]:
                bucket["with_online"].add(key)

    def render(bucket: dict) -> dict:
        out = {
            "procedures": bucket["counts"]["procedures"],
            "procedures_with_dossiers": len(bucket["with"]),
            "procedures_with_online_dossiers": len(bucket["with_online"]),
            "dossiers": bucket["counts"]["dossiers"],
            "online_dossiers": bucket["counts"]["online_dossiers"],
        }
        out["online_rate"] = rate(out["online_dossiers"], out["dossiers"])
        return out

    result = {str(lvl): render(overall[lvl]) for lvl in ONLINE_LEVELS_OFFERED}
    result["by_level"] = {
        name: {str(lvl): render(per_level[name][lvl]) for lvl in ONLINE_LEVELS_OFFERED}
        for name in level_names
    }
    return result


def period_statistics(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """The period statistics JSON of exchange-format.md §2 for `unit`'s subtree."""
    units = list(
        Unit.objects.filter(path__startswith=unit.path).values_list("pk", "code", "level__name")
    )
    levels = {pk: level for pk, _code, level in units}
    codes = {pk: code for pk, code, _level in units}
    groups = grouped_counts(unit, start, end)
    field_names = dict(
        Field.objects.filter(pk__in={g["field_id"] for g in groups}).values_list("pk", "name")
    )

    total: dict[str, int] = defaultdict(int)
    by_level: dict[str, dict[str, int]] = {
        name: defaultdict(int) for name in sorted(set(levels.values()))
    }
    by_unit: dict[str, dict[str, int]] = {code: defaultdict(int) for _pk, code, _lvl in units}
    by_field: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in groups:
        counts = {k: v for k, v in row.items() if k not in ("unit_id", "field_id")}
        _add(total, counts)
        _add(by_level[levels[row["unit_id"]]], counts)
        _add(by_unit[codes[row["unit_id"]]], counts)
        _add(by_field[field_names[row["field_id"]]], counts)

    resolved = total["resolved"]
    digitization = {
        "received_in_period": total["received_in_period"],
        "input_any": total["input_any"],
        "input_full": total["input_full"],
        "input_none": total["received_in_period"] - total["input_any"],
        "input_full_rate": rate(total["input_full"], total["received_in_period"]),
        "resolved": resolved,
        "result_digitized": total["result_digitized"],
        "result_not_digitized": resolved - total["result_digitized"],
        "result_rate": rate(total["result_digitized"], resolved),
    }
    return {
        "unit": unit.code,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "dossiers": {
            "all": _finish(total),
            "by_level": {name: _finish(c) for name, c in by_level.items()},
            "by_unit": {code: _finish(c) for code, c in by_unit.items()},
            "by_field": {name: _finish(by_field[name]) for name in sorted(by_field)},
        },
        "digitization": digitization,
        "fees": {
            "resolved_with_fee": total["with_fee"],
            "paid_online": total["paid_online"],
            "paid_online_rate": rate(total["paid_online"], total["with_fee"]),
        },
        "online_services": online_services(unit, start, end, levels),
    }
