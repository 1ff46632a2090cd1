"""Reading the reform office's data: report values, who has reported, the plan's rows and history
(the plan's task counts are plan_progress.py)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.stats.selectors import period_statistics

from .compute import apply_formulas, rollup_values
from .constants import AREA_ORDER, ReportStatus, TaskStatus, Timeliness
from .expressions import RowKey
from .models import (
    NOT_REPORTED,
    Form,
    FormReport,
    FormRow,
    FormSet,
    FormValue,
    PlanTask,
)
from .plan_columns import deadline_cell
from .plan_progress import plan_task_counts
from .schema import load_schema
from .validation import Violation, check_values

DEFAULT_DEADLINE_DAY = 20


def report_values(report: FormReport) -> dict[RowKey, Decimal | None]:
    """The report's numbers by (form number, row code), as stored (never recomputed)."""
    return values_of_reports([report])[report.pk]


def values_of_reports(reports: list[FormReport]) -> dict[int, dict[RowKey, Decimal | None]]:
    """The stored numbers of several reports in one query, by report id."""
    out: dict[int, dict[RowKey, Decimal | None]] = {report.pk: {} for report in reports}
    rows = FormValue.objects.filter(report__in=reports, number__isnull=False).values_list(
        "report_id", "row__form__number", "row__code", "number", "places"
    )
    for report_id, form, code, number, places in rows:
        out[report_id][(form, code)] = number.quantize(Decimal(1).scaleb(-places))
    return out


def preview_values(
    report: FormReport, manual: dict[RowKey, Decimal | None]
) -> tuple[dict[RowKey, Decimal | None], list[Violation]]:
    """What the report's values and violations would be with `manual` typed in, without saving
    anything (for checking a data-entry form as it is filled in). System figures are those of
    the report's last refresh; rows that are not manual are ignored in `manual`."""
    schema = load_schema(report.form_set)
    values = report_values(report)
    for key, value in manual.items():
        row = schema.rows.get(key)
        if row is not None and row.numeric and not row.computed:
            values[key] = value
    apply_formulas(schema, values, report.unit.level.name)
    return values, check_values(schema, values)


def form_set_for(day: dt.date) -> FormSet | None:
    """The form set in force on `day`: the newest active set of that year or, failing that,
    of the latest year before it."""
    return (
        FormSet.objects.filter(active=True, year__lte=day.year)
        .order_by("-year", "-version")
        .first()
    )


def latest_reports(
    units: QuerySet[Unit] | list[Unit], form_set: FormSet, start: dt.date, end: dt.date
) -> dict[int, FormReport]:
    """Each unit's latest sent version (submitted or approved) for the period, by unit id."""
    qs = (
        FormReport.objects.filter(
            unit__in=units,
            form_set=form_set,
            period_start=start,
            period_end=end,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        )
        .select_related("unit")
        .order_by("unit_id", "-version")
    )
    latest: dict[int, FormReport] = {}
    for report in qs:
        latest.setdefault(report.unit_id, report)
    return latest


@dataclass(frozen=True)
class RollUp:
    values: dict[RowKey, Decimal | None]
    reports: dict[int, FormReport]  # the version rolled up, by unit id
    missing: list[Unit]  # units under the parent that have sent nothing


def rolled_up(parent: Unit, form_set: FormSet, start: dt.date, end: dt.date) -> RollUp:
    """The forms of the units directly under `parent` (their latest sent versions) as one:
    counts summed, rates recomputed from the sums (tổng hợp số liệu của cấp dưới)."""
    children = list(_children_at(parent, end))
    latest = latest_reports(children, form_set, start, end)
    values = values_of_reports(list(latest.values()))
    schema = load_schema(form_set)
    summed = rollup_values(schema, (values[r.pk] for r in latest.values()), parent.level.name)
    missing = [unit for unit in children if unit.pk not in latest]
    return RollUp(summed, latest, missing)


def _children_at(parent: Unit, end: dt.date) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(parent=parent)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
        .select_related("level")
        .order_by("path")
    )


def submission_deadline(end: dt.date) -> dt.date:
    """Reports are due by the CCHC_REPORT_DEADLINE_DAY (default 20th, BNV 581/BNV-CCHC) of the
    period's last month; the period ends at the cut-off (14th), so that month is the end's."""
    day = getattr(settings, "CCHC_REPORT_DEADLINE_DAY", DEFAULT_DEADLINE_DAY)
    last_day = calendar.monthrange(end.year, end.month)[1]
    return max(end, end.replace(day=min(day, last_day)))


@dataclass(frozen=True)
class Submission:
    unit: Unit
    report: FormReport | None  # the latest sent version, if any
    first_submitted_at: dt.datetime | None
    timeliness: str
    deadline: dt.date


def submissions(parent: Unit, form_set: FormSet, start: dt.date, end: dt.date) -> list[Submission]:
    """Completeness and timeliness: for each active unit directly under `parent`, whether it has
    sent its forms for the period, and whether the first sending was by the deadline (a later
    corrected version does not make a late report on time, nor an on-time one late)."""
    deadline = submission_deadline(end)
    children = list(_children_at(parent, end))
    latest = latest_reports(children, form_set, start, end)
    first_sent = dict(
        FormReport.objects.filter(
            unit__in=children,
            form_set=form_set,
            period_start=start,
            period_end=end,
            submitted_at__isnull=False,
        )
        .order_by()
        .values("unit_id")
        .annotate(first=Min("submitted_at"))
        .values_list("unit_id", "first")
    )
    out = []
    for unit in children:
        first = first_sent.get(unit.pk)
        if first is None:
            timeliness = Timeliness.NOT_SUBMITTED
        elif timezone.localdate(first) <= deadline:
            timeliness = Timeliness.ON_TIME
        else:
            timeliness = Timeliness.LATE
        out.append(Submission(unit, latest.get(unit.pk), first, timeliness, deadline))
    return out


def plan_rows(unit: Unit, year: int) -> list[dict]:
    """The plan's tasks as the progress table of seed 002's appendix shows them, in area order
    (plain values, so that a sent report can keep them as they were)."""
    tasks = PlanTask.objects.filter(plan__unit=unit, plan__year=year).order_by("order", "pk")
    order = {area: i for i, area in enumerate(AREA_ORDER)}
    rows = [
        {
            "area": task.area,
            "content": task.content,
            "responsible": task.responsible,
            "coordinating": task.coordinating,
            "deadline": deadline_cell(task),
            "status": task.status,
            "status_text": task.status_text or str(TaskStatus(task.status).label),
            "output": task.output,
            "percent_done": None if task.percent_done is None else str(task.percent_done),
            "assigned_from": task.assigned_from,
        }
        for task in tasks
    ]
    return sorted(rows, key=lambda row: order.get(row["area"], len(order)))


def document_figures(report: FormReport) -> dict:
    """What the written report is made from besides the form values: the period statistics of
    the unit's subtree, the plan's tasks and their counts at the period's end."""
    year = report.period_end.year
    return {
        "statistics": period_statistics(report.unit, report.period_start, report.period_end),
        "plan": {
            "year": year,
            "tasks": plan_rows(report.unit, year),
            "counts": plan_task_counts(report.unit, year, report.period_end),
        },
    }


@dataclass(frozen=True)
class SheetLine:
    row: FormRow
    value: FormValue | None
    reported: bool  # the unit's level reports this row

    @property
    def key(self) -> RowKey:
        return (self.row.form.number, self.row.code)


@dataclass(frozen=True)
class Sheet:
    form: Form
    lines: list[SheetLine]


def report_sheets(report: FormReport) -> list[Sheet]:
    """The report's forms as printed: every row of each form with its stored value (two
    queries), for the data-entry page and the documents."""
    values = {value.row_id: value for value in FormValue.objects.filter(report=report)}
    return form_sheets(report.form_set_id, report.unit.level.name, values)


def form_sheets(form_set_id: int, level: str, values: dict[int, FormValue]) -> list[Sheet]:
    """Every row of each form of a set, with `values` by row id, as a unit of `level` sees them."""
    sheets: dict[int, Sheet] = {}
    rows = FormRow.objects.filter(form__form_set_id=form_set_id).select_related("form")
    for row in rows.order_by("form__number", "order"):
        sheet = sheets.setdefault(row.form_id, Sheet(row.form, []))
        reported = row.reported_by.strip() != NOT_REPORTED and row.is_reported_by(level)
        sheet.lines.append(SheetLine(row, values.get(row.pk), reported))
    return list(sheets.values())


def task_history(task: PlanTask) -> list[dict]:
    """The task's changes, latest first, for its page: who, when, each field's label with its
    old and new value as shown (choices by label, dates dd/mm/yyyy)."""
    rows = []
    for change in task.history.select_related("actor").order_by("-at", "-pk"):
        fields = []
        for name, (old, new) in change.changes.items():
            try:
                field = PlanTask._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # a field since removed
            fields.append((field.verbose_name, _shown(field, old), _shown(field, new)))
        rows.append({"change": change, "fields": fields})
    return rows


def _shown(field, text: str) -> str:
    if text == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return str(_("Có") if text == "1" else _("Không"))
    if isinstance(field, models.DateField):
        return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
    return text
