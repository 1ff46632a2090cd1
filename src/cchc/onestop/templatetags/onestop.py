"""The one-stop links of the main navigation with the work-queue counts as badges, and the
filters of the one-stop pages."""

import datetime as dt

from django import template

from cchc.dossiers.clock import VN_TZ
from cchc.dossiers.constants import Timeliness

register = template.Library()


@register.inclusion_tag("onestop/_nav_tag.html", takes_context=True)
def onestop_nav(context) -> dict:
    """Counted by the page's own view when it has them (`queue_counts`, one query); other
    pages fetch the badges after loading, so they pay no query for them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "show": bool(user and user.is_authenticated and (user.unit_id or user.is_superuser)),
        "queue_counts": context.get("queue_counts"),
    }


@register.filter
def isodate(value: str) -> str:
    """An ISO date or moment kept in an event's data, as dd/mm/yyyy."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return f"{moment:%d/%m/%Y}"


@register.filter
def timeliness_label(value: str) -> str:
    return str(Timeliness(value).label) if value in Timeliness.values else ""


@register.filter
def person(user) -> str:
    """A person's name in the Vietnamese order (family name first), or their username."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.username
