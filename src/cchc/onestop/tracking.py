"""Public tracking of a dossier (tra cứu hồ sơ) without login.

A dossier is found only by its code together with the applicant's phone number, or by the
signed link printed as a QR code on the receipt. Wrong codes and wrong phones get the same
answer, and each IP address and each code has a small budget of attempts, counted atomically
in the database (cchc.org.ratelimit), so nobody can enumerate dossiers or try phones for one code.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from cchc.client_address import client_address
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause
from cchc.org import ratelimit
from cchc.org.constants import Role

# Shared with the receipt's QR code (cchc.onestop.paper_forms.public_status_url): /tra-cuu/?t=<token>.
SALT = "cchc.track"
TOKEN_PARAMETER = "t"
# A QR link is valid this long after it was issued unless CCHC_QR_TOKEN_MAX_AGE_DAYS says
# otherwise; a dossier's links can be revoked before (revoke_tracking_links).
DEFAULT_TOKEN_MAX_AGE_DAYS = 365
REVOKING_ROLES = (Role.OFFICER, Role.LEADER, Role.ADMIN)
# (attempts, seconds): 10 tries per 10 minutes per IP address unless the settings say otherwise.
DEFAULT_RATE = (10, 600)
# (attempts, seconds) per dossier code from all addresses together: guessing a code's phone
# from many addresses is bounded too.
DEFAULT_CODE_RATE = (10, 600)


def rate() -> tuple[int, int]:
    return getattr(settings, "CCHC_TRACKING_RATE", DEFAULT_RATE)


def code_rate() -> tuple[int, int]:
    return getattr(settings, "CCHC_TRACKING_CODE_RATE", DEFAULT_CODE_RATE)


def token_max_age() -> int:
    """Seconds a QR link stays valid after it was issued (CCHC_QR_TOKEN_MAX_AGE_DAYS)."""
    return int(getattr(settings, "CCHC_QR_TOKEN_MAX_AGE_DAYS", DEFAULT_TOKEN_MAX_AGE_DAYS)) * 86400


def tracking_token(dossier: Dossier) -> str:
    """The signed, timestamped token of a dossier: it proves the link was issued by us, names
    the dossier itself (codes are unique per receiving unit only) and carries the dossier's
    `public_token_version`, so that raising it revokes every link issued before."""
    return signing.dumps(
        {"id": dossier.pk, "code": dossier.code, "v": dossier.public_token_version}, salt=SALT
    )


def tracking_path(dossier: Dossier) -> str:
    """The public status page of a dossier, as printed in the receipt's QR code."""
    return f"{reverse('track')}?{urlencode({TOKEN_PARAMETER: tracking_token(dossier)})}"


def claims_of_token(token: str) -> dict | None:
    """What a valid, unexpired token says (`id`, `code`, `v`); None for a forged, damaged or
    expired one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=token_max_age())
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None
    return data


def may_revoke_tracking(actor) -> bool:
    return actor.is_superuser or actor.role in REVOKING_ROLES


def revoke_tracking_links(dossier: Dossier, *, actor) -> Dossier:
    """Make every QR link issued for the dossier invalid (a lost or photographed receipt); the
    receipt printed next carries a new one. Only one-stop officers, leaders and unit admins of
    a unit that can act on the dossier may do it; the timeline records it."""
    from cchc.dossiers.constants import EventAction
    from cchc.dossiers.transitions import ActionForbidden, require_scope
    from cchc.errors import ErrorCode

    require_scope(actor, dossier)
    if not may_revoke_tracking(actor):
        raise ActionForbidden(
            _("Vai trò của bạn không được phép thu hồi mã QR tra cứu của hồ sơ."),
            code=ErrorCode.ROLE_NOT_ALLOWED,
        )
    with transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(
            public_token_version=F("public_token_version") + 1
        )
        dossier.refresh_from_db(fields=["public_token_version", "status"])
        DossierEvent.objects.create(
            dossier=dossier,
            at=timezone.now(),
            actor=actor,
            action=EventAction.UPDATED,
            from_status=dossier.status,
            to_status=dossier.status,
            note=_("Thu hồi mã QR tra cứu đã cấp"),
            data={"public_token_version": dossier.public_token_version},
        )
    return dossier


def normalise_phone(phone: str) -> str:
    """Digits only, +84/84 written as the leading 0: "+84 912.345.678" → "0912345678"."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def take_attempt(request, code: str = "") -> ratelimit.Verdict:
    """Count one lookup attempt of the request's IP address and, when given, of the code; not
    allowed once either budget is spent (the verdict's scope says which: "track-ip" or
    "track-code").

    Fixed windows; an attempt refused for its address does not count against the code.
    """
    limit, seconds = rate()
    verdict = ratelimit.take("track-ip", client_address(request), limit=limit, seconds=seconds)
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
    the code or the phone is wrong.

    Codes are unique per receiving unit: two units may have given the same code, and the
    phone tells which dossier is asked for (the latest received, if it is the same applicant's
    at both). Every candidate's phone is compared, so the time taken tells nothing either."""
    code, wanted = normalise_code(code), normalise_phone(phone)
    if not code or len(wanted) < 8:
        return None
    candidates = Dossier.objects.filter(code__iexact=code).order_by("-received_at", "-pk")
    found = None
    for pk, recorded in candidates.values_list("pk", "applicant_phone")[:20]:
        matches = constant_time_compare(normalise_phone(recorded) or "\0", wanted)
        if matches and found is None:
            found = pk
    if found is None:
        return None
    return _public(Dossier.objects.filter(pk=found)).first()


def find_by_token(token: str) -> Dossier | None:
    """The dossier of a valid QR link, unless its links were revoked since it was issued.

    Links issued before they named the dossier carry its code only: they open it while the
    code is unique and no link of it was revoked."""
    claims = claims_of_token(token)
    if claims is None:
        return None
    version = claims.get("v", 0)
    if "id" in claims:
        matches = Dossier.objects.filter(pk=claims["id"], code=claims["code"])
    else:
        matches = Dossier.objects.filter(code=claims["code"])
    found = list(_public(matches.filter(public_token_version=version))[:2])
    return found[0] if len(found) == 1 else None


def masked_name(name: str) -> str:
    """The applicant's name as the public page shows it: "Nguyễn Văn An" → "Nguyễn *** An"."""
    words = name.split()
    if len(words) <= 1:
        return (words[0][:1] + "***") if words else ""
    return f"{words[0]} *** {words[-1]}"
