"""Schemathesis against the live OpenAPI schema (/api/schema/), as a commune's one-stop officer
with a token: no answer is a server error, and every answer is what the schema says.

Bounded and reproducible: a few examples per operation, derandomized, no example database. It
runs in the normal passes, so `make test` runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cchc.dossiers import services
from cchc.dossiers.constants import Channel
from cchc.org.constants import Role
from cchc.wsgi import application
from tests.factories import (
    DepartmentFactory,
    FieldFactory,
    ProcedureComponentFactory,
    ProcedureFactory,
    UserFactory,
    vn_moment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

EXAMPLES = 6


@pytest.fixture
def api_token(tree) -> str:
    """A commune officer's token, with demo-like data around: a catalogue, dossiers received
    and assigned in the commune, one in a neighbouring commune, one in another province."""
    officer = UserFactory(username="motcua.xa1", unit=tree["P-D-1"], role=Role.OFFICER)
    leader = UserFactory(username="ld.xa1", unit=tree["P-D-1"], role=Role.LEADER)
    UserFactory(username="cv.xa1", unit=tree["P-D-1"], role=Role.SPECIALIST)
    DepartmentFactory(unit=tree["P-D-1"], code="VP")
    civil = FieldFactory(name="Hộ tịch")
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field=civil)
    ProcedureComponentFactory(procedure=birth, name="Tờ khai", required=False)
    land = ProcedureFactory(code="2.000001", name="Đăng ký đất đai", field=FieldFactory())
    received = []
    for number, (unit, procedure) in enumerate(
        [(tree["P-D-1"], birth), (tree["P-D-1"], land), (tree["P-D-1"], birth)], 1
    ):
        received.append(
            services.receive_dossier(
                actor=officer,
                unit=unit,
                procedure=procedure,
                channel=Channel.DIRECT,
                applicant_name=f"Nguyễn Văn {number}",
                applicant_id_number=f"00109000000{number}",
                at=vn_moment(dt.date(2023, 3, number)),
            )
        )
    services.assign_dossier(
        received[0],
        actor=leader,
        assignee=UserFactory(username="cv2.xa1", unit=tree["P-D-1"], role=Role.SPECIALIST),
        expected_version=received[0].version,
        at=vn_moment(dt.date(2023, 3, 2)),
    )
    for unit in (tree["P-D-2"], tree["Q-1"]):
        services.receive_dossier(
            actor=UserFactory(unit=unit, role=Role.OFFICER),
            unit=unit,
            procedure=birth,
            channel=Channel.ONLINE,
            applicant_name="Trần Thị Bình",
            at=vn_moment(dt.date(2023, 3, 6)),
        )
    token, _created = Token.objects.get_or_create(user=officer)
    return token.key


@pytest.fixture
def _connection_kept():
    # Each WSGI request ends by closing old connections; PostgreSQL's would then be closed
    # inside the test's transaction. Django's test client does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Read when the tests are collected: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, api_token, _connection_kept):
    case.call_and_validate(
        headers={"Authorization": f"Token {api_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def tokens_of(*usernames: str) -> dict[str, str]:
    from cchc.org.models import User

    return {
        name: Token.objects.get_or_create(user=User.objects.get(username=name))[0].key
        for name in usernames
    }


def call(path: str, method: str, token: str, status: int, **case_data):
    """One request built from the schema's operation, its answer checked against it."""
    case = schema[path][method].Case(**case_data)
    response = case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    assert response.status_code == status, response.text
    return response.json()


def test_real_answers_are_as_the_schema_says(api_token, tree, _connection_kept):
    """Generated codes never name a real dossier: the detail, every action and the statistics
    are called here with real ones, and their answers (nulls, events, pauses) checked."""
    token = api_token
    leader = tokens_of("ld.xa1")["ld.xa1"]
    call("/api/units/{code}/", "GET", token, 200, path_parameters={"code": "P-D-1"})
    call("/api/procedures/{code}/", "GET", token, 200, path_parameters={"code": "1.001193"})
    fields = call("/api/fields/", "GET", token, 200)["results"]
    call("/api/fields/{id}/", "GET", token, 200, path_parameters={"id": fields[0]["id"]})
    call(
        "/api/stats/",
        "GET",
        token,
        200,
        query={"unit": "P-D-1", "start": "2023-01-01", "end": "2023-03-31"},
    )
    listed = call("/api/dossiers/", "GET", token, 200, query={"unit": "P-D-1"})["results"]
    for dossier in listed:
        call("/api/dossiers/{code}/", "GET", token, 200, path_parameters={"code": dossier["code"]})
    procedure = call(
        "/api/procedures/{code}/", "GET", token, 200, path_parameters={"code": "1.001193"}
    )
    assert procedure["components"]
    received = call(
        "/api/dossiers/",
        "POST",
        token,
        201,
        body={
            "unit": "P-D-1",
            "procedure": "1.001193",
            "channel": "direct",
            "applicant_name": "Lê Văn Cường",
            "components": [{"name": "Giấy khác", "originals": 1}],
        },
        media_type="application/json",
    )
    code = received["code"]
    steps = [
        ("assign", token, {"assignee": "cv.xa1"}),
        ("forward", token, {"to_department": "VP"}),
        ("request_supplement", token, {"reason": "Thiếu tờ khai", "items": ["Tờ khai"]}),
        ("resume", token, {}),
        ("resolve", leader, {"note": "Đủ điều kiện"}),
        ("return_result", token, {"fee": 8000, "paid_online": False}),
    ]
    version = received["version"]
    for action, who, body in steps:
        answer = call(
            f"/api/dossiers/{{code}}/actions/{action}/",
            "POST",
            who,
            200,
            path_parameters={"code": code},
            body={"expected_version": version, **body},
            media_type="application/json",
        )
        version = answer["version"]
    assert answer["status"] == "returned"
    assert answer["pauses"] and answer["events"]
