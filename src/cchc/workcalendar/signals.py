"""Keep the calendar cache in step with the overrides table and the calendar settings."""

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarOverride

CALENDAR_SETTINGS = frozenset({"CCHC_OFFICE_HOURS", "CCHC_WORKING_WEEKDAYS"})


@receiver([post_save, post_delete], sender=CalendarOverride)
def _forget_overrides(**kwargs) -> None:
    calendar.invalidate_cache()
    # Another thread may reload the table before this transaction commits and keep the old rows.
    transaction.on_commit(calendar.invalidate_cache)


@receiver(setting_changed)
def _forget_settings(setting: str, **kwargs) -> None:
    if setting in CALENDAR_SETTINGS:
        calendar.invalidate_cache()
