"""Figures as Vietnamese reports print them: 1.234 and 84,20 % (the active locale decides),
and each count as a link to the dossiers behind it."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


@register.filter
def figure(counts, key: str):
    """The figure `key` of a counts object (a column of the catalogue's figures)."""
    return counts.get(key) if counts else None


@register.simple_tag(takes_context=True)
def drill(context, count: str, value, scope=None) -> str:
    """Count `value` as a link to the list of its dossiers: the page's unit and period
    (`drill_query` in the context), the row's `scope` and the name of the `count`."""
    query = context.get("drill_query")
    if value is None or query is None:
        return num(value)
    # A province's page has thousands of figures: the list's address and the page's part of
    # the query are written once per rendering, and each link adds its scope and count.
    memo = context.render_context.setdefault("cchc_drill", {})
    if memo.get("query") is not query:
        memo.update(
            query=query,
            url=reverse("web:dossiers"),
            encoded=urlencode(query),
            title=_("Xem danh sách hồ sơ"),
        )
    if scope and not scope.keys() & query.keys():
        params = f"{memo['encoded']}&{urlencode(scope)}&{urlencode({'count': count})}"
    elif scope:
        params = urlencode({**query, **scope, "count": count})
    else:
        params = f"{memo['encoded']}&{urlencode({'count': count})}"
    return format_html(
        '<a class="drill" href="{}?{}" title="{}">{}</a>',
        memo["url"],
        params,
        memo["title"],
        num(value),
    )
