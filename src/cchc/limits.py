"""What a column can hold, the same on every database: every input is checked against it.

SQLite takes any 64-bit number in a small-integer column and text of any length, and refuses
only numbers past 64 bits; PostgreSQL refuses a number past the column's range, text past its
length and any text with a NUL character. Checking the portable range once, here, gives the
same clear refusal on both instead of a stored 99999 on one and an HTTP 500 on the other.
Texts also go out in DOCX and XLSX files, whose XML holds no control character: one typed in
(a signer's name, an applicant's) would break every later export, so it is refused on input.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from cchc.errors import ErrorCode

# The largest id of a BigAutoField, and of any integer the databases compare with one.
BIGINT_MAX = 2**63 - 1
# NUL (PostgreSQL text cannot hold it), the other control characters but tab and line breaks
# (XML 1.0, hence DOCX and XLSX, cannot), a lone surrogate (not UTF-8) and U+FFFE, U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[0-9]{1,19}")


def integer_range(model: type[models.Model], name: str) -> tuple[int, int]:
    """The smallest and largest value of an integer column, whatever the database."""
    field = model._meta.get_field(name)
    low, high = BaseDatabaseOperations.integer_field_ranges.get(
        field.get_internal_type(), (-BIGINT_MAX - 1, BIGINT_MAX)
    )
    return low, high


def integer_bounds(model: type[models.Model], name: str) -> dict[str, int]:
    """`min_value` and `max_value` for a form or serializer field filling the column."""
    low, high = integer_range(model, name)
    return {"min_value": low, "max_value": high}


def decimal_limit(model: type[models.Model], name: str) -> Decimal:
    """The bound a decimal column's absolute value must stay under (10^16 for 20 digits, 4 of
    them decimals)."""
    field = model._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def max_length(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length


def unstorable(value: object) -> bool:
    """Whether a text, or any text inside lists and dicts (keys too), holds a character that a
    database column or an exported document cannot hold."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(unstorable(v) for v in value)
    return False


def unstorable_characters(text: str) -> list[str]:
    """The characters of `text` that `unstorable` refuses, in order."""
    return _UNSTORABLE.findall(text)


def parse_id(text: str) -> int | None:
    """An id typed in an address or a form (ASCII digits within 64 bits), or None."""
    text = text.strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= BIGINT_MAX else None


# ---------------------------------------------------------------------------- requests


def unstorable_message() -> str:
    return _(
        "Dữ liệu gửi lên có ký tự không lưu được (ký tự điều khiển như NUL, hoặc mã Unicode "
        "không hợp lệ); hãy bỏ ký tự đó và gửi lại."
    )


def form_values(data) -> object:
    """The texts of a parsed body: a QueryDict's every value, uploaded files' names."""
    if hasattr(data, "data") and hasattr(data, "files"):  # DRF's DataAndFiles (multipart)
        return [form_values(data.data), form_values(data.files)]
    if hasattr(data, "lists"):  # QueryDict, MultiValueDict
        return [[key, *(getattr(v, "name", v) for v in values)] for key, values in data.lists()]
    return data


def _refusal(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": ErrorCode.UNSTORABLE_CHARACTER, "detail": unstorable_message()}, status=400
        )
    return HttpResponseBadRequest(unstorable_message(), content_type="text/plain; charset=utf-8")


class UnstorableInputMiddleware:
    """Refuses with 400 and a message a request whose address, query, cookies or credentials
    hold a character no column can store (PostgreSQL raised an error from deep inside the
    query: HTTP 500). Web forms' bodies are checked before the view; the API checks its bodies
    when it parses them (cchc.api_common.StorableParser), within its own size limits."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if unstorable(
            [
                request.path,
                form_values(request.GET),
                dict(request.COOKIES),
                request.META.get("HTTP_AUTHORIZATION", ""),
            ]
        ):
            return _refusal(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from rest_framework.views import APIView

        rest_view = getattr(view_func, "cls", None)
        if request.method != "POST" or (
            isinstance(rest_view, type) and issubclass(rest_view, APIView)
        ):
            return None  # nothing posted, or a REST view (its parsers check)
        if unstorable([form_values(request.POST), form_values(request.FILES)]):
            return _refusal(request)
        return None
