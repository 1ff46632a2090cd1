"""Figures as Vietnamese reports print them: 1.234 and 84,20 % (the active locale decides)."""

from django import template
from django.utils.formats import number_format

register = template.Library()

MISSING = "—"


@register.filter
def num(value) -> str:
    """An integer with thousands grouped (1.234), or a dash when there is none."""
    if value is None or value == "":
        return MISSING
    return number_format(value, force_grouping=True)


@register.filter
def pct(value) -> str:
    """A percentage with two decimals (84,20 %), or a dash when its denominator was 0."""
    if value is None or value == "":
        return MISSING
    return number_format(value, 2, force_grouping=True) + "\u00a0%"
