"""Admin for dossiers: read-only, scoped to the staff user's subtree.

A dossier changes state only through the lifecycle services, which write the audit events, so
the admin shows dossiers with their pauses and events and edits none of them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cchc.org.admin import ScopedUnitFilter, UnitScopedAdmin

from .models import Dossier, DossierEvent, DossierPause


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierPauseInline(ReadOnlyInline):
    model = DossierPause
    fields = ("started_at", "resumed_at", "paused_working_days", "due_date_after", "reason")


class DossierEventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "action", "actor", "from_status", "to_status", "from_unit", "to_unit", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "from_unit", "to_unit")


@admin.register(Dossier)
class DossierAdmin(UnitScopedAdmin):
    list_display = (
        "code",
        "unit",
        "field",
        "channel",
        "received_date",
        "due_date",
        "status",
        "outcome",
        "ended_date",
        "timeliness",
    )
    list_filter = (
        ("unit", ScopedUnitFilter),
        "status",
        "outcome",
        "timeliness",
        "channel",
        "online_level",
        "field",
    )
    list_select_related = ("unit", "field")
    search_fields = ("=code", "applicant_name", "applicant_id_number")
    date_hierarchy = "received_date"
    show_full_result_count = False
    inlines = (DossierPauseInline, DossierEventInline)
    fieldsets = (
        (
            None,
            {"fields": ("code", "unit", "procedure", "field", "channel", "online_level", "status")},
        ),
        (
            _("Người nộp hồ sơ"),
            {
                "fields": (
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_phone",
                    "applicant_address",
                    "applicant_email",
                    "request_summary",
                )
            },
        ),
        (
            _("Thời hạn và kết quả"),
            {
                "fields": (
                    "received_at",
                    "initial_due_date",
                    "due_at",
                    "appointment_at",
                    "outcome",
                    "ended_at",
                    "timeliness",
                )
            },
        ),
        (
            _("Số hóa, phí và đánh giá"),
            {
                "fields": (
                    "input_digitization",
                    "result_digitized",
                    "fee",
                    "paid_online",
                    "satisfaction",
                    "assignee",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return [f for _name, opts in self.fieldsets for f in opts["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
