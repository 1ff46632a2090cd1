"""Admin for the procedure catalogue: fields and procedures with their components."""

from django.contrib import admin

from .models import Field, Procedure, ProcedureComponent


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class ProcedureComponentInline(admin.TabularInline):
    model = ProcedureComponent
    extra = 0
    fields = ("order", "name", "required")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "field",
        "level",
        "processing_time",
        "time_unit",
        "online_level",
        "fee",
        "active",
    )
    list_filter = (
        "level",
        "online_level",
        "time_unit",
        "postal",
        "interconnected",
        "active",
        "field",
    )
    list_select_related = ("field",)
    search_fields = ("code", "name", "name_search")
    inlines = (ProcedureComponentInline,)
