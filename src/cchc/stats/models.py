"""Stored period counts, so that a province's report does not read every dossier again.

The counts of a period are a pure function of the dossiers: the same unit and days give the
same figures until one of the unit's dossiers changes. So the grouped counts of one unit and
period (per field, and its online-service rows) are kept with the unit's *stamp*, a counter
that every change to the unit's dossiers raises in the same transaction (the dossiers' change
journal, cchc.dossiers.journal). A stored row counts only while its stamp is the unit's current
one; anything else is computed again from the dossiers. See cchc.stats.cache for the whole
contract.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.org.models import Unit


class StoredPeriod(models.Model):
    """Counts kept for one unit and one period [start, end] (one row each)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "unit"], name="%(class)s_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}..{self.end}"


class PeriodCounts(StoredPeriod):
    """The counts of the dossiers received by one unit (not its subtree) over [start, end]."""

    # The unit's StatsStamp.value when the counts were read, and the layout of the vectors
    # (the names of the counts, in order): a row under another stamp or layout is not used.
    stamp = models.PositiveBigIntegerField()
    layout = models.CharField(max_length=40)
    # The unit's counts summed over its fields, then per field id ("" for no field), each a
    # list in the layout's order; and its online-service rows
    # {online level: [dossiers, online dossiers, procedure ids with dossiers, with online]}.
    total = models.JSONField()
    by_field = models.JSONField()
    online = models.JSONField()

    class Meta(StoredPeriod.Meta):
        verbose_name = _("số liệu kỳ đã tính")
        verbose_name_plural = _("số liệu kỳ đã tính")


class SubtreeCounts(StoredPeriod):
    """The counts of `unit`'s whole subtree over [start, end] (cchc.stats.cache.Summary), good
    while the subtree has the same units and none of them changed since in a way that alters
    a day up to `end` (cchc.stats.cache.read_summary)."""

    # The subtree's shape (cchc.stats.cache.signature_of), and its units' stamps when counted.
    signature = models.CharField(max_length=40)
    stamps = models.JSONField(default=dict)
    data = models.JSONField()

    class Meta(StoredPeriod.Meta):
        verbose_name = _("số liệu kỳ của cây đơn vị đã tính")
        verbose_name_plural = _("số liệu kỳ của cây đơn vị đã tính")
