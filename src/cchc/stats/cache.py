"""Stored period counts per unit: exact, never stale, and cheap to keep.

A province's report over a year reads a third of a million dossiers; the same report asked
again (another user, the XLSX after the page, tomorrow's look at last quarter) would read them
again. Instead the counts of each unit of the subtree are kept per period (PeriodCounts) and
summed on the next request. A unit's stored counts are used only while its *stamp* is the one
they were computed under:

- every write to a unit's dossiers raises the unit's stamp (`dossiers_changed`): the one-stop
  services in the transaction of the change, the CSV import with each batch it stores, and
  any other save or delete of a dossier or a pause through the ORM by the signals below;
- a reader reads the stamps *before* it counts the dossiers and stores the counts under those
  stamps; a change that lands while it counts has raised the stamp by then, so what it stored
  is already out of date and is never used.

So a stored row is either exact or ignored; there is nothing to expire. Counts that the cache
cannot vouch for (a unit with no stamp row yet) are computed and not stored. Only the units
whose dossiers changed since are counted again, so a province's page after a busy morning reads
the dossiers of the communes that worked, not all of them. `cchc warm_stats` computes the
usual periods ahead of time (after an import, or nightly from cron).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import PeriodCounts, StatsStamp, SubtreeCounts

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


def dossiers_changed(unit_ids: Iterable[int | None]) -> None:
    """Record that dossiers received by these units changed: their stored counts are void.

    Call it in the transaction that writes the dossiers (or after it commits: either way no
    count read before the change is used after it). One UPDATE when the stamps exist."""
    ids = sorted({pk for pk in unit_ids if pk is not None})
    with transaction.atomic():
        _raise(ids)


def _raise(ids: list[int]) -> None:
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
        if raised == len(chunk):
            continue
        have = set(StatsStamp.objects.filter(unit_id__in=chunk).values_list("unit_id", flat=True))
        new = [pk for pk in chunk if pk not in have]
        # Created at 0 and raised, as if they had existed: a row that a concurrent writer
        # created first is raised all the same.
        StatsStamp.objects.bulk_create(
            [StatsStamp(unit_id=pk, value=0) for pk in new], ignore_conflicts=True
        )
        StatsStamp.objects.filter(unit_id__in=new).update(value=F("value") + 1)


@receiver(pre_save, sender="dossiers.Dossier")
def _dossier_about_to_be_written(sender, instance, **kwargs) -> None:
    # A dossier moved to another unit (an admin's correction) changes the counts of both.
    if not instance._state.adding and instance.pk is not None:
        instance._stats_units_before = list(
            sender.objects.filter(pk=instance.pk).values_list("unit_id", flat=True)
        )


@receiver(post_save, sender="dossiers.Dossier")
@receiver(post_delete, sender="dossiers.Dossier")
def _dossier_written(sender, instance, **kwargs) -> None:
    dossiers_changed([instance.unit_id, *getattr(instance, "_stats_units_before", ())])


@receiver(post_save, sender="dossiers.DossierPause")
@receiver(post_delete, sender="dossiers.DossierPause")
def _pause_written(sender, instance, **kwargs) -> None:
    # The pause's dossier may be gone already (a cascade deleting it): the dossier's own
    # signal has then raised the stamp.
    StatsStamp.objects.filter(unit__dossiers__pk=instance.dossier_id).update(value=F("value") + 1)


# --- Readers ------------------------------------------------------------------------------------


def read(
    unit_ids: list[int], start: dt.date, end: dt.date, layout: str, *, whole_tree: bool
) -> dict[int, UnitCounts]:
    """The stored counts of these units that are still exact."""
    rows = PeriodCounts.objects.filter(
        start=start, end=end, layout=layout, stamp=F("unit__stats_stamp__value")
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
    """A subtree's identity at this moment: its units (id, code, level...) and their stamps.
    Stamps only ever grow, so the same signature means no dossier of the subtree changed."""
    digest = hashlib.sha1(layout.encode())
    for row in units:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def read_summary(unit, start: dt.date, end: dt.date, signature: str) -> Summary | None:
    data = (
        SubtreeCounts.objects.filter(unit=unit, start=start, end=end, signature=signature)
        .values_list("data", flat=True)
        .first()
    )
    return None if data is None else Summary.from_json(data)


def read_summaries(
    unit, periods: list[tuple[dt.date, dt.date]], signature: str
) -> dict[tuple[dt.date, dt.date], Summary]:
    """The stored counts of several periods of one subtree, in one query."""
    if not periods:
        return {}
    spans = Q()
    for start, end in periods:
        spans |= Q(start=start, end=end)
    rows = SubtreeCounts.objects.filter(spans, unit=unit, signature=signature)
    return {
        (start, end): Summary.from_json(data)
        for start, end, data in rows.values_list("start", "end", "data")
    }


def store_summary(unit, start: dt.date, end: dt.date, signature: str, summary: Summary) -> None:
    try:
        with transaction.atomic():
            SubtreeCounts.objects.update_or_create(
                unit=unit,
                start=start,
                end=end,
                defaults={"signature": signature, "data": summary.as_json()},
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
