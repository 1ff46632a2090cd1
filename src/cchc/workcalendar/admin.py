"""Admin for calendar overrides, scoped like the calendars they change.

A national override (no province) moves every due date in the country: only superusers edit
it. A province's override moves its own units' due dates: superusers and the administrators
(role "admin") of the province itself edit it. A district's or commune's administrator edits
none; staff with the view permission, and every administrator, may look at the national
overrides and their own province's.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from cchc.org.constants import Role
from cchc.org.models import Unit

from . import calendar
from .models import CalendarOverride


def _is_admin(user) -> bool:
    return bool(user.is_active and getattr(user, "role", None) == Role.ADMIN)


def editable_provinces(user):
    """The provinces whose own overrides `user` may edit (all of them for a superuser)."""
    provinces = Unit.objects.filter(parent__isnull=True)
    if user.is_active and user.is_superuser:
        return provinces
    if not _is_admin(user) or user.unit_id is None or user.unit.parent_id is not None:
        return provinces.none()
    return provinces.filter(pk=user.unit_id)


def can_edit_override(user, province: Unit | None) -> bool:
    """May `user` add, change or delete an override of `province` (None: national)?"""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if province is None or not _is_admin(user) or user.unit_id is None:
        return False
    # The province's administrators, or those of a unit above it (none in today's trees).
    return province.is_within(user.unit)


def can_edit_calendar(user) -> bool:
    """May `user` edit some override at all (the national ones or a province's)?"""
    return bool(user.is_active and user.is_superuser) or editable_provinces(user).exists()


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
    list_display = (
        "date",
        "weekday",
        "is_working_day",
        "scope",
        "rule_base",
        "note",
        "legal_basis",
    )
    list_filter = (YearFilter, "is_working_day")
    list_select_related = ("province",)
    search_fields = ("note", "legal_basis")
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("province", "date", "is_working_day", "note", "legal_basis")

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarOverride) -> str:
        return str(calendar.WEEKDAY_NAMES[obj.date.weekday()])

    @admin.display(description=_("phạm vi"), ordering="province__code")
    def scope(self, obj: CalendarOverride) -> str:
        return str(obj.province) if obj.province_id else str(_("Toàn quốc"))

    @admin.display(description=_("theo lịch chung"))
    def rule_base(self, obj: CalendarOverride) -> str:
        name = calendar.holiday_name(obj.date)
        if name:
            return name
        return str(_("làm việc") if calendar.is_working_day_by_rule(obj.date) else _("nghỉ"))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        code = calendar.province_code(user.unit) if user.unit_id else None
        if code is None:
            return qs.filter(province__isnull=True)
        return qs.filter(province__isnull=True) | qs.filter(province__code=code)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = editable_provinces(request.user)
            if not request.user.is_superuser:
                kwargs["required"] = True  # a province's administrator edits no national row
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request) -> bool:
        return _is_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return (
            request.user.is_superuser
            or _is_admin(request.user)
            or super().has_view_permission(request, obj)
        )

    def has_add_permission(self, request) -> bool:
        return can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return can_edit_calendar(request.user)
        return can_edit_override(request.user, obj.province)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The form offers only the provinces the user may edit; this is the last word.
        if not can_edit_override(request.user, obj.province):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not can_edit_override(request.user, obj.province):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(not can_edit_override(request.user, o.province) for o in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)
