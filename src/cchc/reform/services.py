"""Changing the reform office's data: reports of the statistical forms (create, enter, refresh,
submit, approve, return, revise) and the yearly plan (tasks, completion, evidence).

A report's state machine is the table TRANSITIONS: draft → submitted → approved, or → returned
with a comment; a returned or approved report is corrected by a new version (revise), never
edited. Every action locks the report, checks the table and who may act (`_require`), writes
the history event and saves, atomically. A submitted report is frozen: its values were copied
into it and are never recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cchc.limits import decimal_limit
from cchc.org.constants import Role
from cchc.org.models import Unit

from .compute import compute_values
from .constants import (
    ReportAction,
    ReportStatus,
    TaskChangeAction,
    TaskStatus,
    ValueSource,
    ValueType,
)
from .expressions import RowKey
from .models import (
    TASK_FIELDS,
    FormReport,
    FormSet,
    FormValue,
    PlanTask,
    PlanTaskChange,
    ReformPlan,
    ReportEvent,
    ReportSnapshot,
    TaskEvidence,
)
from .schema import Schema, load_schema
from .selectors import document_figures, report_values
from .validation import Violation, check_values

S = ReportStatus
OWN, ABOVE = "own", "above"
MAX_PLACES = 4  # FormValue.number keeps 4 decimals
# A value's absolute value stays under this (FormValue.number: 20 digits, 4 of them decimals).
NUMBER_LIMIT = decimal_limit(FormValue, "number")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    who: str  # OWN: people of the report's unit; ABOVE: people of the unit directly above
    roles: frozenset[str]


_OFFICERS = frozenset({Role.REFORM_OFFICER, Role.ADMIN})
_SIGNERS = frozenset({Role.REFORM_OFFICER, Role.LEADER, Role.ADMIN})

TRANSITIONS: dict[str, Transition] = {
    ReportAction.ENTER: Transition(frozenset({S.DRAFT}), None, OWN, _OFFICERS),
    ReportAction.REFRESH: Transition(frozenset({S.DRAFT}), None, OWN, _OFFICERS),
    ReportAction.SUBMIT: Transition(frozenset({S.DRAFT}), S.SUBMITTED, OWN, _SIGNERS),
    ReportAction.APPROVE: Transition(frozenset({S.SUBMITTED}), S.APPROVED, ABOVE, _SIGNERS),
    ReportAction.RETURN: Transition(frozenset({S.SUBMITTED}), S.RETURNED, ABOVE, _SIGNERS),
    ReportAction.REVISE: Transition(frozenset({S.RETURNED, S.APPROVED}), None, OWN, _OFFICERS),
}


class ReportError(ValueError):
    """An action refused (a report's state, a bad value, a plan that exists already...);
    `code` is for machines (the API), the text for people."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


class ReportInvalid(ReportError):
    """The report breaks validation rules that block submission."""

    def __init__(self, violations: list[Violation]) -> None:
        lines = "\n".join(str(v) for v in violations)
        super().__init__(
            _("Báo cáo còn số liệu mâu thuẫn:\n%(lines)s") % {"lines": lines}, "invalid_values"
        )
        self.violations = violations


def may_act(user, report: FormReport, action: str) -> bool:
    transition = TRANSITIONS[action]
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in transition.roles or user.unit_id is None:
        return False
    if transition.who == OWN:
        return user.unit_id == report.unit_id
    return report.unit.parent_id is not None and user.unit_id == report.unit.parent_id


def allowed_actions(user, report: FormReport) -> list[str]:
    """The actions `user` may take on `report` now (the buttons a page offers)."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if report.status in transition.sources and may_act(user, report, action)
    ]


def _require(user, report: FormReport, action: str) -> Transition:
    transition = TRANSITIONS[action]
    if not may_act(user, report, action):
        raise PermissionDenied(
            _("Bạn không có quyền %(action)s của %(unit)s.")
            % {"action": ReportAction(action).label.lower(), "unit": report.unit.name}
        )
    if report.status not in transition.sources:
        raise ReportError(
            _("Không thể %(action)s khi báo cáo ở trạng thái “%(status)s”.")
            % {"action": ReportAction(action).label.lower(), "status": S(report.status).label},
            "wrong_status",
        )
    return transition


def _event(report, action, user, at, *, before: str, comment: str = "", **details) -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=before,
        to_status=report.status,
        actor=user if user is not None and user.is_authenticated else None,
        at=at,
        comment=comment,
        details=details,
    )


def _locked(report: FormReport) -> FormReport:
    return (
        FormReport.objects.select_for_update()
        .select_related("unit__level", "form_set")
        .get(pk=report.pk)
    )


def _store(report: FormReport, schema: Schema, values: Mapping[RowKey, Decimal | None]) -> None:
    """Write the computed rows' values over the previous ones (their notes are kept)."""
    computed = {schema.rows[k].pk: v for k, v in values.items() if schema.rows[k].computed}
    existing = {
        value.row_id: value
        for value in FormValue.objects.filter(report=report, row_id__in=list(computed))
    }
    too_large = [k for k, v in values.items() if v is not None and abs(v) >= NUMBER_LIMIT]
    if too_large:
        raise ReportError(
            _("Chỉ tiêu %(c)s của biểu %(f)s tính ra một số quá lớn để lưu; hãy kiểm tra số liệu.")
            % {"f": too_large[0][0], "c": too_large[0][1]},
            "computed_out_of_range",
        )
    stale, changed, new = [], [], []
    for row_id, number in computed.items():
        value = existing.get(row_id)
        if value is None:
            if number is not None:
                new.append(
                    FormValue(
                        report=report,
                        row_id=row_id,
                        number=number,
                        places=_places(number),
                        source=ValueSource.COMPUTED,
                    )
                )
        elif number is None and not value.note:
            stale.append(value.pk)
        elif value.value != number or value.source != ValueSource.COMPUTED:
            value.number, value.places, value.source = number, _places(number), ValueSource.COMPUTED
            changed.append(value)
    FormValue.objects.filter(pk__in=stale).delete()
    FormValue.objects.bulk_update(changed, ["number", "places", "source"])
    FormValue.objects.bulk_create(new)


def _places(value: Decimal | None) -> int:
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    return min(-exponent, MAX_PLACES) if isinstance(exponent, int) and exponent < 0 else 0


def _recompute(report: FormReport, schema: Schema) -> dict[RowKey, Decimal | None]:
    stored = report_values(report)
    manual = {key: v for key, v in stored.items() if not schema.rows[key].computed}
    values = compute_values(schema, report.unit, report.period_start, report.period_end, manual)
    _store(report, schema, values)
    return values


@transaction.atomic
def create_report(
    *,
    unit: Unit,
    form_set: FormSet,
    start: dt.date,
    end: dt.date,
    user,
    label: str = "",
    at: dt.datetime | None = None,
) -> FormReport:
    """A new draft of `unit`'s forms for [start, end], its computed rows filled from the system.
    A period already reported is corrected with revise_report, not created again."""
    if end < start:
        raise ReportError(_("Ngày kết thúc kỳ báo cáo trước ngày bắt đầu."), "bad_period")
    if FormReport.objects.filter(
        unit=unit, form_set=form_set, period_start=start, period_end=end
    ).exists():
        raise ReportError(
            _("Đơn vị %(unit)s đã có báo cáo kỳ này; hãy sửa bằng phiên bản mới.")
            % {"unit": unit.name},
            "exists",
        )
    report = FormReport(
        unit=unit, form_set=form_set, period_start=start, period_end=end, period_label=label
    )
    if not may_act(user, report, ReportAction.ENTER):
        raise PermissionDenied(
            _("Bạn không có quyền lập báo cáo của %(unit)s.") % {"unit": unit.name}
        )
    report.save()
    _recompute(report, load_schema(form_set))
    _event(report, ReportAction.CREATE, user, at or timezone.now(), before="")
    return report


def _parse(row_type: str, value) -> tuple[Decimal | None, str]:
    if value is None or value == "":
        return None, ""
    if row_type == ValueType.TEXT:
        return None, str(value)
    return read_number(value), ""


def read_number(value: Decimal | int | str) -> Decimal:
    """A manual row's number as stored (at most 4 decimals); ReportError when it is not a
    number or too large to store."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ReportError(_("“%(v)s” không phải là số.") % {"v": value}, "not_a_number") from None
    if not number.is_finite():
        raise ReportError(_("“%(v)s” không phải là số.") % {"v": value}, "not_a_number")
    if abs(number) >= NUMBER_LIMIT:
        raise ReportError(
            _("“%(v)s” vượt quá giới hạn: trị tuyệt đối phải nhỏ hơn %(limit)s.")
            % {"v": value, "limit": number_format(NUMBER_LIMIT, force_grouping=True)},
            "number_out_of_range",
        )
    if _places(number) == MAX_PLACES:
        number = number.quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=ROUND_HALF_UP)
    return number


@transaction.atomic
def enter_values(
    report: FormReport,
    values: Mapping[RowKey, Decimal | int | str | None],
    *,
    user,
    notes: Mapping[RowKey, str] | None = None,
    at: dt.datetime | None = None,
) -> FormReport:
    """Set manual rows (None or "" clears one) and recompute the formulas that read them.

    Rows filled by the system or a formula are locked; a frozen report refuses any change.
    Returns the report; `report_violations` says what the rules think of the new values.
    """
    report = _locked(report)
    _require(user, report, ReportAction.ENTER)
    schema = load_schema(report.form_set)
    level = report.unit.level.name
    notes = notes or {}
    keys = sorted({*values, *notes})
    for key in keys:
        _check_enterable(schema, key, level, key in values)
    existing = {
        value.row_id: value
        for value in FormValue.objects.filter(
            report=report, row_id__in=[schema.rows[key].pk for key in keys]
        )
    }
    stale, kept, changes = [], [], {}
    for key in keys:
        row = schema.rows[key]
        old = existing.get(row.pk) or FormValue(
            report=report,
            row_id=row.pk,
            source=ValueSource.COMPUTED if row.computed else ValueSource.MANUAL,
        )
        before = (old.value, old.text, old.note)
        if key in values:
            old.number, old.text = _parse(row.value_type, values[key])
            old.places = _places(old.number)
        old.note = notes.get(key, old.note)
        after = (old.value, old.text, old.note)
        if after == before:
            continue
        changes[f"{key[0]}:{key[1]}"] = [_shown(before), _shown(after)]
        if old.number is None and not old.text and not old.note:
            if old.pk:
                stale.append(old.pk)
        else:
            kept.append(old)
    FormValue.objects.filter(pk__in=stale).delete()
    FormValue.objects.bulk_update([v for v in kept if v.pk], ["number", "places", "text", "note"])
    FormValue.objects.bulk_create([v for v in kept if not v.pk])
    _recompute(report, schema)
    _event(
        report,
        ReportAction.ENTER,
        user,
        at or timezone.now(),
        before=report.status,
        rows=changes,
    )
    return report


def _check_enterable(schema: Schema, key: RowKey, level: str, with_value: bool) -> None:
    row = schema.rows.get(key)
    names = {"f": key[0], "c": key[1]}
    if row is None:
        raise ReportError(_("Biểu %(f)s không có chỉ tiêu %(c)s.") % names, "no_row")
    if not with_value:
        return  # a note may explain any row
    if row.computed or row.value_type == ValueType.NONE:
        raise ReportError(
            _("Chỉ tiêu %(c)s của biểu %(f)s được tính tự động, không nhập tay.") % names,
            "computed_row",
        )
    if not row.reported_at(level):
        raise ReportError(
            _("Cấp của đơn vị không báo chỉ tiêu %(c)s của biểu %(f)s.") % names, "not_reported"
        )


def _shown(state: tuple) -> str | None:
    """A value as the history records it: the number as written, or the text, with the note."""
    number, text, note = state
    shown = format(number, "f") if number is not None else text
    return f"{shown} ({note})" if note else (shown or None)


@transaction.atomic
def refresh_report(report: FormReport, *, user, at: dt.datetime | None = None) -> FormReport:
    """Re-read the system figures of a draft (dossiers or the plan changed since)."""
    report = _locked(report)
    _require(user, report, ReportAction.REFRESH)
    _recompute(report, load_schema(report.form_set))
    _event(report, ReportAction.REFRESH, user, at or timezone.now(), before=report.status)
    return report


def report_violations(report: FormReport) -> list[Violation]:
    """Every broken row constraint and rule of the report's stored values."""
    return check_values(load_schema(report.form_set), report_values(report))


@transaction.atomic
def submit_report(report: FormReport, *, user, at: dt.datetime | None = None) -> FormReport:
    """Send the report up: its system figures are read a last time, then it is frozen.

    Refused (ReportInvalid) while a rule of high importance is broken; warnings of lower
    importance are recorded in the event.
    """
    report = _locked(report)
    transition = _require(user, report, ReportAction.SUBMIT)
    schema = load_schema(report.form_set)
    values = _recompute(report, schema)
    violations = check_values(schema, values)
    blocking = [v for v in violations if v.blocks_submission]
    if blocking:
        raise ReportInvalid(blocking)
    at = at or timezone.now()
    before, report.status, report.submitted_at = report.status, transition.target, at
    report.save(update_fields=["status", "submitted_at"])
    # The written report is made from these figures from now on (they are frozen with it).
    ReportSnapshot.objects.update_or_create(
        report=report, defaults={**document_figures(report), "taken_at": at}
    )
    _event(
        report,
        ReportAction.SUBMIT,
        user,
        at,
        before=before,
        warnings=[v.code for v in violations],
    )
    return report


@transaction.atomic
def approve_report(report: FormReport, *, user, at: dt.datetime | None = None) -> FormReport:
    report = _locked(report)
    transition = _require(user, report, ReportAction.APPROVE)
    at = at or timezone.now()
    before, report.status, report.decided_at = report.status, transition.target, at
    report.save(update_fields=["status", "decided_at"])
    _event(report, ReportAction.APPROVE, user, at, before=before)
    return report


@transaction.atomic
def return_report(
    report: FormReport, *, user, comment: str, at: dt.datetime | None = None
) -> FormReport:
    """Send the report back to its unit with the reason; the unit corrects it in a new version."""
    if not comment or not comment.strip():
        raise ReportError(_("Cần ghi lý do trả lại báo cáo."), "comment_required")
    report = _locked(report)
    transition = _require(user, report, ReportAction.RETURN)
    at = at or timezone.now()
    before, report.status, report.decided_at = report.status, transition.target, at
    report.return_comment = comment.strip()
    report.save(update_fields=["status", "decided_at", "return_comment"])
    _event(report, ReportAction.RETURN, user, at, before=before, comment=report.return_comment)
    return report


@transaction.atomic
def revise_report(report: FormReport, *, user, at: dt.datetime | None = None) -> FormReport:
    """A new draft version of a returned or approved report, starting from its values; the old
    version stays as it was sent."""
    report = _locked(report)
    _require(user, report, ReportAction.REVISE)
    if FormReport.objects.filter(
        unit=report.unit,
        form_set=report.form_set,
        period_start=report.period_start,
        period_end=report.period_end,
        version__gt=report.version,
    ).exists():
        raise ReportError(_("Đã có phiên bản mới hơn của báo cáo này."), "newer_version")
    new = FormReport.objects.create(
        unit=report.unit,
        form_set=report.form_set,
        period_start=report.period_start,
        period_end=report.period_end,
        period_label=report.period_label,
        version=report.version + 1,
        supersedes=report,
    )
    FormValue.objects.bulk_create(
        FormValue(
            report=new,
            row_id=value.row_id,
            number=value.number,
            places=value.places,
            text=value.text,
            note=value.note,
            source=value.source,
        )
        for value in FormValue.objects.filter(report=report)
    )
    at = at or timezone.now()
    _event(report, ReportAction.REVISE, user, at, before=report.status, new_version=new.version)
    _event(new, ReportAction.CREATE, user, at, before="", supersedes=report.version)
    return new


# ---------------------------------------------------------------- the reform plan

PLAN_ROLES = frozenset({Role.REFORM_OFFICER, Role.ADMIN})


def may_edit_plan(user, unit: Unit) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in PLAN_ROLES and user.unit_id == unit.pk


def require_plan_editor(user, unit: Unit) -> None:
    if not may_edit_plan(user, unit):
        raise PermissionDenied(
            _("Bạn không có quyền sửa kế hoạch CCHC của %(unit)s.") % {"unit": unit.name}
        )


def create_plan(*, unit: Unit, year: int, user, title: str = "") -> ReformPlan:
    require_plan_editor(user, unit)
    if ReformPlan.objects.filter(unit=unit, year=year).exists():
        raise ReportError(
            _("%(unit)s đã có kế hoạch CCHC năm %(year)s.") % {"unit": unit.name, "year": year},
            "exists",
        )
    return ReformPlan.objects.create(
        unit=unit, year=year, title=title or _("Kế hoạch CCHC năm %(y)s") % {"y": year}
    )


def task_state(task: PlanTask) -> dict[str, str]:
    """The task's editable fields as stored text ("" for none), to compare and keep."""
    state = {}
    for name in TASK_FIELDS:
        value = getattr(task, name)
        if value is None:
            state[name] = ""
        elif isinstance(value, dt.date):
            state[name] = value.isoformat()
        elif isinstance(value, Decimal):
            state[name] = format(value.normalize(), "f")  # 12.50 and 12.5 are one value
        elif isinstance(value, bool):
            state[name] = "1" if value else "0"
        else:
            state[name] = str(value)
    return state


def record_task_change(
    task: PlanTask, *, user, before: dict[str, str] | None, deleted: bool = False, at=None
) -> PlanTaskChange | None:
    """Write the history row of a task just saved (or about to be deleted): `before` is its
    state as stored before (None for a new task). Nothing when no field changed."""
    after = {} if deleted else task_state(task)
    if before is None:
        action, changes = TaskChangeAction.CREATED, {k: ["", v] for k, v in after.items() if v}
    elif deleted:
        action, changes = TaskChangeAction.DELETED, {k: [v, ""] for k, v in before.items() if v}
    else:
        action = TaskChangeAction.CHANGED
        changes = {k: [before[k], v] for k, v in after.items() if before.get(k) != v}
        if not changes:
            return None
    return PlanTaskChange.objects.create(
        plan_id=task.plan_id,
        task_id=task.pk,
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        at=at or timezone.now(),
        changes=changes,
    )


def check_task(task: PlanTask) -> None:
    try:
        task.full_clean(exclude=["plan"])
    except ValidationError as exc:
        raise ReportError("; ".join(exc.messages), "invalid_task") from None


@transaction.atomic
def save_task(plan: ReformPlan, *, user, task: PlanTask | None = None, **fields) -> PlanTask:
    """Add a task to the plan, or change one of its tasks (only the fields given)."""
    require_plan_editor(user, plan.unit)
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    before = None
    if task is None:
        task = PlanTask(plan=plan)
    elif task.plan_id != plan.pk:
        raise ReportError(_("Nhiệm vụ không thuộc kế hoạch này."), "wrong_plan")
    elif task.pk is not None:
        # As stored: a form may have changed the instance already.
        before = task_state(PlanTask.objects.select_for_update().get(pk=task.pk))
    for name, value in fields.items():
        setattr(task, name, value)
    check_task(task)
    task.save()
    record_task_change(task, user=user, before=before)
    return task


def complete_task(task: PlanTask, *, user, on: dt.date, output: str = "") -> PlanTask:
    """Mark a task done on `on` (100%), with its output when given."""
    fields = {"status": TaskStatus.DONE, "done_on": on, "percent_done": Decimal(100)}
    if output:
        fields["output"] = output
    return save_task(task.plan, user=user, task=task, **fields)


def attach_evidence(task: PlanTask, file: File, *, user, title: str = "") -> TaskEvidence:
    """Keep a file proving the task's progress, through the storage API (MEDIA_ROOT or S3...)."""
    require_plan_editor(user, task.plan.unit)
    evidence = TaskEvidence(task=task, title=title or file.name, uploaded_by=user)
    evidence.file.save(file.name, file, save=False)
    evidence.save()
    return evidence
