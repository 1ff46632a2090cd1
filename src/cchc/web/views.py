"""Server-rendered pages over a unit of the user's subtree and a period: the statistics page,
the dossiers behind each of its figures (and their CSV), the trends, the report documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.dossiers.exchange import csv_lines
from cchc.dossiers.models import Dossier
from cchc.org.models import PATH_SEP, Unit, UnitLevel
from cchc.org.scopes import chosen_unit, home_unit, visible_units
from cchc.reports.checks import ensure_valid
from cchc.reports.pdf import soffice
from cchc.reports.period_report.docx import render_period_report_docx
from cchc.reports.period_report.pdf import render_period_report_pdf
from cchc.reports.period_report.xlsx import render_period_report_xlsx
from cchc.stats.selectors import period_statistics

from .drilldown import DrillDownForm, dossiers_behind, stored_count
from .forms import ExportForm, PeriodForm, default_period_data, period_cutoff
from .statistics import DOSSIER_COLUMNS, build_tables, header_rows, level_label
from .trends import RATES, trends

INDENT = "\u2003"  # an em space per level of the tree in the unit picker
PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told how many objects there are (None: it counts them)."""

    def __init__(self, object_list, per_page, known: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return super().count if self.known is None else self.known


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


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


@dataclass
class Selection:
    """The unit (of the user's subtree) and the period a page is about, read from the query."""

    unit: Unit
    form: PeriodForm

    @property
    def period(self):
        return self.form.period

    @cached_property
    def query(self) -> dict[str, str]:
        """The query parameters that choose this unit and period again."""
        return {"unit": self.unit.code, **self.form.query()}

    @property
    def query_string(self) -> str:
        return urlencode(self.query)


def select(request: HttpRequest) -> Selection | None:
    """The page's unit and period form; None for a user who has no unit to see. The period
    defaults to the report that covers the subtree's latest dossiers."""
    root = home_unit(request.user)
    if root is None:
        return None
    unit = chosen_unit(request, root)
    today = timezone.localdate()
    cutoff = period_cutoff(unit)
    data = request.GET.dict()
    if "kind" not in data:
        data.update(default_period_data(latest_activity(unit, today), cutoff))
    return Selection(unit, PeriodForm(data, cutoff=cutoff, today=today))


def selected_period(request: HttpRequest) -> Selection:
    """The unit and a valid period of a page that a link leads to (drill-down, trends,
    exports): a link that names none is not found."""
    selection = select(request)
    if selection is None or not selection.form.is_valid():
        raise Http404(_("Không tìm thấy đơn vị hoặc kỳ báo cáo."))
    return selection


@login_required
def home(request: HttpRequest) -> HttpResponse:
    selection = select(request)
    if selection is None:
        return render(request, "web/no_unit.html", status=200)
    unit, form = selection.unit, selection.form
    subtree = list(Unit.objects.subtree_of(unit).select_related("level"))
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
            dossier_columns=DOSSIER_COLUMNS,
            dossier_headers=header_rows(DOSSIER_COLUMNS),
            problems=ensure_valid(stats, allow_invalid=True),
            drill_query=selection.query,
            query_string=selection.query_string,
            export_form=ExportForm(),
            pdf_available=soffice() is not None,
        )
    template = "web/_report.html" if request.htmx else "web/home.html"
    return render(request, template, context)


def _drilldown(request: HttpRequest) -> tuple[Selection, DrillDownForm]:
    selection = selected_period(request)
    drill = DrillDownForm(request.GET)
    if not drill.is_valid():
        raise Http404(_("Không có số liệu này."))
    return selection, drill


@login_required
@require_GET
def dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure of the statistics page, a page at a time."""
    selection, drill = _drilldown(request)
    unit, period, part = selection.unit, selection.period, drill.part
    qs = dossiers_behind(unit, period.start, period.end, drill.cleaned_data["count"], part)
    # Newest first. By the day first (received_date is received_at's day): the database then
    # walks the index on that day back from the period's end, and stops after a page.
    qs = qs.select_related("unit", "field", "procedure").order_by(
        "-received_date", "-received_at", "-pk"
    )
    # How many: the figure the link came from when the subtree's counts are stored (the same
    # conditions, so the same number), else counted.
    known = stored_count(unit, period.start, period.end, drill.cleaned_data["count"], part)
    page = CountedPaginator(qs, PAGE_SIZE, known).get_page(request.GET.get("page"))
    level = UnitLevel.objects.filter(name=part.level).first() if part.level else None
    filters = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "web/dossiers.html",
        {
            "unit": unit,
            "period": period,
            "drill": drill,
            "part": part,
            "level_label": level_label(level) if level else part.level,
            "page": page,
            "rows": [(d, state_at_end(d, period.end)) for d in page.object_list],
            "query_string": selection.query_string,
            "filter_string": urlencode(filters),
        },
    )


def state_at_end(dossier: Dossier, end: dt.date) -> tuple[str, str]:
    """(css class, label) of a dossier's state on the period's last day, as the statistics
    count it (annotate_state_at gave paused_at_end and not_due_at_end)."""
    if dossier.ended_date is not None and dossier.ended_date <= end:
        if dossier.outcome == "resolved":
            return "ok", _("Đã giải quyết") + f" · {dossier.get_timeliness_display().lower()}"
        return "muted", dossier.get_outcome_display()
    if dossier.paused_at_end:
        return "warn", _("Tạm dừng, chờ bổ sung")
    if dossier.not_due_at_end:
        return "", _("Đang giải quyết, chưa đến hạn")
    return "bad", _("Đang giải quyết, quá hạn")


@login_required
@require_GET
def dossiers_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The same dossiers as the list, in the exchange CSV (import format), streamed."""
    selection, drill = _drilldown(request)
    period = selection.period
    count = drill.cleaned_data["count"]
    qs = dossiers_behind(selection.unit, period.start, period.end, count, drill.part)
    response = StreamingHttpResponse(csv_lines(qs), content_type="text/csv; charset=utf-8")
    name = f"ho-so-{selection.unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{count}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def trends_view(request: HttpRequest) -> HttpResponse:
    """Charts of the rates by month and the ranking of the subordinate units (the statistics
    page loads it after itself; without JavaScript it is a page of its own)."""
    selection = selected_period(request)
    unit = selection.unit
    result = trends(unit, selection.period, selection.form.cutoff, request.GET.get("rank_by", ""))
    context = {
        "unit": unit,
        "period": selection.period,
        "trends": result,
        "rates": [(key, title) for key, title, *_rest in RATES],
        "query_string": selection.query_string,
    }
    template = "web/_trends.html" if request.htmx else "web/trends.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report of the page's unit and period as XLSX, DOCX or PDF. Figures that break
    rules of validate_stats are exported only once the user has confirmed it."""
    if fmt not in EXPORT_TYPES or (fmt == "pdf" and soffice() is None):
        raise Http404(_("Không có định dạng này."))
    selection = selected_period(request)
    unit, period = selection.unit, selection.form.document_period()
    form = ExportForm(request.GET)
    stats = period_statistics(unit, period.start, period.end)
    problems = ensure_valid(stats, allow_invalid=True)
    if not form.is_valid() or (problems and not form.cleaned_data["confirm"]):
        return render(
            request,
            "web/export_confirm.html",
            {
                "unit": unit,
                "period": period,
                "fmt": fmt,
                "form": form,
                "problems": problems,
                "query": selection.query,
                "query_string": selection.query_string,
            },
            status=400 if form.errors else 200,
        )
    allow_invalid = bool(problems)
    if fmt == "xlsx":
        data = render_period_report_xlsx(stats, unit, period, allow_invalid=allow_invalid)
    elif fmt == "docx":
        data = render_period_report_docx(
            stats, unit, period, allow_invalid=allow_invalid, **form.document_options()
        )
    else:
        data = render_period_report_pdf(
            stats, unit, period, allow_invalid=allow_invalid, **form.document_options()
        )
    response = HttpResponse(data, content_type=EXPORT_TYPES[fmt])
    name = f"bao-cao-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
