"""Admin for units, levels and people, scoped to the staff user's subtree.

`UnitScopedAdmin` is the base of every ModelAdmin whose rows belong to a unit: the change
list, change pages, unit choices and the unit filter only ever show the user's subtree.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import ForeignKey
from django.utils.translation import gettext_lazy as _

from .login import ThrottledAdminAuthenticationForm
from .models import Unit, UnitLevel, User
from .scopes import scope_queryset, visible_units

# The admin's login page counts failed attempts like the site's (cchc.org.login).
admin.site.login_form = ThrottledAdminAuthenticationForm


class ScopedUnitFilter(admin.RelatedFieldListFilter):
    """The unit filter of a change list, offering only the units the user may see."""

    def field_choices(self, field, request, model_admin):
        return [(u.pk, str(u)) for u in visible_units(request.user).only("pk", "name")]


class UnitScopedAdmin(admin.ModelAdmin):
    """Rows bound to a unit through `unit_field` ("" when the model is Unit itself)."""

    unit_field = "unit"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.unit_field)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = visible_units(request.user).select_related("level")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(UnitLevel)
class UnitLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "label", "rank")
    ordering = ("rank", "name")


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    """Units are never deleted or renumbered in place: a restructure is recorded as a merger."""

    unit_field = ""
    list_display = ("code", "name", "level", "parent", "official_code", "active")
    list_filter = ("level", "active")
    list_select_related = ("level", "parent")
    search_fields = ("code", "name", "official_code")
    ordering = ("path",)
    fields = (
        "code",
        "name",
        "short_name",
        "level",
        "parent",
        "official_code",
        "place_name",
        "report_cutoff_day",
        "active",
        "dissolved_on",
        "merged_into",
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        frozen = ["code"]
        # Moving a unit that carries history or has units below it would rewrite their paths.
        if not request.user.is_superuser or obj.children.exists() or obj.dossiers.exists():
            frozen.append("parent")
        return frozen

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "parent" in form.base_fields:
            # A unit created by a unit administrator lies inside their subtree.
            form.base_fields["parent"].required = True
        return form

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(UnitScopedAdmin, DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "unit", "role", "is_staff", "is_active")
    list_filter = (("unit", ScopedUnitFilter), "role", "is_staff", "is_active")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email", "unit__name", "unit__code")
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (_("Đơn vị và vai trò"), {"fields": ("unit", "role", "job_title", "phone")}),
        *DjangoUserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "unit", "role", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # Superusers' accounts are out of any unit administrator's reach.
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        # A unit administrator manages people, not privileges.
        return ("is_superuser", "groups", "user_permissions", "last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "unit" in form.base_fields:
            form.base_fields["unit"].required = True
        return form
