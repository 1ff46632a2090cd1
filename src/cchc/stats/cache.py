"""Stored period counts per unit: exact, never stale, and cheap to keep.

A province's report over a year reads a third of a million dossiers; the same report asked
again (another user, the XLSX after the page, tomorrow's look at last quarter) would read them
again. Instead the counts of each unit of the subtree are kept per period (PeriodCounts), and
the subtree's sum too (SubtreeCounts). Each unit has a *stamp*:

- every write to a unit's dossiers raises the unit's stamp and records from which day on the
  change can alter the counts (`dossiers_changed`, StatsChange): the one-stop services in the
  transaction of the change (the action's day, or the dossier's end for a closed one), the
  CSV import with each batch (the first receipt), any other save or delete of a dossier or a
  pause through the ORM by the signals below (the dossier's receipt, the pause's start);
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

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import PeriodCounts, StatsChange, StatsStamp, SubtreeCounts

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


# --- Writers: raise the stamps ------------------------------------------------------------------


def dossiers_changed(unit_ids: Iterable[int | None], since: dt.date | None = None) -> None:
    """Record that dossiers received by these units changed: their stored counts are void for
    every period that ends on or after `since` (None: every period). `since` must be a true
    lower bound of the days the change can alter: the day of a one-stop action, or a dossier's
    received date (a dossier counts in no period ending before it). A period that ended before
    keeps its stored counts.

    Call it in the transaction that writes the dossiers (or after it commits: either way no
    count read before the change is used after it)."""
    dossiers_changed_from((pk, since) for pk in unit_ids)


def dossiers_changed_from(changes: Iterable[tuple[int | None, dt.date | None]]) -> None:
    """dossiers_changed for (unit id, since) pairs: each unit from the earliest of its days."""
    days: dict[int, dt.date] = {}
    for pk, day in changes:
        if pk is not None:
            day = day or dt.date.min
            days[pk] = min(day, days.get(pk, day))
    if days:
        with transaction.atomic():
            _raise(days)


def _raise(days: dict[int, dt.date]) -> None:
    ids = sorted(days)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        if len(chunk) > 1:
            # Lock in one order, so that two imports raising overlapping units cannot deadlock.
            list(
                StatsStamp.objects.select_for_update()
                .filter(unit_id__in=chunk)
                .order_by("unit_id")
                .values_list("unit_id", flat=True)
            )
        raised = StatsStamp.objects.filter(unit_id__in=chunk).update(value=F("value") + 1)
        if raised != len(chunk):
            have = set(
                StatsStamp.objects.filter(unit_id__in=chunk).values_list("unit_id", flat=True)
            )
            new = [pk for pk in chunk if pk not in have]
            # Created at 0 and raised, as if they had existed: a row that a concurrent writer
            # created first is raised all the same.
            StatsStamp.objects.bulk_create(
                [StatsStamp(unit_id=pk, value=0) for pk in new], ignore_conflicts=True
            )
            StatsStamp.objects.filter(unit_id__in=new).update(value=F("value") + 1)
        # The stamps are ours until the transaction ends (the rows are locked): record from
        # which day each change counts.
        StatsChange.objects.bulk_create(
            [
                StatsChange(unit_id=pk, stamp=value, from_day=days[pk])
                for pk, value in StatsStamp.objects.filter(unit_id__in=chunk).values_list(
                    "unit_id", "value"
                )
            ]
        )


@receiver(pre_save, sender="dossiers.Dossier")
def _dossier_about_to_be_written(sender, instance, **kwargs) -> None:
    # What the dossier was: a save may move it to another unit (an admin's correction) or
    # change its received date, and the periods of both are to be counted again.
    if not instance._state.adding and instance.pk is not None:
        instance._stats_before = list(
            sender.objects.filter(pk=instance.pk).values_list("unit_id", "received_date")
        )


@receiver(post_save, sender="dossiers.Dossier")
@receiver(post_delete, sender="dossiers.Dossier")
def _dossier_written(sender, instance, **kwargs) -> None:
    # Any field may have changed: every period from the dossier's receipt on.
    before = getattr(instance, "_stats_before", [])
    dossiers_changed_from([(instance.unit_id, instance.received_date), *before])


@receiver(pre_save, sender="dossiers.DossierPause")
def _pause_about_to_be_written(sender, instance, **kwargs) -> None:
    if not instance._state.adding and instance.pk is not None:
        instance._stats_before = list(
            sender.objects.filter(pk=instance.pk).values_list("started_date", flat=True)
        )


@receiver(post_save, sender="dossiers.DossierPause")
@receiver(post_delete, sender="dossiers.DossierPause")
def _pause_written(sender, instance, **kwargs) -> None:
    # A pause alters the days from its start on (paused, then the due date it moved); the
    # dossier may be gone already (a cascade deleting it), whose own signal then counted.
    days = [d for d in (instance.started_date, *getattr(instance, "_stats_before", [])) if d]
    unit_id = (
        apps.get_model("dossiers", "Dossier")
        .objects.filter(pk=instance.dossier_id)
        .values_list("unit_id", flat=True)
        .first()
    )
    if unit_id is not None:
        dossiers_changed([unit_id], min(days) if days else None)


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
    a writer that races it raises it all the same (dossiers_changed)."""
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
