"""The dossiers behind a figure of the statistics page (drill-down).

A list is filtered by the very conditions that count its figure (cchc.stats.counting:
dossiers_in_scope, annotate_state_at on the period's end, count_conditions), so the list and
the figure cannot disagree. The figures derived from the counts (pending, partly digitised,
result not digitised...) are unions or differences of those conditions, as the catalogue of
figures (cchc.stats.figures) declares them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED, OnlineLevel
from cchc.catalog.models import Field
from cchc.dossiers.models import Dossier
from cchc.org.models import Unit
from cchc.stats.counting import KEYS, annotate_state_at, dossiers_in_scope, subtree_rows
from cchc.stats.figures import DOSSIER_FIGURES, condition_of, count_conditions, drillable
from cchc.stats.read_through import stored_summary

# What the dossiers of each figure are, as a list's title says it: every figure of the
# catalogue that is dossiers (all but the rates).
COUNT_LABELS = {figure.key: figure.label for figure in drillable()}


def all_conditions(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The condition of every count of the period and of every figure derived from them,
    over a queryset of dossiers_in_scope annotated by annotate_state_at(end)."""
    conditions = count_conditions(start, end)
    return {key: condition_of(key, conditions) for key in COUNT_LABELS}


@dataclass(frozen=True)
class Part:
    """Which of a unit's dossiers a row of a table counts: all of its subtree, those of one
    field, one level of the tree, one online level, or those of its own one-stop shop."""

    field: str = ""
    level: str = ""
    online_level: str = ""
    own: bool = False

    def filter(self, qs: QuerySet[Dossier], unit: Unit) -> QuerySet[Dossier]:
        if self.own:
            qs = qs.filter(unit=unit)
        if self.field:
            # By id: the planner knows how many dossiers each field id has (a few fields
            # hold most of them), not how many a field's name has.
            field_id = Field.objects.filter(name=self.field).values_list("pk", flat=True).first()
            qs = qs.filter(field_id=field_id) if field_id else qs.none()
        if self.level:
            qs = qs.filter(unit__level__name=self.level)
        if self.online_level:
            qs = qs.filter(online_level=self.online_level)
        return qs


def dossiers_behind(
    unit: Unit, start: dt.date, end: dt.date, count: str, part: Part = Part()
) -> QuerySet[Dossier]:
    """The dossiers that make up figure `count` of `part` of `unit`'s subtree in [start, end]."""
    condition = all_conditions(start, end)[count]
    qs = annotate_state_at(dossiers_in_scope(unit, start, end), end).filter(condition)
    return part.filter(qs, unit)


def stored_count(unit: Unit, start: dt.date, end: dt.date, count: str, part: Part) -> int | None:
    """How many dossiers dossiers_behind gives, read from the subtree's stored counts when they
    are stored and still exact (cchc.stats.cache), without counting the dossiers again; None
    when they are not, or for a part they do not break down (the database counts then)."""
    if part.online_level or sum(map(bool, (part.field, part.level, part.own))) > 1:
        return None
    rows = subtree_rows(unit)
    summary = stored_summary(unit, start, end, rows)
    if summary is None:
        return None
    zero = [0] * len(KEYS)
    if part.own:
        vectors = [summary.units.get(unit.pk, zero)]
    elif part.level:
        vectors = [
            summary.units.get(pk, zero) for pk, _c, level, *_rest in rows if level == part.level
        ]
    elif part.field:
        field_id = Field.objects.filter(name=part.field).values_list("pk", flat=True).first()
        vectors = [summary.fields.get(field_id, zero)] if field_id else []
    else:
        vectors = list(summary.units.values())
    counts = dict(zip(KEYS, map(sum, zip(zero, *vectors, strict=True)), strict=True))
    return DOSSIER_FIGURES.complete(counts)[count]


class DrillDownForm(forms.Form):
    """The figure a drill-down link names; anything else is a link that does not exist."""

    count = forms.ChoiceField(choices=list(COUNT_LABELS.items()))
    field = forms.CharField(max_length=255, required=False)
    level = forms.SlugField(max_length=32, required=False)
    online_level = forms.ChoiceField(
        choices=[("", "")] + [(lvl.value, lvl.label) for lvl in ONLINE_LEVELS_OFFERED],
        required=False,
    )
    own = forms.BooleanField(required=False)

    @property
    def part(self) -> Part:
        data = self.cleaned_data
        return Part(data["field"], data["level"], data["online_level"], data["own"])

    @property
    def title(self) -> str:
        return str(COUNT_LABELS[self.cleaned_data["count"]])

    @property
    def online_level_label(self) -> str:
        value = self.cleaned_data["online_level"]
        return str(OnlineLevel(value).label) if value else ""
