"""Admin for the reform office: form sets (read mostly: load them with `cchc load_form_set`),
reports with their values and history (read-only: they change through the services only), plans."""

import posixpath

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cchc.org.admin import UnitScopedAdmin

from .models import (
    Form,
    FormReport,
    FormRow,
    FormSet,
    FormValue,
    PlanTask,
    ReformPlan,
    ReportEvent,
    TaskEvidence,
    ValidationRule,
)


class FormInline(admin.TabularInline):
    model = Form
    extra = 0
    fields = ("number", "title", "area")


@admin.register(FormSet)
class FormSetAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "version", "active")
    list_filter = ("year", "active")
    inlines = (FormInline,)


class FormRowInline(admin.TabularInline):
    model = FormRow
    extra = 0
    fields = (
        "order",
        "number",
        "code",
        "label",
        "unit",
        "value_type",
        "formula",
        "source",
        "scope",
        "note",
    )


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "form_set")
    list_filter = ("form_set",)
    inlines = (FormRowInline,)


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "form", "left", "operator", "right", "importance")
    list_filter = ("form_set", "importance", "form__number")
    search_fields = ("code", "message", "left", "right")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class FormValueInline(ReadOnlyInline):
    model = FormValue
    fields = ("row", "number", "places", "text", "note", "source")


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(FormReport)
class FormReportAdmin(UnitScopedAdmin):
    """Reports change through the services (submit, approve, return, revise), never here."""

    list_display = ("unit", "period_start", "period_end", "version", "status", "submitted_at")
    list_filter = ("status", "form_set", "period_end")
    list_select_related = ("unit",)
    search_fields = ("unit__code", "unit__name")
    inlines = (FormValueInline, ReportEventInline)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PlanTaskInline(ReadOnlyInline):
    """Tasks change on the plan pages (cchc.reform.services), which keep their history."""

    model = PlanTask
    fields = (
        "order",
        "area",
        "content",
        "deadline",
        "recurring",
        "status",
        "percent_done",
        "done_on",
        "assigned_from",
    )


@admin.register(ReformPlan)
class ReformPlanAdmin(UnitScopedAdmin):
    list_display = ("unit", "year", "title")
    list_filter = ("year",)
    list_select_related = ("unit",)
    search_fields = ("unit__code", "unit__name", "title")
    inlines = (PlanTaskInline,)


@admin.register(TaskEvidence)
class TaskEvidenceAdmin(UnitScopedAdmin):
    """Files are uploaded from the plan page; here they are only listed, and opened through the
    scoped download view (never MEDIA_URL)."""

    unit_field = "task__plan__unit"
    list_display = ("title", "task", "uploaded_by", "uploaded_at")
    list_select_related = ("task", "uploaded_by")
    fields = ("task", "title", "download", "uploaded_by", "uploaded_at")
    readonly_fields = ("task", "download", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("tệp"))
    def download(self, evidence: TaskEvidence) -> str:
        if not evidence.pk or not evidence.file:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("reform:evidence", args=[evidence.pk]),
            posixpath.basename(evidence.file.name),
        )
