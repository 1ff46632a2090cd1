"""What the one-stop pages offer to choose from: the people a dossier can be assigned to and the
places it can be forwarded to (liên thông)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cchc.dossiers.models import Department, Dossier
from cchc.dossiers.services import PROCESSING_ROLES
from cchc.org.models import PATH_SEP, Unit


def _codes_on_path(unit: Unit) -> list[str]:
    """The codes of `unit` and of every unit above it."""
    return [code for code in unit.path.split(PATH_SEP) if code]


def eligible_assignees(dossier: Dossier) -> QuerySet:
    """Active specialists and leaders of the dossier's unit, or of the unit handling it, or of
    a unit above either: the people whose subtree holds the dossier."""
    codes = set(_codes_on_path(dossier.unit))
    if dossier.handling_unit_id is not None:
        codes.update(_codes_on_path(dossier.handling_unit))
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=PROCESSING_ROLES, unit__code__in=codes)
        .select_related("unit")
        .order_by("unit__path", "last_name", "first_name", "username")
    )


def forward_units(dossier: Dossier) -> QuerySet[Unit]:
    """Where a dossier can be sent from the unit handling it: the units above it, their
    direct subordinates (neighbouring units) and its own subordinates."""
    here = dossier.handling_unit or dossier.unit
    above = _codes_on_path(here)
    return (
        Unit.objects.filter(active=True)
        .filter(Q(code__in=above) | Q(parent__code__in=above))
        .exclude(pk=here.pk)
        .order_by("path")
    )


def forward_departments(dossier: Dossier, units: list[Unit]) -> QuerySet[Department]:
    """The active departments of the unit handling the dossier and of the units it can go to."""
    here = dossier.handling_unit or dossier.unit
    return (
        Department.objects.filter(active=True, unit__in=[here, *units])
        .select_related("unit")
        .order_by("unit__path", "name")
    )
