"""The one-stop pages (Bộ phận Một cửa) for officers: receiving, the work queues, the dossier
page with its actions, printing the paper forms and the tracking book (cchc.onestop.paper_forms).

Views stay thin: the services of cchc.dossiers decide what is allowed and write; a dossier
outside the person's subtree is not found, like one that does not exist.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.catalog.models import Field, Procedure
from cchc.dossiers import selectors, services
from cchc.dossiers.clock import legal_due
from cchc.dossiers.constants import Status
from cchc.dossiers.models import Dossier, DossierFile, FileKind
from cchc.dossiers.transitions import (
    TRANSITIONS,
    Action,
    ActionForbidden,
    DossierError,
    InvalidDossierInput,
    StaleDossier,
    allowed_actions,
    role_allows,
)
from cchc.downloads import stored_file_response
from cchc.limits import parse_id
from cchc.org.scopes import visible_units
from cchc.reports.pdf import soffice
from cchc.text import fold

from . import paper_forms
from .deadlines import deadline_of
from .forms import (
    ACTION_FORMS,
    ActionForm,
    DossierFilterForm,
    ReceiveForm,
    TrackingBookForm,
    choosable_procedures,
)
from .tracking import may_revoke_tracking, revoke_tracking_links, tracking_path

logger = logging.getLogger(__name__)

PAGE_SIZE = 30
SEARCH_LIMIT = 12
DETAIL_RELATED = (
    "unit",
    "handling_unit",
    "procedure",
    "field",
    "department",
    "assignee",
)

# The queues by their address in the URL, in the order of the tabs.
QUEUE_SLUGS = {
    "cua-toi": "mine",
    "sap-den-han": "due_soon",
    "qua-han": "overdue",
    "cho-bo-sung": "paused",
    "hom-nay": "received_today",
}
QUEUE_LABELS = {
    "mine": gettext_lazy("Hồ sơ của tôi"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": pgettext_lazy("hồ sơ đang giải quyết", "Quá hạn"),
    "paused": gettext_lazy("Chờ bổ sung"),
    "received_today": gettext_lazy("Tiếp nhận hôm nay"),
}
QUEUE_HINTS = {
    "mine": gettext_lazy("Hồ sơ đang giải quyết được phân công cho bạn."),
    "due_soon": gettext_lazy("Hồ sơ đang xử lý có hạn giải quyết trong 2 ngày làm việc tới."),
    "overdue": gettext_lazy(
        "Hồ sơ đang xử lý đã quá hạn giải quyết theo quy định (kể cả đã có thư xin lỗi)."
    ),
    "paused": gettext_lazy("Hồ sơ tạm dừng, chờ người nộp bổ sung, hoàn thiện."),
    "received_today": gettext_lazy("Hồ sơ tiếp nhận trong ngày hôm nay."),
}

# The paper forms (cchc.onestop.paper_forms) that can be printed from a dossier.
PRINT_KINDS = {
    "receipt": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "control_slip": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "supplement": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "rejection": gettext_lazy("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "apology": gettext_lazy("Văn bản xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": gettext_lazy("Thông báo dừng giải quyết hồ sơ"),
}
PRINT_FILE_NAMES = {
    "receipt": "giay-tiep-nhan",
    "control_slip": "phieu-kiem-soat",
    "supplement": "phieu-yeu-cau-bo-sung",
    "rejection": "phieu-tu-choi",
    "apology": "van-ban-xin-loi",
    "stop": "thong-bao-dung",
}
DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _pdf_available() -> bool:
    return soffice() is not None


# Codes are unique per receiving unit: where several units of a person's subtree gave the same
# code (imported from their old systems), the dossier's addresses name the unit: ?don-vi=CODE.
UNIT_PARAMETER = "don-vi"


def get_dossier(request: HttpRequest, code: str) -> Dossier:
    """The dossier with this code among those the person may see; 404 otherwise, and
    selectors.AmbiguousCode (answered by `choosing_the_unit`) when the code names several."""
    dossier = selectors.dossier_by_code(
        selectors.visible_dossiers(request.user).select_related(*DETAIL_RELATED),
        code,
        request.GET.get(UNIT_PARAMETER, ""),
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem."))
    return dossier


def unit_query(request: HttpRequest) -> str:
    """The query string that keeps naming the receiving unit on the dossier's next addresses."""
    unit_code = request.GET.get(UNIT_PARAMETER, "")
    return "?" + urlencode({UNIT_PARAMETER: unit_code}) if unit_code else ""


def dossier_page(request: HttpRequest, dossier: Dossier) -> str:
    return reverse("onestop:dossier", args=[dossier.code]) + unit_query(request)


def choosing_the_unit(view):
    """A dossier view that answers an ambiguous code with the list of units to choose from."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except selectors.AmbiguousCode as exc:
            units = visible_units(request.user).filter(code__in=exc.units).order_by("code")
            choices = [
                (
                    unit,
                    reverse("onestop:dossier", args=[exc.code])
                    + "?"
                    + urlencode({UNIT_PARAMETER: unit.code}),
                )
                for unit in units
            ]
            return render(
                request,
                "onestop/choose_unit.html",
                {"code": exc.code, "choices": choices},
                status=409,
            )

    return wrapper


def _attachment(data: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCUMENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# ---------------------------------------------------------------------------- lists


def _queue_tabs(counts: dict[str, int], current: str | None) -> list[dict]:
    return [
        {
            "slug": slug,
            "name": name,
            "label": QUEUE_LABELS[name],
            "count": counts[name],
            "current": name == current,
        }
        for slug, name in QUEUE_SLUGS.items()
    ]


def _filtered(request: HttpRequest, form: DossierFilterForm, queue: str | None, today):
    dossiers = selectors.search_dossiers(request.user, **form.search_kwargs())
    procedure = form.procedure_condition()
    if procedure is not None:
        dossiers = dossiers.filter(procedure)
    if queue is not None:
        # The queue's condition and order (selectors.queue) over the filtered dossiers.
        dossiers = dossiers & selectors.queue(request.user, queue, today)
    return dossiers


@login_required
@require_GET
def dossier_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """All the dossiers the person may see, or one work queue, filtered and a page at a time."""
    queue = None
    if slug is not None:
        queue = QUEUE_SLUGS.get(slug)
        if queue is None:
            raise Http404(_("Không có danh sách này."))
    today = timezone.localdate()
    counts = selectors.queue_counts(request.user, today)
    fields = list(Field.objects.order_by("name").values_list("pk", "name"))
    form = DossierFilterForm(request.GET or None, fields=fields)
    dossiers = _filtered(request, form, queue, today)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "queue": queue,
        "title": QUEUE_LABELS[queue] if queue else _("Tất cả hồ sơ"),
        "hint": QUEUE_HINTS[queue] if queue else "",
        "tabs": _queue_tabs(counts, queue),
        "queue_counts": counts,
        "form": form,
        "page": page,
        "rows": [(d, deadline_of(d, today)) for d in page.object_list],
        "filters": filters,
        "book_form": TrackingBookForm(),
        "today": today,
    }
    template = (
        "onestop/_list_results.html"
        if request.htmx and request.htmx.target == "results"
        else "onestop/list.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def queue_badges(request: HttpRequest) -> HttpResponse:
    """The navigation's queue counts, for pages whose view did not count them."""
    return render(
        request, "onestop/_nav.html", {"queue_counts": selectors.queue_counts(request.user)}
    )


# ---------------------------------------------------------------------------- receiving


def _appointment(procedure: Procedure | None, user):
    """The appointment a dossier received now would get, on the calendar of the person's unit
    (the receiving unit they may choose lies in its province)."""
    if procedure is None:
        return None
    return legal_due(procedure, timezone.now(), user.unit if user.unit_id else None)


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    """Receive a dossier (tiếp nhận hồ sơ) and go to its page to print the receipt."""
    status = 200
    if request.method == "POST":
        form = ReceiveForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                dossier = services.receive_dossier(actor=request.user, **form.service_kwargs())
            except (DossierError, ActionForbidden) as exc:
                form.add_error(None, exc.message)
            else:
                # The dossier page greets it with the buttons to print the receipt.
                return redirect(
                    reverse("onestop:dossier", args=[dossier.code]) + "?vua-tiep-nhan=1"
                )
        status = 400
    else:
        procedure = None
        pk = parse_id(request.GET.get("procedure", ""))
        if pk is not None:
            procedure = choosable_procedures(request.user).filter(pk=pk).first()
        form = ReceiveForm(user=request.user, procedure=procedure)
    # Without JavaScript the search box's own button asks this page again with ?q=: the
    # results are then links to ?procedure=.
    text = request.GET.get("q", "").strip() if request.method == "GET" else ""
    return render(
        request,
        "onestop/receive.html",
        {
            "text": text,
            "procedures": _search_procedures(request.user, text),
            "form": form,
            "procedure": form.chosen_procedure,
            "appointment": _appointment(form.chosen_procedure, request.user),
            "may_receive": role_allows(Action.RECEIVE, request.user),
            "show_errors": form.is_bound,
            "now": timezone.now(),
            "queue_counts": selectors.queue_counts(request.user),
        },
        status=status,
    )


@login_required
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """Procedures whose code or words match (accents optional: "ho tich" finds "Hộ tịch"),
    those of the person's own level first."""
    text = request.GET.get("q", "").strip()
    return render(
        request,
        "onestop/_procedure_results.html",
        {"procedures": _search_procedures(request.user, text), "text": text},
    )


def _search_procedures(user, text: str) -> list[Procedure]:
    if not text:
        return []
    level = user.unit.level.name if user.unit_id else ""
    # name_search holds the folded code, name and field: every word must be in it.
    matches = choosable_procedures(user)
    for word in fold(text).split():
        matches = matches.filter(name_search__contains=word)
    return list(
        matches.annotate(
            rank=Case(When(code__iexact=text, then=0), When(level=level, then=1), default=2)
        ).order_by("rank", "code")[:SEARCH_LIMIT]
    )


@login_required
@require_GET
def receive_panel(request: HttpRequest) -> HttpResponse:
    """The chosen procedure with its components and the appointment date, computed now from
    the working calendar; re-drawn when the applicant's ID number changes (digitised results
    of the same applicant can be reused)."""
    if request.GET.get("keep") == "1":
        form = ReceiveForm(request.GET, user=request.user)
    else:
        form = ReceiveForm(
            user=request.user,
            initial={
                "procedure": request.GET.get("procedure", ""),
                "applicant_id_number": request.GET.get("applicant_id_number", ""),
            },
        )
    return render(
        request,
        "onestop/_receive_panel.html",
        {
            "form": form,
            "procedure": form.chosen_procedure,
            "appointment": _appointment(form.chosen_procedure, request.user),
            "show_errors": False,
            "now": timezone.now(),
        },
    )


# ---------------------------------------------------------------------------- the dossier


def _print_kinds(dossier: Dossier) -> list[tuple[str, str]]:
    """The official forms that make sense for the dossier as it stands."""
    kinds = ["receipt", "control_slip"]
    if dossier.ever_paused:
        kinds.append("supplement")
    if dossier.status == Status.NOT_ACCEPTED:
        kinds.append("rejection")
    if dossier.appointment_at is not None:
        kinds.append("apology")
    if dossier.status == Status.STOPPED:
        kinds.append("stop")
    return [(kind, PRINT_KINDS[kind]) for kind in kinds]


def render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    *,
    failed: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The dossier page: details, timeline, pauses, papers, files and the allowed actions."""
    today = timezone.localdate()
    events = list(
        dossier.events.select_related("actor", "from_unit", "to_unit").order_by("at", "pk")
    )
    for event in events:
        # The papers a supplement request asked for (a template cannot read data["items"]).
        event.asked_for = event.data.get("items") or []
    pauses = list(dossier.pauses.order_by("started_at")) if dossier.ever_paused else []
    components = list(dossier.components.all())
    scans: dict[int | None, list[DossierFile]] = defaultdict(list)
    results = []
    for stored in dossier.files.order_by("pk"):
        if stored.kind == FileKind.RESULT:
            results.append(stored)
        else:
            scans[stored.component_id].append(stored)
    # One button per action of the registry the person may take now, with its form.
    actions = []
    for action in allowed_actions(dossier, request.user):
        form_class = ACTION_FORMS[action]
        if failed is not None and failed.action == action:
            form = failed
        elif form_class.loaded_when_opened:
            form = None
        else:
            form = form_class(dossier=dossier)
        actions.append(
            {
                "action": action,
                "form": form,
                "open": failed is not None and failed.action == action,
                "danger": TRANSITIONS[action].danger,
            }
        )
    counts = selectors.queue_counts(request.user, today)
    context = {
        "dossier": dossier,
        "unit_query": unit_query(request),
        "deadline": deadline_of(dossier, today),
        "events": events,
        "pauses": pauses,
        "components": [(c, scans.get(c.pk, [])) for c in components],
        "loose_scans": scans.get(None, []),
        "results": results,
        "actions": actions,
        "print_kinds": _print_kinds(dossier),
        "pdf_available": _pdf_available(),
        "just_received": request.GET.get("vua-tiep-nhan") == "1",
        "tracking_path": tracking_path(dossier),
        "may_revoke_tracking": may_revoke_tracking(request.user),
        "queue_counts": counts,
        "tabs": _queue_tabs(counts, None),
    }
    return render(request, "onestop/dossier.html", context, status=status)


@login_required
@require_GET
@choosing_the_unit
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render_dossier(request, get_dossier(request, code))


def _action_of(name: str) -> Action:
    try:
        action = Action(name)
    except ValueError:
        raise Http404(_("Không có thao tác này.")) from None
    if action not in ACTION_FORMS:
        raise Http404(_("Không có thao tác này."))
    return action


@login_required
@require_http_methods(["GET", "POST"])
@choosing_the_unit
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One action of the state machine on the dossier (GET: its form, loaded when opened)."""
    act = _action_of(action)
    dossier = get_dossier(request, code)
    form_class = ACTION_FORMS[act]
    if request.method == "GET":
        allowed = act in allowed_actions(dossier, request.user)
        context = {
            "dossier": dossier,
            "item": {"action": act, "form": form_class(dossier=dossier) if allowed else None},
            "allowed": allowed,
            "unit_query": unit_query(request),
        }
        if request.htmx:
            return render(request, "onestop/_action_form.html", context)
        return render(request, "onestop/action.html", context)

    form = form_class(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        messages.error(request, _("Thông tin nhập chưa hợp lệ, vui lòng kiểm tra lại."))
        return render_dossier(request, dossier, failed=form, status=400)
    try:
        changed = TRANSITIONS[act].service(dossier, actor=request.user, **form.service_kwargs())
    except StaleDossier as exc:
        # Somebody else changed it: show the dossier as it is now; nothing was written.
        messages.error(request, exc.message)
        return render_dossier(request, get_dossier(request, code), status=409)
    except ActionForbidden as exc:
        messages.error(request, exc.message)
        return render_dossier(request, dossier, status=403)
    except DossierError as exc:
        # Input the service refused (400), or a step the dossier's status does not allow (409).
        messages.error(request, exc.message)
        status = 400 if isinstance(exc, InvalidDossierInput) else 409
        return render_dossier(request, dossier, failed=form, status=status)
    messages.success(
        request,
        _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.")
        % {"action": act.label, "code": changed.code},
    )
    return HttpResponseRedirect(dossier_page(request, changed), status=303)


@login_required
@require_GET
@choosing_the_unit
def dossier_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A digitised copy of a paper or of the result, to people who may see the dossier."""
    dossier = get_dossier(request, code)
    stored = DossierFile.objects.filter(dossier=dossier, pk=pk).first()
    if stored is None:
        raise Http404(_("Không tìm thấy tệp."))
    return stored_file_response(stored.file, stored.original_name)


@login_required
@require_POST
@choosing_the_unit
def revoke_tracking(request: HttpRequest, code: str) -> HttpResponse:
    """Revoke the dossier's QR links (a lost receipt): the next printed receipt has a new one."""
    dossier = get_dossier(request, code)
    try:
        revoke_tracking_links(dossier, actor=request.user)
    except ActionForbidden as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Đã thu hồi mã QR tra cứu đã cấp cho hồ sơ %(code)s; "
                "hãy in lại giấy tiếp nhận để có mã mới."
            )
            % {"code": dossier.code},
        )
    return HttpResponseRedirect(dossier_page(request, dossier), status=303)


# ---------------------------------------------------------------------------- printing


@login_required
@require_GET
@choosing_the_unit
def print_form(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    """A paper form of the dossier as DOCX or PDF (cchc.onestop.paper_forms)."""
    if kind not in PRINT_KINDS or fmt not in ("docx", "pdf"):
        raise Http404(_("Không có biểu mẫu này."))
    dossier = get_dossier(request, code)
    back = dossier_page(request, dossier)
    try:
        if fmt == "docx":
            data = paper_forms.render_form(kind, dossier, actor=request.user)
        else:
            data = paper_forms.render_form_pdf(kind, dossier, actor=request.user)
    except ValueError as exc:
        # A form that does not apply to the dossier as it stands (the module says why).
        messages.error(request, str(exc))
        return redirect(back)
    except Exception:
        # Printing must never cost the officer the page: log it and say so.
        logger.exception("printing %s of %s failed", kind, dossier.code)
        messages.error(
            request,
            _("Không tạo được “%(form)s” cho hồ sơ %(code)s.")
            % {"form": PRINT_KINDS[kind], "code": dossier.code},
        )
        return redirect(back)
    if data is None:
        messages.error(
            request,
            _("Máy chủ chưa tạo được tệp PDF (thiếu LibreOffice); hãy tải bản DOCX."),
        )
        return redirect(back)
    return _attachment(data, fmt, f"{PRINT_FILE_NAMES[kind]}-{dossier.code}")


@login_required
@require_GET
def tracking_book(request: HttpRequest) -> HttpResponse:
    """The tracking book (sổ theo dõi hồ sơ) of the person's unit for a period, as XLSX."""
    form = TrackingBookForm(request.GET)
    code = request.GET.get("unit", "").strip()
    unit = visible_units(request.user).filter(code=code).first() if code else request.user.unit
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem."))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("onestop:list")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    data = paper_forms.render_tracking_book(unit, start, end)
    return _attachment(data, "xlsx", f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}")
