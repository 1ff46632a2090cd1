"""The public status page of a dossier (tra cứu hồ sơ), for citizens and businesses, no login.

Found by code and phone number, or by the signed link of the receipt's QR code. One message
for every miss and budgets of attempts per IP address and per code (tracking.take_attempt)
keep codes from being enumerated.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cchc.dossiers.constants import Status

from . import tracking


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại người nộp"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def not_found_message() -> str:
    return _(
        "Không tìm thấy hồ sơ khớp với mã hồ sơ và số điện thoại đã nhập. "
        "Vui lòng kiểm tra lại thông tin trên giấy tiếp nhận."
    )


def too_many_message(verdict) -> str:
    if verdict.scope == "track-code":
        limit, seconds = tracking.code_rate()
        return _(
            "Mã hồ sơ này đã được tra cứu quá %(limit)d lần trong %(minutes)d phút. "
            "Vui lòng thử lại sau ít phút."
        ) % {"limit": limit, "minutes": seconds // 60}
    limit, seconds = tracking.rate()
    return _(
        "Bạn đã tra cứu quá %(limit)d lần trong %(minutes)d phút. Vui lòng thử lại sau ít phút."
    ) % {"limit": limit, "minutes": seconds // 60}


def _too_many(request: HttpRequest, form, verdict) -> HttpResponse:
    response = _form_page(request, form, too_many_message(verdict), status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _status_page(request: HttpRequest, dossier, *, status: int = 200) -> HttpResponse:
    open_pause = dossier.open_pauses[0] if dossier.open_pauses else None
    steps = [
        event
        for event in dossier.events.all()
        if event.to_status and event.to_status != event.from_status
    ]
    return render(
        request,
        "onestop/track_result.html",
        {
            "dossier": dossier,
            "applicant": tracking.masked_name(dossier.applicant_name),
            "open_pause": open_pause if dossier.status == Status.SUPPLEMENT else None,
            "steps": steps,
            "link": request.build_absolute_uri(tracking.tracking_path(dossier)),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Look a dossier up by its code and the applicant's phone number, or open the receipt's
    QR link (?t=<signed token>)."""
    if request.method == "GET":
        token = request.GET.get(tracking.TOKEN_PARAMETER, "")
        if token:
            return _track_signed(request, token)
        return render(request, "onestop/track.html", {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    verdict = tracking.take_attempt(request, request.POST.get("code", ""))
    if not verdict.allowed:
        return _too_many(request, form, verdict)
    dossier = None
    if form.is_valid():
        dossier = tracking.find_by_code_and_phone(
            form.cleaned_data["code"], form.cleaned_data["phone"]
        )
    if dossier is None:
        return _form_page(request, form, not_found_message())
    return _status_page(request, dossier)


def _form_page(request: HttpRequest, form, error: str, *, status: int = 200) -> HttpResponse:
    return render(request, "onestop/track.html", {"form": form, "error": error}, status=status)


def _track_signed(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt's QR link: the signed code opens the status page directly."""
    dossier = tracking.find_by_token(token)
    if dossier is not None:
        return _status_page(request, dossier)
    # A forged or damaged link counts against the budget like a wrong code.
    verdict = tracking.take_attempt(request)
    if not verdict.allowed:
        return _too_many(request, TrackingForm(), verdict)
    return _form_page(
        request,
        TrackingForm(),
        _("Đường dẫn tra cứu không hợp lệ. Hãy nhập mã hồ sơ và số điện thoại."),
    )
