"""The secret key and the API tokens (issue 8 item 5): no start in production with the published
or a weak SECRET_KEY; API tokens expire and can be revoked."""

from __future__ import annotations

import datetime as dt
import io
import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc import security
from cchc.security import DEVELOPMENT_SECRET_KEY, check_secret_key
from tests.factories import UserFactory

SETTINGS_FILE = security.__file__.replace("security.py", "settings.py")
GOOD_KEY = "k" + secrets.token_urlsafe(64)


def load_settings(monkeypatch, **env) -> dict:
    """settings.py run afresh with this environment (django.conf.settings is untouched)."""
    for name in ("DEBUG", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


@pytest.mark.parametrize(
    "key",
    [
        None,  # not set: the development key
        DEVELOPMENT_SECRET_KEY,
        "django-insecure-" + "x" * 50,
        "short-key",
        "ab" * 40,
    ],
)
def test_settings_refuse_an_unfit_key_with_debug_off(monkeypatch, key):
    from django.core.exceptions import ImproperlyConfigured

    env = {"DEBUG": "false"} | ({"SECRET_KEY": key} if key is not None else {})
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, **env)


def test_settings_accept_a_good_key_and_the_development_key_in_debug(monkeypatch):
    assert load_settings(monkeypatch, DEBUG="false", SECRET_KEY=GOOD_KEY)["SECRET_KEY"] == GOOD_KEY
    assert load_settings(monkeypatch)["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY


def test_the_system_check_reports_an_unfit_key_with_debug_off(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    assert [e.id for e in check_secret_key()] == ["cchc.E001"]
    settings.SECRET_KEY = GOOD_KEY
    assert check_secret_key() == []
    settings.DEBUG = True
    settings.SECRET_KEY = DEVELOPMENT_SECRET_KEY
    assert check_secret_key() == []


def test_check_deploy_runs_with_production_settings_and_a_proper_key(tmp_path):
    # Not the test session's own switches (the browser tests allow async-unsafe calls).
    dropped = ("DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env |= {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "cchc.example"}
    env["CCHC_HOME"] = str(tmp_path)
    (tmp_path / "var").mkdir()
    command = [sys.executable, "-m", "cchc", "check", "--deploy"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cchc.E001" not in done.stdout + done.stderr
    refused = subprocess.run(
        command,
        env=env | {"SECRET_KEY": DEVELOPMENT_SECRET_KEY},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "SECRET_KEY" in refused.stderr


# --- API tokens ------------------------------------------------------------------------


@pytest.fixture
def officer(tree):
    return UserFactory(username="xa1", unit=tree["P-D-1"])


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def age(token: Token, days: int) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=days))


def test_a_token_older_than_the_ttl_is_refused(officer, settings):
    settings.CCHC_API_TOKEN_TTL_DAYS = 30
    token = Token.objects.create(user=officer)
    assert api(token.key).get("/api/units/").status_code == 200
    age(token, 29)
    assert api(token.key).get("/api/units/").status_code == 200
    age(token, 31)
    response = api(token.key).get("/api/units/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "token_expired"
    assert "hết hạn" in body["detail"]


def test_a_ttl_of_zero_never_expires(officer, settings):
    settings.CCHC_API_TOKEN_TTL_DAYS = 0
    token = Token.objects.create(user=officer)
    age(token, 5000)
    assert api(token.key).get("/api/units/").status_code == 200


def test_create_api_token_replaces_an_expired_token(officer, settings):
    settings.CCHC_API_TOKEN_TTL_DAYS = 30
    out = io.StringIO()
    call_command("create_api_token", "xa1", stdout=out)
    first = out.getvalue().strip()
    out = io.StringIO()
    call_command("create_api_token", "xa1", stdout=out)
    assert out.getvalue().strip() == first
    age(Token.objects.get(key=first), 31)
    out = io.StringIO()
    call_command("create_api_token", "xa1", stdout=out)
    fresh = out.getvalue().strip()
    assert fresh != first
    assert api(fresh).get("/api/units/").status_code == 200


def test_create_api_token_revoke_withdraws_the_token(officer):
    token = Token.objects.create(user=officer)
    out = io.StringIO()
    call_command("create_api_token", "xa1", "--revoke", stdout=out)
    assert "thu hồi" in out.getvalue()
    assert not Token.objects.filter(user=officer).exists()
    assert api(token.key).get("/api/units/").status_code == 401
