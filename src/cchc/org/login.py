"""Logging in, throttled: after too many failed attempts for a username or from an address, even
the right password is refused for a while (the web login and the admin's).

Counted atomically in the database (cchc.org.ratelimit), so every server process shares the count:
- per username (lower-cased): every attempt is counted *before* the password is checked, so
  simultaneous guesses cannot slip past the budget; a successful login forgets the count;
- per address: failed attempts are counted, and an address that spent its budget is refused
  before the password is checked (successes are not counted: an office behind one address
  logs many people in).
The budgets are settings: CCHC_LOGIN_MAX_FAILURES per username, CCHC_LOGIN_MAX_FAILURES_PER_IP
per address, both in windows of CCHC_LOGIN_WINDOW_SECONDS.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.client_address import client_address
from cchc.org import ratelimit

USER_SCOPE = "login-user"
IP_SCOPE = "login-ip"
DEFAULT_MAX_FAILURES = 5
DEFAULT_MAX_FAILURES_PER_IP = 30
DEFAULT_WINDOW_SECONDS = 900


def _budgets() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "CCHC_LOGIN_MAX_FAILURES", DEFAULT_MAX_FAILURES)),
        int(getattr(settings, "CCHC_LOGIN_MAX_FAILURES_PER_IP", DEFAULT_MAX_FAILURES_PER_IP)),
        int(getattr(settings, "CCHC_LOGIN_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)),
    )


def _address(request) -> str:
    return client_address(request)


def _identity(username: str) -> str:
    return (username or "").strip().lower()


class LoginThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def begin_attempt(request, username: str) -> None:
    """Count a login attempt for `username`; LoginThrottled when its or the address's budget
    is spent."""
    per_user, per_ip, seconds = _budgets()
    if ratelimit.used(IP_SCOPE, _address(request), seconds=seconds) >= per_ip:
        raise LoginThrottled(_retry_after(seconds))
    verdict = ratelimit.take(USER_SCOPE, _identity(username), limit=per_user, seconds=seconds)
    if not verdict.allowed:
        raise LoginThrottled(verdict.retry_after)


def attempt_failed(request) -> None:
    _per_user, per_ip, seconds = _budgets()
    ratelimit.take(IP_SCOPE, _address(request), limit=per_ip, seconds=seconds)


def attempt_succeeded(username: str) -> None:
    ratelimit.clear(USER_SCOPE, _identity(username))


def _retry_after(seconds: int) -> int:
    """Seconds until the current fixed window closes (ratelimit's windows)."""
    return max(1, math.ceil(seconds - timezone.now().timestamp() % seconds))


def throttled_message(retry_after: int) -> str:
    return _(
        "Đăng nhập sai quá nhiều lần. Vì an toàn, tạm thời không đăng nhập được; "
        "hãy thử lại sau %(minutes)d phút."
    ) % {"minutes": max(1, math.ceil(retry_after / 60))}


class ThrottledLoginMixin:
    """AuthenticationForm.clean with the attempt budgets around authenticate()."""

    throttled: LoginThrottled | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                begin_attempt(self.request, username)
            except LoginThrottled as exc:
                self.throttled = exc
                raise ValidationError(
                    throttled_message(exc.retry_after), code="too_many_attempts"
                ) from None
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                attempt_failed(self.request)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            attempt_succeeded(username)
        return self.cleaned_data


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The login page; a throttled attempt answers 429 with Retry-After."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        throttled = getattr(form, "throttled", None)
        if throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(throttled.retry_after)
        return response
