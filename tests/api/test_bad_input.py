"""Bad input to the API is refused with 400 and a message, never a server error, and never
stored past its column's range: NUL and lone surrogates anywhere (PostgreSQL refuses them deep
inside a query) and control characters (no DOCX or XLSX export could hold them), integers beyond 64 bits or the column (SQLite stored 99999 in a small-integer
column that PostgreSQL refused with an error), texts longer than their column."""

from __future__ import annotations

import json

import pytest

from cchc.dossiers.models import Dossier
from tests.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

NUL_ADDRESSES = [
    "/api/dossiers/?unit=P-D-1%00",
    "/api/dossiers/?procedure=%00",
    "/api/dossiers/?q=a%00b",
    "/api/dossiers/?status=%00",
    "/api/dossiers/export.csv?q=%00",
    "/api/dossiers/D%00/",
    "/api/units/?within=%00",
    "/api/units/?level=%00",
    "/api/units/P%00/",
    "/api/procedures/?level=%00",
    "/api/procedures/?q=%00",
    "/api/procedures/1.0%00/",
    "/api/stats/?unit=P%00&start=2023-01-01&end=2023-03-31",
    "/api/fields/?page=%00",
    "/api/dossiers/?x%00=1",
    "/api/dossiers/?q=%1B",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_nul_in_an_address_is_refused(people, client_for, address):
    response = client_for(people["commune1"]).get(address)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unstorable_character"
    assert "ký tự" in response.json()["detail"]


def test_nul_in_the_token_is_refused(db):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token abc\x00def")
    assert client.get("/api/units/").status_code == 400


BIG = "9223372036854775808"  # 2**63: past every integer column


@pytest.mark.parametrize(
    "address,status",
    [
        (f"/api/dossiers/?field={BIG}", 400),
        ("/api/dossiers/?field=%C2%B2", 400),  # "²" is a digit to str.isdigit()
        (f"/api/dossiers/export.csv?field={BIG}", 400),
        (f"/api/procedures/?field={BIG}", 400),
        (f"/api/fields/{BIG}/", 404),
        (f"/api/dossiers/?page={BIG}", 404),
        (f"/api/dossiers/?page_size={BIG}", 200),
    ],
)
def test_integers_past_64_bits_are_refused(people, client_for, address, status):
    response = client_for(people["commune1"]).get(address)
    assert response.status_code == status, response.content


@pytest.fixture
def procedure(db):
    return ProcedureFactory(code="1.001193", processing_time=3)


def receive(client, **changes):
    body = {
        "unit": "P-D-1",
        "procedure": "1.001193",
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        **changes,
    }
    return post_json(client, "/api/dossiers/", body)


def post_json(client, url: str, body: dict):
    # Encoded here, escaped: a lone surrogate goes over the wire as JSON allows.
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"components": [{"name": "Tờ khai", "originals": 99999}]}, "components"),
        ({"components": [{"name": "Tờ khai", "photocopies": 10**20}]}, "components"),
        ({"components": [{"name": "Tờ khai", "certified_copies": -1}]}, "components"),
        ({"components": [{"name": "x" * 501}]}, "components"),
        ({"applicant_name": "x" * 256}, "applicant_name"),
        ({"applicant_phone": "0" * 21}, "applicant_phone"),
        ({"request_summary": "x" * 1001}, "request_summary"),
        ({"applicant_name": "An\x00"}, None),
        ({"unit": "P-D-1\x00"}, None),
        ({"procedure": "1.001193\x00"}, None),
        ({"applicant_address": "\ud800"}, None),
        ({"applicant_name": "An\x01"}, None),  # no XLSX or DOCX could hold it
        ({"x\x00": 1}, None),
    ],
)
def test_receive_refuses_values_its_columns_cannot_hold(
    people, client_for, procedure, changes, field
):
    response = receive(client_for(people["commune1"]), **changes)
    assert response.status_code == 400, response.content
    body = response.json()
    if field is None:
        assert body["code"] == "unstorable_character"
    else:
        assert field in body["errors"]
    assert not Dossier.objects.exists()


def test_receive_takes_the_largest_counts_its_columns_hold(people, client_for, procedure):
    response = receive(
        client_for(people["commune1"]),
        components=[{"name": "Tờ khai", "originals": 32767}],
    )
    assert response.status_code == 201, response.content
    assert response.json()["components"][0]["originals"] == 32767


@pytest.fixture
def dossier(tree, procedure):
    return DossierFactory(code="A-1", unit=tree["P-D-1"], procedure=procedure)


@pytest.mark.parametrize(
    "action,body",
    [
        ("assign", {"expected_version": 10**20, "assignee": "cv"}),
        ("assign", {"expected_version": 1, "assignee": "cv\x00"}),
        ("forward", {"expected_version": 1, "to_unit": "P-D-2\x00"}),
        ("forward", {"expected_version": 1, "to_department": "\x00"}),
        ("request_supplement", {"expected_version": 1, "reason": "x" * 1001}),
        ("request_supplement", {"expected_version": 1, "reason": "a", "items": ["\x00"]}),
        ("return_result", {"expected_version": 1, "fee": 2**63}),
        ("reject", {"expected_version": 1, "reason": "\ud800"}),
    ],
)
def test_actions_refuse_values_their_columns_cannot_hold(people, client_for, dossier, action, body):
    client = client_for(people["district"])
    url = f"/api/dossiers/{dossier.code}/actions/{action}/"
    response = post_json(client, url, body)
    assert response.status_code == 400, response.content
    dossier.refresh_from_db()
    assert dossier.version == 1


def test_a_form_encoded_action_with_nul_is_refused(people, client_for, dossier):
    client = client_for(people["district"])
    response = client.post(
        f"/api/dossiers/{dossier.code}/actions/assign/",
        {"expected_version": "1", "assignee": "cv\x00"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unstorable_character"
