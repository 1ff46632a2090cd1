"""The dossiers behind a figure of the statistics page (drill-down).

A list is filtered by the very conditions that count its figure (cchc.stats.selectors:
dossiers_in_scope, annotate_state_at on the period's end, count_conditions), so the list and
the figure cannot disagree. The figures a table derives from the counts (pending, partly
digitised, result not digitised...) are unions or differences of those conditions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED, OnlineLevel
from cchc.catalog.models import Field
from cchc.dossiers.models import Dossier
from cchc.org.models import Unit
from cchc.stats import cache
from cchc.stats.selectors import (
    KEYS,
    annotate_state_at,
    count_conditions,
    dossiers_in_scope,
    subtree_identity,
    subtree_rows,
)

DERIVED: dict[str, Callable[[dict[str, Q]], Q]] = {
    "pending": lambda c: c["pending_not_due"] | c["pending_overdue"],
    "resolved_in_time": lambda c: c["early"] | c["on_time"],
    "input_partial": lambda c: c["input_any"] & ~c["input_full"],
    "input_none": lambda c: c["received_in_period"] & ~c["input_any"],
    "result_not_digitized": lambda c: c["resolved"] & ~c["result_digitized"],
}

# The same figures as sums of the counts, as the statistics add them up.
DERIVED_SUMS: dict[str, Callable[[dict[str, int]], int]] = {
    "pending": lambda c: c["pending_not_due"] + c["pending_overdue"],
    "resolved_in_time": lambda c: c["early"] + c["on_time"],
    "input_partial": lambda c: c["input_any"] - c["input_full"],
    "input_none": lambda c: c["received_in_period"] - c["input_any"],
    "result_not_digitized": lambda c: c["resolved"] - c["result_digitized"],
}

# What the dossiers of each count are, as a list's title says it.
COUNT_LABELS = {
    "received_total": _("Hồ sơ tiếp nhận (tổng số)"),
    "carried_over": _("Hồ sơ kỳ trước chuyển sang"),
    "received_in_period": _("Hồ sơ tiếp nhận trong kỳ"),
    "online": _("Hồ sơ tiếp nhận trực tuyến"),
    "direct_postal": _("Hồ sơ tiếp nhận trực tiếp, qua bưu chính"),
    "online_eligible": _("Hồ sơ của TTHC có cung cấp trực tuyến"),
    "resolved": _("Hồ sơ đã giải quyết"),
    "early": _("Hồ sơ giải quyết trước hạn"),
    "on_time": _("Hồ sơ giải quyết đúng hạn"),
    "late": _("Hồ sơ giải quyết quá hạn"),
    "resolved_in_time": _("Hồ sơ giải quyết trước hạn và đúng hạn"),
    "rejected": _("Hồ sơ từ chối, trả lại"),
    "withdrawn": _("Hồ sơ rút, hủy"),
    "pending": _("Hồ sơ đang giải quyết"),
    "pending_not_due": _("Hồ sơ đang giải quyết, chưa đến hạn"),
    "pending_overdue": _("Hồ sơ đang giải quyết, đã quá hạn"),
    "paused": _("Hồ sơ tạm dừng, chờ bổ sung"),
    "input_any": _("Hồ sơ có số hóa thành phần khi tiếp nhận"),
    "input_full": _("Hồ sơ số hóa toàn bộ thành phần khi tiếp nhận"),
    "input_partial": _("Hồ sơ số hóa một phần thành phần khi tiếp nhận"),
    "input_none": _("Hồ sơ chưa số hóa thành phần khi tiếp nhận"),
    "result_digitized": _("Hồ sơ đã số hóa kết quả"),
    "result_not_digitized": _("Hồ sơ đã giải quyết, chưa số hóa kết quả"),
    "with_fee": _("Hồ sơ đã giải quyết có phí, lệ phí"),
    "paid_online": _("Hồ sơ thanh toán phí, lệ phí trực tuyến"),
    "rated": _("Hồ sơ được đánh giá mức độ hài lòng khi trả kết quả"),
    "satisfied": _("Hồ sơ người nộp đánh giá hài lòng"),
    "normal": _("Hồ sơ người nộp đánh giá bình thường"),
    "not_satisfied": _("Hồ sơ người nộp đánh giá không hài lòng"),
}


def all_conditions(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The condition of every count of the period and of every figure derived from them,
    over a queryset of dossiers_in_scope annotated by annotate_state_at(end)."""
    conditions = count_conditions(start, end)
    return {**conditions, **{key: derive(conditions) for key, derive in DERIVED.items()}}


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
    summary = cache.read_summary(unit, start, end, *subtree_identity(rows))
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
    return DERIVED_SUMS[count](counts) if count in DERIVED_SUMS else counts[count]


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
