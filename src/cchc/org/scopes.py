"""The one place that decides which units a person may see: their unit's subtree, and which
unit a page starts on or was asked for (?unit=CODE) within it.

Superusers see everything. Anyone else without a unit sees nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from .models import Unit


def visible_units(user) -> QuerySet[Unit]:
    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def can_see_unit(user, unit: Unit) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.unit_id is not None and unit.path.startswith(user.unit.path)


def scope_queryset(qs: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Restrict any queryset whose rows belong to a unit (via `unit_field`) to the user's subtree."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return qs
    if user is None or not user.is_authenticated or user.unit_id is None:
        return qs.none()
    lookup = "path__startswith" if unit_field == "" else f"{unit_field}__path__startswith"
    return qs.filter(**{lookup: user.unit.path})


def visible_unit_by_code(user, code: str) -> Unit | None:
    """The unit with this code when the user may see it; None whether absent or hidden."""
    return visible_units(user).filter(code=code).first() if code else None


def home_unit(user) -> Unit | None:
    """The unit a user's home page starts on: their own, or the first root for a superuser."""
    if user.unit_id is not None:
        return user.unit
    if user.is_superuser:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return None


def chosen_unit(request: HttpRequest, default: Unit) -> Unit:
    """The unit named by ?unit=CODE; one outside the user's subtree is not found, like an
    unknown one (no enumeration of other units)."""
    code = request.GET.get("unit", "").strip()
    if not code or code == default.code:
        return default
    unit = visible_units(request.user).select_related("level").filter(code=code).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem."))
    return unit
