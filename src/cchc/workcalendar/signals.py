"""Keep the calendar cache in step with the overrides table."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarOverride


@receiver([post_save, post_delete], sender=CalendarOverride)
def _forget_overrides(**kwargs) -> None:
    calendar.invalidate_cache()
