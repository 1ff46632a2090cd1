"""The dossiers' change journal: what keeps the stored period counts exact (cchc.stats.cache).

Each unit has a *stamp* (StatsStamp): every write to the unit's dossiers raises it and records
from which day on the change can alter the counts (StatsChange). The writers are here, in the
app that changes the dossiers: its services in the transaction of the change (the action's
day, or the dossier's end where the change reaches back), its CSV import with each batch (the
first receipt), and any other save or delete of a dossier or a pause through the ORM by the
signals below (the dossier's receipt, the pause's start). The statistics only read them.

An import that stored dossiers also sends `dossiers_imported` once it is committed, whatever
started it (the command line, the API, the task worker): the statistics count the usual periods
again then (cchc.stats.tasks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import Dossier, DossierPause, StatsChange, StatsStamp

BATCH = 500

# Sent on commit of an import that stored dossiers, with `report` (its ImportReport).
dossiers_imported = Signal()


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


def tell_imported(report) -> None:
    """Tell, once the import's transaction is committed, that it stored dossiers."""
    if report.imported:
        transaction.on_commit(lambda: dossiers_imported.send(sender=Dossier, report=report))


@receiver(pre_save, sender=Dossier)
def _dossier_about_to_be_written(sender, instance, **kwargs) -> None:
    # What the dossier was: a save may move it to another unit (an admin's correction) or
    # change its received date, and the periods of both are to be counted again.
    if not instance._state.adding and instance.pk is not None:
        instance._stats_before = list(
            sender.objects.filter(pk=instance.pk).values_list("unit_id", "received_date")
        )


@receiver(post_save, sender=Dossier)
@receiver(post_delete, sender=Dossier)
def _dossier_written(sender, instance, **kwargs) -> None:
    # Any field may have changed: every period from the dossier's receipt on.
    before = getattr(instance, "_stats_before", [])
    dossiers_changed_from([(instance.unit_id, instance.received_date), *before])


@receiver(pre_save, sender=DossierPause)
def _pause_about_to_be_written(sender, instance, **kwargs) -> None:
    if not instance._state.adding and instance.pk is not None:
        instance._stats_before = list(
            sender.objects.filter(pk=instance.pk).values_list("started_date", flat=True)
        )


@receiver(post_save, sender=DossierPause)
@receiver(post_delete, sender=DossierPause)
def _pause_written(sender, instance, **kwargs) -> None:
    # A pause alters the days from its start on (paused, then the due date it moved); the
    # dossier may be gone already (a cascade deleting it), whose own signal then counted.
    days = [d for d in (instance.started_date, *getattr(instance, "_stats_before", [])) if d]
    unit_id = (
        Dossier.objects.filter(pk=instance.dossier_id).values_list("unit_id", flat=True).first()
    )
    if unit_id is not None:
        dossiers_changed([unit_id], min(days) if days else None)
