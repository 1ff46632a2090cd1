"""Admin for calendar overrides: only superusers and administrators (role "admin") edit them;
other staff with the view permission may look."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cchc.org.constants import Role

from . import calendar
from .models import CalendarOverride


def can_edit_calendar(user) -> bool:
    """The working calendar moves every due date: only superusers and administrators edit it."""
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN))


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working_day", "rule_base", "note", "legal_basis")
    list_filter = (YearFilter, "is_working_day")
    search_fields = ("note", "legal_basis")
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("date", "is_working_day", "note", "legal_basis")

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarOverride) -> str:
        return str(calendar.WEEKDAY_NAMES[obj.date.weekday()])

    @admin.display(description=_("theo lịch chung"))
    def rule_base(self, obj: CalendarOverride) -> str:
        name = calendar.holiday_name(obj.date)
        if name:
            return name
        return str(_("làm việc") if calendar.is_working_day_by_rule(obj.date) else _("nghỉ"))

    def has_module_permission(self, request) -> bool:
        return can_edit_calendar(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_edit_calendar(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_edit_calendar(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return can_edit_calendar(request.user)
