"""Server-rendered pages. The home page: the statistics of a unit of the user's subtree."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.models import Dossier
from cchc.org.models import PATH_SEP, Unit
from cchc.org.scopes import visible_units
from cchc.stats.selectors import period_statistics

from .forms import PeriodForm, default_period_data
from .statistics import build_tables

INDENT = "\u2003"  # an em space per level of the tree in the unit picker


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


def unit_choices(user, unit: Unit, subtree: list[Unit]) -> list[tuple[str, str]]:
    """The unit picker (code, indented name): the visible units above the chosen one, it, and
    the units one level below it; a superuser also gets the other roots."""
    codes = unit.path.strip(PATH_SEP).split(PATH_SEP)[:-1]
    above = list(visible_units(user).filter(code__in=codes).order_by("path"))
    if user.is_superuser:
        roots = Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).order_by("path")
        above = sorted({*above, *roots}, key=lambda u: u.path)
    base = above[0].depth if above else unit.depth
    below = [u for u in subtree if u.parent_id == unit.pk]
    return [(u.code, INDENT * (u.depth - base) + u.name) for u in (*above, unit, *below)]


def latest_activity(unit: Unit, today: dt.date) -> dt.date:
    """The day the default period is built around: the last receipt in the subtree, or today."""
    latest = Dossier.objects.filter(unit__path__startswith=unit.path).aggregate(
        day=Max("received_date")
    )["day"]
    return min(latest, today) if latest else today


@login_required
def home(request: HttpRequest) -> HttpResponse:
    root = home_unit(request.user)
    if root is None:
        return render(request, "web/no_unit.html", status=200)
    unit = chosen_unit(request, root)
    subtree = list(Unit.objects.subtree_of(unit).select_related("level"))
    today = timezone.localdate()

    data = request.GET.dict()
    if "kind" not in data:
        data.update(default_period_data(latest_activity(unit, today)))
    form = PeriodForm(data, today=today)
    context = {
        "unit": unit,
        "unit_choices": unit_choices(request.user, unit, subtree),
        "form": form,
    }
    if form.is_valid():
        period = form.period
        stats = period_statistics(unit, period.start, period.end)
        context.update(
            period=period,
            until_today=form.cleaned_data.get("until_today", False),
            stats=stats,
            tables=build_tables(stats, unit, subtree),
        )
    template = "web/_report.html" if request.htmx else "web/home.html"
    return render(request, template, context)
