"""Background work of the statistics: counting the usual periods ahead of time (Django's tasks
framework, run by the database worker `cchc db_worker`), after every import of dossiers (from
the command line, the API or its queued jobs alike) and on demand."""

from __future__ import annotations

import datetime as dt

from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from cchc.dossiers.journal import dossiers_imported
from cchc.org.models import Unit

from . import cache
from .periods import cutoff_day_for, reporting_month, reporting_period
from .selectors import period_statistics


def usual_periods(today: dt.date, cutoff: int, months: int) -> list[tuple[dt.date, dt.date]]:
    """The reporting months up to today's (the trends' twelve and the one running), and the
    quarters, 6 and 9 months and years of this year and the last, each cut at today as the
    pages cut a running period."""
    periods = []
    year, month = reporting_month(today, cutoff)
    for _i in range(months):
        periods.append(reporting_period("month", year, month, cutoff))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    this_year = reporting_month(today, cutoff)[0]
    for year in (this_year - 1, this_year):
        periods += [reporting_period("quarter", year, q, cutoff) for q in range(1, 5)]
        periods += [reporting_period(kind, year, 1, cutoff) for kind in ("half", "nine_months")]
        periods.append(reporting_period("year", year, 1, cutoff))
    spans = {(p.start, min(p.end, today)) for p in periods if p.start <= today}
    return sorted(spans)


def warm_tree(root: Unit, today: dt.date, months: int = 13) -> int:
    """Count and store the usual periods of `root`'s subtree; the number of periods."""
    # Every unit with a stamp first, so that the first count is stored whole.
    cache.stamps_of(list(Unit.objects.subtree_of(root).values_list("pk", flat=True)))
    periods = usual_periods(today, cutoff_day_for(root), months)
    for start, end in periods:
        period_statistics(root, start, end)
    return len(periods)


@task()
def warm_stored_counts(unit_code: str | None = None, day: str | None = None) -> dict[str, int]:
    """The usual periods of one tree (`unit_code`) or of every root unit, up to `day` (an ISO
    date: task arguments are JSON; today in Vietnam when omitted)."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    roots = Unit.objects.filter(code=unit_code) if unit_code else Unit.objects.filter(parent=None)
    return {root.code: warm_tree(root, today) for root in roots.order_by("code")}


@receiver(dossiers_imported)
def _count_again_after_import(sender, **kwargs) -> None:
    # The usual periods of every tree counted again in the background, so that the next look
    # at a province's report reads stored counts.
    warm_stored_counts.enqueue()
