"""The one place that decides which units a person may see: their unit's subtree.

Superusers see everything. Anyone else without a unit sees nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
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


def require_unit(user, unit: Unit) -> None:
    """Raise PermissionDenied unless `unit` lies in the user's subtree."""
    if not can_see_unit(user, unit):
        raise PermissionDenied(
            _("Bạn không có quyền xem dữ liệu của đơn vị %(unit)s.") % {"unit": unit.code}
        )


def scope_queryset(qs: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Restrict any queryset whose rows belong to a unit (via `unit_field`) to the user's subtree."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return qs
    if user is None or not user.is_authenticated or user.unit_id is None:
        return qs.none()
    lookup = "path__startswith" if unit_field == "" else f"{unit_field}__path__startswith"
    return qs.filter(**{lookup: user.unit.path})
