"""What every REST endpoint shares: authentication order, JSON errors, pagination, parameters.

Errors answer `{"code": <English machine code>, "detail": <Vietnamese message>}`; validation
errors add `errors` with the per-field messages.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cchc.errors import ErrorCode
from cchc.limits import BIGINT_MAX, form_values, unstorable, unstorable_message

# DRF's own messages are English or generic; these replace them.
MESSAGES = {
    ErrorCode.NOT_AUTHENTICATED: gettext_lazy(
        "Chưa xác thực: hãy đăng nhập hoặc gửi mã truy cập (Authorization: Token …)."
    ),
    ErrorCode.AUTHENTICATION_FAILED: gettext_lazy(
        "Thông tin xác thực không hợp lệ hoặc đã hết hiệu lực."
    ),
    ErrorCode.PERMISSION_DENIED: gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    ErrorCode.NOT_FOUND: gettext_lazy("Không tìm thấy hoặc bạn không có quyền xem."),
    ErrorCode.METHOD_NOT_ALLOWED: gettext_lazy(
        "Phương thức %(method)s không được hỗ trợ ở địa chỉ này."
    ),
    ErrorCode.NOT_ACCEPTABLE: gettext_lazy(
        "Không trả được dữ liệu theo định dạng yêu cầu (Accept)."
    ),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: gettext_lazy("Kiểu dữ liệu gửi lên không được hỗ trợ."),
    ErrorCode.PARSE_ERROR: gettext_lazy("Dữ liệu gửi lên không đọc được."),
    ErrorCode.THROTTLED: gettext_lazy("Quá nhiều yêu cầu; hãy thử lại sau."),
    ErrorCode.INVALID: gettext_lazy("Dữ liệu không hợp lệ."),
}
# Our own code raises these with a Vietnamese message worth keeping.
KEEP_GIVEN_DETAIL = {ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_FOUND}


class Conflict(exceptions.APIException):
    """409: the request clashes with the object's current state (changed meanwhile, or a
    transition its status does not allow)."""

    status_code = 409
    default_code = ErrorCode.CONFLICT
    default_detail = gettext_lazy("Thao tác không phù hợp với trạng thái hiện tại của dữ liệu.")


class BadRequest(exceptions.APIException):
    """400 with a machine code of its own (not a per-field validation error)."""

    status_code = 400
    default_code = ErrorCode.BAD_REQUEST
    default_detail = gettext_lazy("Yêu cầu không hợp lệ.")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, reshaped into `{code, detail}` with Vietnamese details."""
    if isinstance(exc, Http404):
        # Django's message names the model and the query: say nothing about what exists.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": ErrorCode.INVALID,
            "detail": str(MESSAGES[ErrorCode.INVALID]),
            "errors": exc.detail,
        }
        return response
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = str(exc.detail) if not isinstance(exc.detail, list | dict) else str(exc.default_detail)
    given = detail != str(exc.default_detail)
    if code in MESSAGES and not (given and code in KEEP_GIVEN_DETAIL):
        request = context.get("request")
        detail = str(MESSAGES[code]) % {"method": getattr(request, "method", "")}
    response.data = {"code": code, "detail": detail}
    return response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class StorableParser:
    """A REST parser whose parsed body is refused (400) when any text in it, a key or an
    uploaded file's name holds a character no column can store."""

    def __init__(self, parser) -> None:
        self.parser = parser

    def __getattr__(self, name: str):
        return getattr(self.parser, name)

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = self.parser.parse(stream, media_type, parser_context)
        if unstorable(form_values(parsed)):
            raise BadRequest(unstorable_message(), code=ErrorCode.UNSTORABLE_CHARACTER)
        return parsed


class ApiViewMixin:
    """Our pagination and JSON error shape everywhere. Authentication is the settings' default:
    token first, so an unauthenticated call answers 401 with `WWW-Authenticate: Token`."""

    pagination_class = Pagination

    def get_exception_handler(self):
        return exception_handler

    def get_parsers(self):
        # A body holding a character no column can store is refused when it is parsed.
        return [StorableParser(parser) for parser in super().get_parsers()]


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (for the OpenAPI schema)."""

    code = serializers.CharField(help_text="English machine code, e.g. not_found")
    detail = serializers.CharField(help_text="Vietnamese message for people")


def date_param(request: Request, name: str) -> dt.date | None:
    """An optional ISO date query parameter; 400 when it is not one."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise exceptions.ValidationError(
            {name: [_("Ngày %(value)r không hợp lệ (cần dạng YYYY-MM-DD).") % {"value": text}]}
        ) from None


# The schema of a query parameter that int_param reads as an id.
ID_PARAMETER = {"type": "integer", "format": "int64", "minimum": 0, "maximum": BIGINT_MAX}


def int_param(request: Request, name: str, max_value: int = BIGINT_MAX) -> int | None:
    """An optional integer query parameter (an id unless told): 400 when it is not a whole
    number from 0 to `max_value` in ASCII digits."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise exceptions.ValidationError(
            {name: [_("Giá trị %(value)r không phải số nguyên dương.") % {"value": text}]}
        )
    number = int(text)
    if number > max_value:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Giá trị %(value)s quá lớn (tối đa %(max)s).")
                    % {"value": text, "max": max_value}
                ]
            }
        )
    return number


def choice_params(request: Request, name: str, choices: list[str]) -> list[str]:
    """A query parameter that may repeat or hold a comma-separated list of choices."""
    values = [
        v.strip() for raw in request.query_params.getlist(name) for v in raw.split(",") if v.strip()
    ]
    wrong = [v for v in values if v not in choices]
    if wrong:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Giá trị %(value)r không hợp lệ (cần một trong: %(allowed)s).")
                    % {"value": wrong[0], "allowed": ", ".join(choices)}
                ]
            }
        )
    return values
