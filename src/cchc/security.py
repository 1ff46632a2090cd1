"""The secret key: refused in production when it is the published development key or weak.

Everything signed (sessions, CSRF, password-reset links, the receipts' QR links) is only as
secret as SECRET_KEY. settings.py refuses to load when DEBUG is off and the key is unfit, so
no server, worker or command starts with it; the system check cchc.E001 says the same for
settings assembled another way (a module importing ours and turning DEBUG off afterwards).

This module must not import django.conf.settings at import time: settings.py imports it.
"""

from __future__ import annotations

# Published in the source: fine on a developer's machine, never with DEBUG off.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(key: str | None) -> str | None:
    """Why `key` is unfit for production, in Vietnamese; None when it is fit."""
    key = key or ""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "SECRET_KEY đang là khóa phát triển đã công bố."
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY quá ngắn ({len(key)} ký tự, cần ít nhất {MIN_LENGTH})."
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"SECRET_KEY có quá ít ký tự khác nhau (cần ít nhất {MIN_UNIQUE_CHARACTERS})."
    return None


def refusal(problem: str) -> str:
    return (
        f"{problem} Khi DEBUG tắt, hãy đặt biến môi trường SECRET_KEY là một chuỗi ngẫu nhiên "
        "dài (ví dụ: python -c 'import secrets; print(secrets.token_urlsafe(64))'). "
        "(Refusing to start: SECRET_KEY is the development key or weak while DEBUG is off.)"
    )


def check_secret_key(app_configs=None, **kwargs) -> list:
    """System check cchc.E001 (registered by the org app): an unfit key with DEBUG off."""
    from django.conf import settings
    from django.core.checks import Error

    if settings.DEBUG:
        return []
    problem = secret_key_problem(getattr(settings, "SECRET_KEY", ""))
    if problem is None:
        return []
    return [Error(refusal(problem), id="cchc.E001")]
