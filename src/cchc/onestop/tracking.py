"""Public tracking of a dossier (tra cứu hồ sơ) without login.

A dossier is found only by its code together with the applicant's phone number, or by the
signed link printed as a QR code on the receipt. Wrong codes and wrong phones get the same
answer, and each IP address and each code has a small budget of attempts, counted atomically
in the database (cchc.ratelimit), so nobody can enumerate dossiers or try phones for one code.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from cchc import ratelimit
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause

# Shared with the receipt's QR code (cchc.reports.forms.public_status_url): /tra-cuu/?t=<token>.
SALT = "cchc.track"
TOKEN_PARAMETER = "t"
# (attempts, seconds): 10 tries per 10 minutes per IP address unless the settings say otherwise.
DEFAULT_RATE = (10, 600)
# (attempts, seconds) per dossier code from all addresses together: guessing a code's phone
# from many addresses is bounded too.
DEFAULT_CODE_RATE = (10, 600)


def rate() -> tuple[int, int]:
    return getattr(settings, "CCHC_TRACKING_RATE", DEFAULT_RATE)


def code_rate() -> tuple[int, int]:
    return getattr(settings, "CCHC_TRACKING_CODE_RATE", DEFAULT_CODE_RATE)


def tracking_token(code: str) -> str:
    """The signed token of a dossier code: it proves the link was issued by us."""
    return signing.dumps({"code": code}, salt=SALT)


def tracking_path(dossier: Dossier) -> str:
    """The public status page of a dossier, as printed in the receipt's QR code."""
    return f"{reverse('track')}?{urlencode({TOKEN_PARAMETER: tracking_token(dossier.code)})}"


def code_of_token(token: str) -> str | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) else None


def normalise_phone(phone: str) -> str:
    """Digits only, +84/84 written as the leading 0: "+84 912.345.678" → "0912345678"."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def take_attempt(request, code: str = "") -> ratelimit.Verdict:
    """Count one lookup attempt of the request's IP address and, when given, of the code; not
    allowed once either budget is spent (the verdict's scope says which: "track-ip" or
    "track-code").

    Fixed windows; an attempt refused for its address does not count against the code.
    """
    limit, seconds = rate()
    verdict = ratelimit.take("track-ip", client_ip(request), limit=limit, seconds=seconds)
    code = normalise_code(code)
    if not verdict.allowed or not code:
        return verdict
    limit, seconds = code_rate()
    return ratelimit.take("track-code", code, limit=limit, seconds=seconds)


def _public(queryset):
    return queryset.select_related("unit", "procedure").prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.order_by("at", "pk")),
        Prefetch(
            "pauses",
            queryset=DossierPause.objects.filter(resumed_at__isnull=True),
            to_attr="open_pauses",
        ),
    )


def find_by_code_and_phone(code: str, phone: str) -> Dossier | None:
    """The dossier with this code whose applicant's phone is `phone`; None otherwise, whether
    the code or the phone is wrong."""
    code, wanted = normalise_code(code), normalise_phone(phone)
    if not code or len(wanted) < 8:
        return None
    dossier = _public(Dossier.objects.filter(code__iexact=code)).first()
    recorded = normalise_phone(dossier.applicant_phone) if dossier is not None else ""
    if not constant_time_compare(recorded or "\0", wanted):
        return None
    return dossier


def find_by_token(token: str) -> Dossier | None:
    code = code_of_token(token)
    if code is None:
        return None
    return _public(Dossier.objects.filter(code=code)).first()


def masked_name(name: str) -> str:
    """The applicant's name as the public page shows it: "Nguyễn Văn An" → "Nguyễn *** An"."""
    words = name.split()
    if len(words) <= 1:
        return (words[0][:1] + "***") if words else ""
    return f"{words[0]} *** {words[-1]}"
