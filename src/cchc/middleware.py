"""Vietnamese first: the UI speaks Vietnamese unless the user picked English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose
browser is set to English would get an English UI they never asked for.

And a write that met a busy database or a simultaneous writer is a clean retry answer.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.errors import ErrorCode

logger = logging.getLogger("cchc.retry")


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --------------------------------------------------------------- writes that may be retried

# SQLSTATEs of PostgreSQL's transient failures: serialization failure, deadlock, lock not
# available; and of the constraint violations a race between two writers causes.
_PG_BUSY = {"40001", "40P01", "55P03"}
_PG_RACE = {"23505", "23503"}  # unique, foreign key
RETRY_AFTER_SECONDS = 2


@dataclass(frozen=True)
class RetryAnswer:
    status: int
    code: ErrorCode  # of the API answer
    message: str  # for people


def retry_answer(exc: BaseException) -> RetryAnswer | None:
    """The answer to a database error that the same request may not meet again: the database
    was busy beyond its timeout (503), or another writer took the same number or row first
    (409). None for every other error (a real fault: it stays a server error)."""
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    text = str(exc).lower()
    if isinstance(exc, OperationalError) and (
        sqlstate in _PG_BUSY or "database is locked" in text or "database table is locked" in text
    ):
        return RetryAnswer(
            503,
            ErrorCode.DATABASE_BUSY,
            _("Hệ thống đang bận ghi dữ liệu; chưa có thay đổi nào được ghi. Vui lòng thử lại."),
        )
    if isinstance(exc, IntegrityError) and (
        sqlstate in _PG_RACE
        or text.startswith("unique constraint failed")
        or text.startswith("foreign key constraint failed")
    ):
        return RetryAnswer(
            409,
            ErrorCode.WRITE_CONFLICT,
            _(
                "Dữ liệu vừa được người khác thay đổi cùng lúc; chưa có thay đổi nào được ghi. "
                "Vui lòng tải lại trang và thử lại."
            ),
        )
    return None


class DatabaseRetryMiddleware:
    """A write that met a busy database or a simultaneous writer answers 503/409 with
    Retry-After and a message (JSON `{code, detail}` for the API), never a server error."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc: Exception):
        answer = retry_answer(exc)
        if answer is None:
            return None
        logger.warning("%s on %s: %s", answer.code, request.path, exc)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"code": answer.code, "detail": str(answer.message)}, status=answer.status
            )
        else:
            response = render(
                request, "retry.html", {"message": answer.message}, status=answer.status
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
