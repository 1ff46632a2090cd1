"""The system figures a form row may name as its `source`, read for one unit and period.

Keys (exchange-format.md §2 for the dossier ones):
- `dossiers.<count>`: a count of the period statistics, e.g. `dossiers.resolved`,
  `dossiers.resolved_in_time`, `dossiers.online`, `dossiers.online_eligible`;
- `online.<partial|full>.<key>`: online services, e.g. `online.full.procedures`;
- `catalog.procedures`, `catalog.with_fee`, `catalog.interconnected`: active procedures of the
  catalogues available to the unit (the shared one, its province's, its own);
- `units.count`: units active at the period's end;
- `plan.tasks`, `plan.done`, `plan.<central|province|above>.<assigned|done_on_time|done_late|
  overdue>`: the unit's reform plan of the period's year, as it stood at the period's end.

A scope says whose figures: `all` (default: the unit's whole subtree) or `level:<name>` (the
units of that level in the subtree, e.g. `level:commune`). A level the subtree does not have
gives no figure (None): a commune reports no district-level dossiers. Plan figures are the
unit's own and take no scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.catalog.models import Procedure
from cchc.org.models import Unit
from cchc.stats.selectors import COUNT_KEYS, ONLINE_SERVICE_KEYS, period_statistics

from .constants import ASSIGNER_GROUPS
from .plan_progress import plan_task_counts

PLAN_COUNTS = ("assigned", "done_on_time", "done_late", "overdue")
ONLINE_LEVELS = ("partial", "full")
CATALOG_KEYS = ("procedures", "with_fee", "interconnected")


class SourceError(ValueError):
    pass


def known_source(key: str) -> bool:
    parts = key.split(".")
    match parts:
        case ["dossiers", count]:
            return count in COUNT_KEYS
        case ["online", level, count]:
            return level in ONLINE_LEVELS and count in ONLINE_SERVICE_KEYS
        case ["catalog", count]:
            return count in CATALOG_KEYS
        case ["units", "count"]:
            return True
        case ["plan", "tasks" | "done"]:
            return True
        case ["plan", group, count]:
            return group in ASSIGNER_GROUPS and count in PLAN_COUNTS
    return False


def check_source(key: str, scope: str) -> None:
    """Raise SourceError unless `key` and `scope` name a figure this module can read."""
    if not known_source(key):
        raise SourceError(_("Nguồn số liệu không tồn tại: %(key)s") % {"key": key})
    if key.startswith("plan."):
        if scope:
            raise SourceError(_("Nguồn %(key)s không có phạm vi.") % {"key": key})
        return
    if scope not in ("", "all") and not (scope.startswith("level:") and scope[6:]):
        raise SourceError(
            _("Phạm vi không hợp lệ: %(scope)s (dùng 'all' hoặc 'level:<cấp>').") % {"scope": scope}
        )


class Figures:
    """The system figures of one unit and period; each family is read once, when first asked."""

    def __init__(self, unit: Unit, start: dt.date, end: dt.date) -> None:
        self.unit, self.start, self.end = unit, start, end

    def get(self, key: str, scope: str = "") -> Decimal | None:
        check_source(key, scope)
        level = scope[6:] if scope.startswith("level:") else None
        if level is not None and level not in self.levels:
            return None
        family, _sep, rest = key.partition(".")
        value = getattr(self, f"_{family}")(rest, level)
        return None if value is None else Decimal(value)

    @cached_property
    def stats(self) -> dict:
        return period_statistics(self.unit, self.start, self.end)

    @cached_property
    def levels(self) -> set[str]:
        return set(self._units_at_end().values_list("level__name", flat=True).distinct())

    def _units_at_end(self):
        return Unit.objects.subtree_of(self.unit).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=self.end)
        )

    def _dossiers(self, count: str, level: str | None) -> int | None:
        block = self.stats["dossiers"]
        counts = block["all"] if level is None else block["by_level"].get(level)
        return None if counts is None else counts[count]

    def _online(self, rest: str, level: str | None) -> int | None:
        online_level, count = rest.split(".")
        block = self.stats["online_services"]
        if level is not None:
            block = block["by_level"].get(level)
        return None if block is None else block[online_level][count]

    def _catalog(self, count: str, level: str | None) -> int:
        qs = Procedure.objects.available_to(self.unit).filter(
            active=True, level__in=[level] if level else self.levels
        )
        if count == "with_fee":
            qs = qs.filter(fee__gt=0)
        elif count == "interconnected":
            qs = qs.filter(interconnected=True)
        return qs.count()

    def _units(self, _count: str, level: str | None) -> int:
        qs = self._units_at_end()
        return (qs.filter(level__name=level) if level else qs).count()

    @cached_property
    def plan_counts(self) -> dict[str, int] | None:
        return plan_task_counts(self.unit, self.end.year, self.end)

    def _plan(self, rest: str, _level: str | None) -> int | None:
        counts = self.plan_counts
        return None if counts is None else counts[rest]
