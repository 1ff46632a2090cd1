"""The reform office's pages: the yearly plan and its tasks, the statistical forms of a unit and
period (entry with live checks, submission, history), what the level above follows (who has
reported, approval, roll-up) and the written report.

Every page works on a unit of the user's subtree: another unit's plan, report or file is not
found (404), like an unknown one. Who may act is the services' decision (may_act,
may_edit_plan); the pages only offer what they allow.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.downloads import stored_file_response
from cchc.limits import parse_id
from cchc.org.models import Unit
from cchc.org.scopes import chosen_unit, home_unit, scope_queryset
from cchc.reform.cchc_report.document import render_cchc_report, render_forms_xlsx
from cchc.reform.cchc_report.sections import SECTION_KEYS, report_sections

from . import services
from .constants import AREA_ORDER, Area, ReportAction, TaskStatus, ValueType
from .forms import (
    YEARS,
    EvidenceForm,
    PeriodForm,
    PlanImportForm,
    ReturnForm,
    SectionsForm,
    TaskForm,
    parse_number,
)
from .models import FormReport, PlanTask, ReformPlan, ReportSection, TaskEvidence
from .plan_export import export_plan
from .plan_import import PlanFileError, import_plan
from .plan_progress import plan_task_counts
from .selectors import (
    form_set_for,
    form_sheets,
    preview_values,
    report_sheets,
    rolled_up,
    submissions,
    task_history,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS = {
    ReportAction.SUBMIT: services.submit_report,
    ReportAction.APPROVE: services.approve_report,
    ReportAction.REFRESH: services.refresh_report,
    ReportAction.REVISE: services.revise_report,
}


# --- helpers -----------------------------------------------------------------------------


def _unit(request: HttpRequest) -> Unit:
    default = home_unit(request.user)
    if default is None:
        raise Http404(_("Tài khoản chưa thuộc đơn vị nào."))
    return chosen_unit(request, default)


def _report(request: HttpRequest, pk: int) -> FormReport:
    reports = scope_queryset(FormReport.objects.all(), request.user)
    return get_object_or_404(
        reports.select_related("unit__level", "unit__parent", "form_set"), pk=pk
    )


def _task(request: HttpRequest, pk: int) -> PlanTask:
    tasks = scope_queryset(PlanTask.objects.all(), request.user, "plan__unit")
    return get_object_or_404(tasks.select_related("plan__unit"), pk=pk)


def _year(request: HttpRequest) -> int:
    """The year asked for, or this year when none or not a year reports are made for."""
    year = parse_id(request.GET.get("year") or request.POST.get("year") or "")
    return year if year in YEARS else timezone.localdate().year


def _period(request: HttpRequest):
    form = PeriodForm(request.GET or None)
    return form, form.period()


def _places(value: Decimal | None) -> int:
    """The decimals a computed value needs: 87.50 → 1, 60.00 → 0."""
    if value is None or value == value.to_integral():
        return 0
    return max(-value.normalize().as_tuple().exponent, 0)


def shown(value: Decimal | None, places: int = 0) -> str:
    """A value for the page, in the active language's format (1.234,5 in Vietnamese)."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def typed(value: Decimal | None, places: int = 0) -> str:
    """A value as an input shows it: no grouping, the language's decimal mark."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=places, use_l10n=True)


# --- the reform office's home: reports of a unit ------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form, period = _period(request)
    form_set = form_set_for(period.end) if period else None
    reports = list(
        FormReport.objects.filter(unit=unit)
        .select_related("form_set")
        .order_by("-period_end", "-version")[:30]
    )
    current = None
    if period and form_set:
        current = next(
            (
                r
                for r in reports
                if (r.period_start, r.period_end, r.form_set_id)
                == (period.start, period.end, form_set.pk)
            ),
            None,
        )
    probe = FormReport(unit=unit)
    return render(
        request,
        "reform/index.html",
        {
            "unit": unit,
            "form": form,
            "period": period,
            "form_set": form_set,
            "reports": reports,
            "current": current,
            "may_create": services.may_act(request.user, probe, ReportAction.ENTER),
            "children": unit.children.exists(),
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = PeriodForm(request.POST)
    period = form.period()
    form_set = form_set_for(period.end) if period else None
    if period is None or form_set is None:
        messages.error(request, _("Kỳ báo cáo không hợp lệ hoặc chưa có bộ biểu mẫu áp dụng."))
        return redirect(f"{reverse('reform:index')}?unit={unit.code}")
    try:
        report = services.create_report(
            unit=unit,
            form_set=form_set,
            start=period.start,
            end=period.end,
            label=period.label,
            user=request.user,
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('reform:index')}?unit={unit.code}")
    return redirect("reform:report", report.pk)


# --- the plan ----------------------------------------------------------------------------


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request)
    plan = (
        ReformPlan.objects.filter(unit=unit, year=year)
        .prefetch_related(
            Prefetch(
                "tasks",
                PlanTask.objects.annotate(evidence_count=Count("evidence")).prefetch_related(
                    "evidence"
                ),
            )
        )
        .first()
    )
    tasks = list(plan.tasks.all()) if plan else []
    areas = [
        {
            "area": area,
            "label": Area(area).label,
            "number": i,
            "tasks": [t for t in tasks if t.area == area],
        }
        for i, area in enumerate(AREA_ORDER, 1)
    ]
    done = sum(1 for t in tasks if t.status == TaskStatus.DONE)
    as_of = min(timezone.localdate(), timezone.datetime(year, 12, 31).date())
    counts = plan_task_counts(unit, year, as_of) if plan else None
    return render(
        request,
        "reform/plan.html",
        {
            "unit": unit,
            "year": year,
            "plan": plan,
            "areas": areas,
            "total": len(tasks),
            "done": done,
            "percent": round(done * 100 / len(tasks), 1) if tasks else None,
            "above": {
                key.partition(".")[2]: value
                for key, value in (counts or {}).items()
                if key.startswith("above.")
            },
            "as_of": as_of,
            "may_edit": services.may_edit_plan(request.user, unit),
            "import_form": PlanImportForm(),
            "evidence_form": EvidenceForm(),
            "today": timezone.localdate(),
        },
    )


def _plan_url(plan: ReformPlan) -> str:
    return f"{reverse('reform:plan')}?unit={plan.unit.code}&year={plan.year}"


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request)
    try:
        plan = services.create_plan(unit=unit, year=year, user=request.user)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('reform:plan')}?unit={unit.code}&year={year}")
    return redirect(_plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int | None = None, plan_pk: int | None = None):
    if pk is not None:
        task = _task(request, pk)
        plan = task.plan
    else:
        plans = scope_queryset(ReformPlan.objects.select_related("unit"), request.user)
        plan, task = get_object_or_404(plans, pk=plan_pk), None
    if not services.may_edit_plan(request.user, plan.unit):
        raise PermissionDenied(_("Bạn không có quyền sửa kế hoạch CCHC của đơn vị này."))
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if task is None:
            fields["order"] = plan.tasks.count() + 1
        try:
            services.save_task(plan, user=request.user, task=task, **fields)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect(_plan_url(plan))
    history = task_history(task) if task is not None else []
    return render(
        request,
        "reform/task_form.html",
        {"form": form, "plan": plan, "task": task, "history": history},
    )


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        services.complete_task(task, user=request.user, on=timezone.localdate())
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã đánh dấu hoàn thành nhiệm vụ."))
    return redirect(_plan_url(task.plan))


@login_required
@require_POST
def task_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.attach_evidence(
            task, form.cleaned_data["file"], user=request.user, title=form.cleaned_data["title"]
        )
        messages.success(request, _("Đã tải lên tài liệu minh chứng."))
    else:
        messages.error(request, _("Hãy chọn tệp minh chứng."))
    return redirect(_plan_url(task.plan))


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    files = scope_queryset(TaskEvidence.objects.all(), request.user, "task__plan__unit")
    evidence = get_object_or_404(files, pk=pk)
    return stored_file_response(evidence.file)


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plans = scope_queryset(ReformPlan.objects.select_related("unit"), request.user)
    plan = get_object_or_404(plans, pk=pk)
    response = HttpResponse(export_plan(plan), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-cchc-{plan.unit.code}-{plan.year}.xlsx"'
    )
    return response


@login_required
@require_POST
def plan_import(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request)
    back = f"{reverse('reform:plan')}?unit={unit.code}&year={year}"
    form = PlanImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp XLSX kế hoạch."))
        return redirect(back)
    try:
        with transaction.atomic():
            result = import_plan(
                unit=unit, year=year, data=form.cleaned_data["file"].read(), user=request.user
            )
    except PlanFileError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if result.errors:
        for error in result.errors[:20]:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("Đã nhập kế hoạch: %(c)s nhiệm vụ mới, %(u)s cập nhật, %(d)s xóa.")
            % {"c": result.created, "u": result.updated, "d": result.deleted},
        )
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect(back)


# --- the forms of a report ---------------------------------------------------------------


def _field(form: int, code: str) -> str:
    return f"v-{form}-{code}"


def _entry_rows(report: FormReport, values: dict | None = None) -> list[dict]:
    """The forms with each row ready for the page: its shown value, whether it is typed in."""
    sheets = []
    for sheet in report_sheets(report):
        lines = []
        for line in sheet.lines:
            row, value = line.row, line.value
            key = line.key
            editable = (
                line.reported
                and not row.is_computed
                and row.value_type != ValueType.NONE
                and not report.is_frozen
            )
            number = value.value if value is not None else None
            places = value.places if value is not None else 0
            if row.is_computed:
                places = _places(number)
            if values is not None and key in values and row.is_computed:
                number = values[key]
                places = _places(number)
            lines.append(
                {
                    "row": row,
                    "field": _field(*key),
                    "dom_id": f"val-{key[0]}-{key[1]}".replace(".", "_"),
                    "editable": editable,
                    "reported": line.reported,
                    "title": row.value_type == ValueType.NONE,
                    "text": value.text if value is not None else "",
                    "typed": typed(number, places),
                    "shown": shown(number, places) if number is not None else "",
                    "note": value.note if value is not None else "",
                }
            )
        sheets.append({"form": sheet.form, "lines": lines})
    return sheets


def _typed_values(request: HttpRequest, report: FormReport) -> tuple[dict, dict, list[str]]:
    """The manual values posted, as numbers (for a preview) and as given (for saving)."""
    numbers, given, problems = {}, {}, []
    for sheet in report_sheets(report):
        for line in sheet.lines:
            row = line.row
            name = _field(*line.key)
            if name not in request.POST or row.is_computed or not line.reported:
                continue
            raw = request.POST[name].strip()
            if row.value_type == ValueType.TEXT:
                given[line.key] = raw
                continue
            given[line.key] = parse_number(raw) if raw else ""
            number = None
            if raw:
                try:
                    number = services.read_number(given[line.key])
                except services.ReportError as exc:
                    problems.append(
                        _("Chỉ tiêu %(c)s của biểu %(f)s: %(problem)s")
                        % {"c": row.code, "f": line.key[0], "problem": exc}
                    )
            numbers[line.key] = number
    return numbers, given, problems


def _violations_context(violations, problems=()) -> dict:
    blocking = [v for v in violations if v.blocks_submission]
    return {
        "violations": violations,
        "blocking": blocking,
        "warnings": [v for v in violations if not v.blocks_submission],
        "problems": list(problems),
        "bad_rows": sorted(
            {f"val-{f}-{c}".replace(".", "_") for v in violations for f, c in v.rows}
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if request.method == "POST":
        _numbers, given, problems = _typed_values(request, report)
        if problems:
            for problem in problems:
                messages.error(request, problem)
        else:
            try:
                services.enter_values(report, given, user=request.user)
            except services.ReportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Đã lưu số liệu."))
        return redirect("reform:report", report.pk)
    violations = services.report_violations(report)
    actions = services.allowed_actions(request.user, report)
    events = report.events.select_related("actor").order_by("pk")
    return render(
        request,
        "reform/report.html",
        {
            "report": report,
            "unit": report.unit,
            "sheets": _entry_rows(report),
            "actions": actions,
            "may_enter": ReportAction.ENTER in actions,
            "events": events,
            "return_form": ReturnForm(),
            "newer": FormReport.objects.filter(supersedes=report).first(),
            **_violations_context(violations),
        },
    )


@login_required
@require_POST
def report_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The checks of the values as typed, not saved (htmx): the messages block, and the rows
    that formulas compute from them, swapped out of band."""
    report = _report(request, pk)
    numbers, _given, problems = _typed_values(request, report)
    values, violations = preview_values(report, numbers)
    computed = [
        line
        for sheet in _entry_rows(report, values)
        for line in sheet["lines"]
        if line["row"].formula
    ]
    return render(
        request,
        "reform/_checks.html",
        {
            "report": report,
            "computed": computed,
            "live": True,
            **_violations_context(violations, problems),
        },
    )


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report(request, pk)
    try:
        if action == ReportAction.RETURN:
            form = ReturnForm(request.POST)
            comment = form.data.get("comment", "")
            report = services.return_report(report, user=request.user, comment=comment)
            messages.success(request, _("Đã trả lại báo cáo."))
        elif action in ACTIONS:
            result = ACTIONS[action](report, user=request.user)
            messages.success(request, str(ReportAction(action).label) + ": " + _("xong."))
            if action == ReportAction.REVISE:
                return redirect("reform:report", result.pk)
        else:
            raise Http404
    except services.ReportInvalid as exc:
        messages.error(request, _("Chưa gửi được: báo cáo còn số liệu mâu thuẫn."))
        for violation in exc.violations:
            messages.error(request, str(violation))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("reform:report", report.pk)


# --- the written report ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_sections_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    may_edit = not report.is_frozen and services.may_act(request.user, report, ReportAction.ENTER)
    texts = report_sections(report)
    form = SectionsForm(request.POST or None, texts=texts)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Báo cáo đã gửi hoặc bạn không có quyền sửa."))
        if form.is_valid():
            for key in SECTION_KEYS:
                ReportSection.objects.update_or_create(
                    report=report, key=key, defaults={"text": form.cleaned_data[key].strip()}
                )
            messages.success(request, _("Đã lưu nội dung báo cáo."))
            return redirect("reform:report_sections", report.pk)
    groups: list[dict] = []
    for field in form:
        group = form.fields[field.name].group
        if not groups or groups[-1]["title"] != group:
            groups.append({"title": group, "fields": []})
        groups[-1]["fields"].append(field)
    return render(
        request,
        "reform/sections.html",
        {"report": report, "unit": report.unit, "groups": groups, "may_edit": may_edit},
    )


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    data = render_cchc_report(
        report,
        number=request.GET.get("number", "")[:20],
        signer=request.GET.get("signer", "")[:100],
    )
    name = f"bao-cao-cchc-{report.unit.code}-{report.period_end:%Y%m%d}-v{report.version}.docx"
    return _download(data, DOCX, name)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    name = f"bieu-mau-cchc-{report.unit.code}-{report.period_end:%Y%m%d}-v{report.version}.xlsx"
    return _download(render_forms_xlsx(report), XLSX, name)


# --- the level above ---------------------------------------------------------------------


@login_required
def subordinates(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form, period = _period(request)
    form_set = form_set_for(period.end) if period else None
    rows, rollup, sheets = [], None, []
    if period and form_set:
        rows = submissions(unit, form_set, period.start, period.end)
        rollup = rolled_up(unit, form_set, period.start, period.end)
        for sheet in form_sheets(form_set.pk, unit.level.name, {}):
            lines = []
            for line in sheet.lines:
                value = rollup.values.get(line.key)
                lines.append({"row": line.row, "shown": shown(value, _places(value))})
            sheets.append({"form": sheet.form, "lines": lines})
    counts = {
        status: sum(1 for row in rows if row.timeliness == status)
        for status in ("on_time", "late", "not_submitted")
    }
    return render(
        request,
        "reform/subordinates.html",
        {
            "unit": unit,
            "form": form,
            "period": period,
            "form_set": form_set,
            "rows": rows,
            "counts": counts,
            "rollup": rollup,
            "sheets": sheets,
            "return_form": ReturnForm(),
            "approvable": {
                row.report.pk
                for row in rows
                if row.report is not None
                and ReportAction.APPROVE in services.allowed_actions(request.user, row.report)
            },
        },
    )
