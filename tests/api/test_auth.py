"""Authentication: tokens for machines, sessions for people, JSON errors for both."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/units/",
    "/api/fields/",
    "/api/procedures/",
    "/api/dossiers/",
    "/api/dossiers/export.csv",
    "/api/dossiers/D-1/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_unauthenticated_call_answers_401_json_with_code_and_vietnamese_detail(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "xác thực" in body["detail"]


def test_unauthenticated_import_answers_401():
    response = APIClient().post("/api/dossiers/import/", {}, format="multipart")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_wrong_token_answers_401_authentication_failed():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/units/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "authentication_failed"
    assert "không hợp lệ" in body["detail"]


def test_token_authenticates_a_machine(people, client_for):
    response = client_for(people["commune1"]).get("/api/units/")
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["results"]] == ["P-D-1"]


def test_session_authenticates_a_person(people):
    client = APIClient()
    assert client.login(username="xa1", password="pw")
    response = client.get("/api/units/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_method_not_allowed_answers_json_in_vietnamese(people, client_for):
    response = client_for(people["commune1"]).delete("/api/units/P-D-1/")
    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "detail": "Phương thức DELETE không được hỗ trợ ở địa chỉ này.",
    }


def test_person_without_unit_sees_nothing(people, client_for):
    client = client_for(people["nounit"])
    assert client.get("/api/units/").json()["count"] == 0
    assert client.get("/api/dossiers/").json()["count"] == 0


def run_create_token(*args) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_create_api_token_prints_the_token_and_keeps_it(people):
    key = run_create_token("xa1")
    assert key == Token.objects.get(user=people["commune1"]).key
    assert run_create_token("xa1") == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/units/").status_code == 200


def test_create_api_token_reset_revokes_the_old_token(people):
    old = run_create_token("xa1")
    new = run_create_token("xa1", "--reset")
    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/units/").status_code == 401


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="Không có người dùng"):
        run_create_token("nobody")
