"""A write that meets a busy database or a simultaneous writer is a retry answer (503/409 with
Retry-After and a message), never a server error: on the web and in the API."""

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client
from rest_framework.authtoken.models import Token

from cchc.dossiers import services
from cchc.middleware import retry_answer
from cchc.org.constants import Role

from .test_receive import RECEIVE, receive_data

LOCKED = OperationalError("database is locked")
TAKEN = IntegrityError("UNIQUE constraint failed: dossiers_dossier.unit_id, dossiers_dossier.code")


@pytest.fixture
def failing_receive(monkeypatch):
    def use(error):
        def fail(**kwargs):
            raise error

        monkeypatch.setattr(services, "receive_dossier", fail)

    return use


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [(LOCKED, 503, "Hệ thống đang bận ghi dữ liệu"), (TAKEN, 409, "người khác thay đổi cùng lúc")],
)
def test_the_web_answers_a_retry_page(world, failing_receive, error, status, text):
    failing_receive(error)
    client = Client(raise_request_exception=False)
    client.force_login(world.staff[Role.OFFICER])
    response = client.post(RECEIVE, receive_data(world))
    assert response.status_code == status
    assert response["Retry-After"] == "2"
    assert text in response.content.decode()
    assert "chưa có thay đổi nào được ghi" in response.content.decode()


@pytest.mark.parametrize(
    ("error", "status", "code"), [(LOCKED, 503, "database_busy"), (TAKEN, 409, "write_conflict")]
)
def test_the_api_answers_a_retry_code(world, failing_receive, error, status, code):
    failing_receive(error)
    token, _ = Token.objects.get_or_create(user=world.staff[Role.OFFICER])
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {
        "unit": world.unit.code,
        "procedure": world.procedure.code,
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
    }
    response = client.post("/api/dossiers/", body, content_type="application/json")
    assert response.status_code == status
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == code
    assert "Vui lòng" in response.json()["detail"]


def test_other_database_errors_stay_server_errors():
    assert retry_answer(OperationalError("no such table: x")) is None
    assert retry_answer(IntegrityError("NOT NULL constraint failed: x.y")) is None
    assert retry_answer(ValueError("database is locked")) is None


def test_postgresql_transient_states_are_retried():
    class Cause(Exception):
        sqlstate = "40P01"  # deadlock detected

    error = OperationalError("deadlock detected")
    error.__cause__ = Cause()
    assert retry_answer(error).status == 503
