"""Stored period counts per unit: exact, never stale, and cheap to keep.

A province's report over a year reads a third of a million dossiers; the same report asked
again (another user, the XLSX after the page, tomorrow's look at last quarter) would read them
again. Instead the counts of each unit of the subtree are kept per period (PeriodCounts), and
the subtree's sum too (SubtreeCounts). Each unit has a *stamp*:

- every write to a unit's dossiers raises the unit's stamp and records from which day on the
  change can alter the counts (StatsChange): the dossiers' change journal does
  (cchc.dossiers.journal: their services, their import and their signals); this module only
  reads it;
- a reader reads the stamps *before* it counts the dossiers and stores the counts under them;
- stored counts of a period ending on `end` are used while their unit's stamp is the same, or
  when every change since starts after `end` (a period that has ended is not altered by
  today's work). A change that lands while a reader counts has raised the stamp by then, so
  what the reader stored is checked against it like any other.

So a stored row is either exact or ignored; there is nothing to expire. Counts that the cache
cannot vouch for (a unit with no stamp row yet) are computed and not stored. Only the units
whose dossiers changed since are counted again. `cchc warm_stats` counts the usual periods
ahead of time (after an import, or nightly from cron).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, Q

from cchc.dossiers.models import StatsChange, StatsStamp

from .models import PeriodCounts, SubtreeCounts

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class UnitCounts:
    """The counts of one unit's own dossiers over a period, in the order of the layout."""

    total: list[int]
    by_field: dict[int | None, list[int]] = field(default_factory=dict)
    # Per online level: [dossiers, online dossiers, ids of the procedures with dossiers,
    # ids of those with online dossiers].
    online: dict[str, list] = field(default_factory=dict)


@dataclass
class Summary:
    """The counts of a subtree: per unit of it, per field, and the online services per level
    name of the tree (as UnitCounts.online, with sets of procedure ids)."""

    units: dict[int, list[int]]
    fields: dict[int | None, list[int]]
    online: dict[str, dict[str, list]]

    def as_json(self) -> dict:
        return {
            "units": {str(k): v for k, v in self.units.items()},
            "fields": {_key(k): v for k, v in self.fields.items()},
            "online": {
                name: {lvl: [b[0], b[1], sorted(b[2]), sorted(b[3])] for lvl, b in by.items()}
                for name, by in self.online.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        return cls(
            {int(k): v for k, v in data["units"].items()},
            {_id(k): v for k, v in data["fields"].items()},
            data["online"],
        )


def _key(pk: int | None) -> str:
    return "" if pk is None else str(pk)


def _id(key: str) -> int | None:
    return int(key) if key else None


def layout_of(keys: Iterable[str]) -> str:
    """The name of a vector layout: stored counts of another layout are not read."""
    return "v1-" + hashlib.sha1(",".join(keys).encode()).hexdigest()[:16]


def _unchanged_since(end: dt.date) -> Exists:
    """For a stored row (unit_id, stamp): no change of its unit since, that alters `end`."""
    return ~Exists(
        StatsChange.objects.filter(
            unit_id=OuterRef("unit_id"), stamp__gt=OuterRef("stamp"), from_day__lte=end
        )
    )


# --- Readers ------------------------------------------------------------------------------------


def read(
    unit_ids: list[int], start: dt.date, end: dt.date, layout: str, *, whole_tree: bool
) -> dict[int, UnitCounts]:
    """The stored counts of these units that are still exact: stored under the unit's current
    stamp, or under an older one when no change since alters a day up to `end`."""
    rows = PeriodCounts.objects.filter(start=start, end=end, layout=layout).filter(
        Q(stamp=F("unit__stats_stamp__value")) | _unchanged_since(end)
    )
    if not whole_tree:
        rows = rows.filter(unit_id__in=unit_ids)
    wanted = set(unit_ids)
    found = {}
    for unit_id, total, by_field, online in rows.values_list(
        "unit_id", "total", "by_field", "online"
    ):
        if unit_id in wanted:
            found[unit_id] = UnitCounts(total, {_id(k): v for k, v in by_field.items()}, online)
    return found


def stamps_of(unit_ids: list[int]) -> dict[int, int]:
    """The current stamps, read before the dossiers are counted (see the module's docstring).

    A unit that never had a stamp (no dossier written since it was created) gets one at 0:
    a writer that races it raises it all the same (cchc.dossiers.journal)."""
    stamps = {}
    for i in range(0, len(unit_ids), BATCH):
        chunk = unit_ids[i : i + BATCH]
        found = dict(StatsStamp.objects.filter(unit_id__in=chunk).values_list("unit_id", "value"))
        new = [pk for pk in chunk if pk not in found]
        if new:
            try:
                with transaction.atomic():
                    StatsStamp.objects.bulk_create(
                        [StatsStamp(unit_id=pk, value=0) for pk in new], ignore_conflicts=True
                    )
            except DatabaseError:
                log.warning("stamps not created", exc_info=True)
            found.update(StatsStamp.objects.filter(unit_id__in=new).values_list("unit_id", "value"))
        stamps.update(found)
    return stamps


def store(
    counts: dict[int, UnitCounts],
    stamps: dict[int, int],
    start: dt.date,
    end: dt.date,
    layout: str,
    width: int,
) -> None:
    """Keep the counts of the units that have a stamp (a unit without dossiers keeps zeros).

    A failure to store (a read-only replica, a lost race on the unique row) costs only the
    next reader's time: it is logged and the request goes on."""
    rows = []
    for unit_id, stamp in stamps.items():
        if stamp is None:  # no stamp could be made (a read-only database): not stored
            continue
        entry = counts.get(unit_id) or UnitCounts([0] * width)
        rows.append(
            PeriodCounts(
                unit_id=unit_id,
                start=start,
                end=end,
                stamp=stamp,
                layout=layout,
                total=entry.total,
                by_field={_key(k): v for k, v in entry.by_field.items()},
                online=entry.online,
            )
        )
    if not rows:
        return
    try:
        with transaction.atomic():
            PeriodCounts.objects.bulk_create(
                rows,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["start", "end", "unit"],
                update_fields=["stamp", "layout", "total", "by_field", "online", "computed_at"],
            )
    except DatabaseError:
        log.warning("period counts not stored for %s..%s", start, end, exc_info=True)


def signature_of(units: Iterable[tuple], layout: str) -> str:
    """A subtree's shape: its units (id, code, level, ... without their stamps, which
    `read_summary` compares one by one) and the layout of the counts."""
    digest = hashlib.sha1(layout.encode())
    for row in units:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _still_exact(stored: dict[str, int], stamps: dict[int, int | None], end: dt.date) -> bool:
    """Whether a subtree's counts stored under the stamps `stored` still hold for a period
    ending on `end`, its units' stamps being `stamps` now: every unit is at the same stamp,
    or changed since only from days after `end`."""
    changed = Q()
    n_changed = 0
    for pk, stamp in stamps.items():
        before = stored.get(str(pk))
        if stamp is None or before is None:
            return False
        if stamp != before:
            changed |= Q(unit_id=pk, stamp__gt=before)
            n_changed += 1
    if not n_changed:
        return True
    if n_changed > BATCH:
        return False  # too many to ask about: counted again
    return not StatsChange.objects.filter(changed, from_day__lte=end).exists()


def read_summary(
    unit, start: dt.date, end: dt.date, signature: str, stamps: dict[int, int | None]
) -> Summary | None:
    """The subtree's stored counts of [start, end] if they are still exact."""
    return read_summaries(unit, [(start, end)], signature, stamps).get((start, end))


def read_summaries(
    unit,
    periods: list[tuple[dt.date, dt.date]],
    signature: str,
    stamps: dict[int, int | None],
) -> dict[tuple[dt.date, dt.date], Summary]:
    """The stored counts of several periods of one subtree that are still exact (one query,
    and one more for a period that changes since may have altered)."""
    if not periods:
        return {}
    spans = Q()
    for start, end in periods:
        spans |= Q(start=start, end=end)
    rows = SubtreeCounts.objects.filter(spans, unit=unit, signature=signature)
    current = {str(pk): stamp for pk, stamp in stamps.items()}
    found = {}
    for pk, start, end, stored, data in rows.values_list("pk", "start", "end", "stamps", "data"):
        if not _still_exact(stored, stamps, end):
            continue
        found[(start, end)] = Summary.from_json(data)
        if stored != current:
            # Exact under today's stamps too: said so, the next reader need not ask again. A
            # change that lands meanwhile has a higher stamp than these, and is asked about.
            try:
                with transaction.atomic():
                    SubtreeCounts.objects.filter(pk=pk).update(stamps=current)
            except DatabaseError:
                log.warning("subtree stamps not updated", exc_info=True)
    return found


def store_summary(
    unit,
    start: dt.date,
    end: dt.date,
    signature: str,
    stamps: dict[int, int | None],
    summary: Summary,
) -> None:
    """Keep a subtree's counts under its units' stamps, as read before counting."""
    try:
        with transaction.atomic():
            SubtreeCounts.objects.update_or_create(
                unit=unit,
                start=start,
                end=end,
                defaults={
                    "signature": signature,
                    "stamps": {str(pk): stamp for pk, stamp in stamps.items()},
                    "data": summary.as_json(),
                },
            )
    except DatabaseError:
        log.warning("subtree counts not stored for %s..%s", start, end, exc_info=True)


def forget(before: dt.date | None = None) -> int:
    """Delete stored counts (of periods ending before `before`, or all): only space is won."""
    deleted = 0
    for model in (PeriodCounts, SubtreeCounts):
        rows = model.objects.all()
        if before is not None:
            rows = rows.filter(end__lt=before)
        deleted += rows.delete()[0]
    return deleted
