"""POST /api/dossiers/import/ and GET /api/dossiers/export.csv, within the caller's subtree."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from cchc.dossiers.models import Dossier, DossierEvent
from cchc.org.constants import Role
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "code,unit_code,procedure_code,field,channel,received_at,due_at,status,resolved_at\n"


def upload(client, text: str | bytes, name: str = "dossiers.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    # What the import leaves for after its commit runs, as it would outside the test's
    # transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/api/dossiers/import/",
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
            format="multipart",
        )


@pytest.fixture
def catalogue(db):
    return ProcedureFactory(code="1.001193", field=FieldFactory(name="Hộ tịch"))


def test_import_of_the_callers_own_units_answers_200(people, client_for, catalogue):
    text = HEADER + (
        "X-1,P-D-1,1.001193,Hộ tịch,direct,2023-03-01,2023-03-06,resolved,2023-03-03\n"
        "X-2,P-D-2,1.001193,Hộ tịch,online,2023-03-02,,processing,\n"
    )
    response = upload(client_for(people["district"]), text)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["unchanged"], body["errors"]) == (2, 0, [])
    assert "Đã nhập 2 hồ sơ" in body["detail"]
    event = DossierEvent.objects.get(dossier__code="X-1")
    assert event.actor == people["district"]
    assert event.data["source"] == "api:dossiers.csv"
    # The usual periods are counted again in the background (cchc.stats.cache).
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().task_path == "cchc.stats.tasks.warm_stored_counts"
    # Re-importing the same file changes nothing, and queues nothing.
    again = upload(client_for(people["district"]), text).json()
    assert (again["imported"], again["unchanged"]) == (0, 2)
    assert DBTaskResult.objects.count() == 1


def test_row_of_a_foreign_unit_is_rejected_with_its_line_and_not_stored(
    people, client_for, catalogue
):
    text = HEADER + (
        "X-1,P-D-1,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
        "X-2,P-D-2,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
        "X-3,Q-1,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
        "X-4,P-D-1,1.001193,Hộ tịch,fax,2023-03-01,,processing,\n"
    )
    response = upload(client_for(people["commune1"]), text)
    assert response.status_code == 422
    body = response.json()
    assert body["imported"] == 1
    assert [(e["line"], e["column"]) for e in body["errors"]] == [
        (3, "unit_code"),
        (4, "unit_code"),
        (5, "channel"),
    ]
    # A unit of another province and a sibling commune are told apart from nothing.
    assert body["errors"][0]["reason"] == ("đơn vị 'P-D-2' không có hoặc nằm ngoài phạm vi của bạn")
    assert set(Dossier.objects.values_list("code", flat=True)) == {"X-1"}


def test_unknown_unit_gets_the_same_answer_as_a_foreign_one(people, client_for, catalogue):
    text = HEADER + "X-1,NOPE,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
    body = upload(client_for(people["commune1"]), text).json()
    assert body["errors"] == [
        {
            "line": 2,
            "last_line": None,
            "column": "unit_code",
            "reason": "đơn vị 'NOPE' không có hoặc nằm ngoài phạm vi của bạn",
        }
    ]


def test_line_numbers_stay_those_of_the_file_around_multiline_and_blank_rows(
    people, client_for, catalogue
):
    text = (
        "code,unit_code,field,channel,received_at,status,note\n"
        'X-1,Q-1,"Hộ\ntịch",direct,2023-03-01,processing,a\n'
        "\n"
        "X-2,P-D-1,Hộ tịch,direct,2023-03-01,bogus,b\n"
    )
    body = upload(client_for(people["commune1"]), text).json()
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(2, "unit_code"), (5, "status")]
    assert not Dossier.objects.exists()


def test_superuser_imports_for_any_unit(people, client_for, catalogue):
    text = HEADER + "X-1,Q-1,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
    response = upload(client_for(people["root"]), text)
    assert response.status_code == 200
    assert Dossier.objects.get(code="X-1").unit.code == "Q-1"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00c\x00o",
        b"code;unit_code\nX;Y\n",
        b"",
        "code,unit_code,field,channel,received_at,status\nX,P-D-1,H\xe1\n".encode("latin-1"),
    ],
)
def test_unreadable_file_answers_400_and_stores_nothing(people, client_for, catalogue, data):
    response = upload(client_for(people["commune1"]), data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in ("unreadable_file", "invalid")
    assert body["detail"]
    assert not Dossier.objects.exists()


def test_missing_file_field_answers_400(people, client_for):
    response = client_for(people["commune1"]).post("/api/dossiers/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()["errors"]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER, Role.REFORM_OFFICER])
def test_import_is_refused_to_roles_that_do_not_receive_dossiers(tree, client_for, catalogue, role):
    user = UserFactory(unit=tree["P-D-1"], role=role)
    text = HEADER + "X-1,P-D-1,1.001193,Hộ tịch,direct,2023-03-01,,processing,\n"
    response = upload(client_for(user), text)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "Một cửa" in body["detail"]
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------------------- export


@pytest.fixture
def exported(tree, catalogue):
    DossierFactory(code="A-1", unit=tree["P-D-1"], procedure=catalogue)
    DossierFactory(
        code="A-2", unit=tree["P-D-1"], procedure=catalogue, received_on=dt.date(2023, 4, 3)
    )
    DossierFactory(code="B-1", unit=tree["P-D-2"], procedure=catalogue)
    DossierFactory(code="C-1", unit=tree["Q-1"], procedure=catalogue)


def read_export(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_streams_only_the_callers_dossiers(people, client_for, exported):
    rows = read_export(client_for(people["commune1"]).get("/api/dossiers/export.csv"))
    assert [r["code"] for r in rows] == ["A-1", "A-2"]
    assert rows[0]["unit_code"] == "P-D-1"
    assert rows[0]["field"] == "Hộ tịch"
    assert rows[0]["status"] == "processing"
    district = read_export(client_for(people["district"]).get("/api/dossiers/export.csv"))
    assert [r["code"] for r in district] == ["A-1", "A-2", "B-1"]


def test_export_applies_the_list_filters(people, client_for, exported):
    client = client_for(people["district"])
    rows = read_export(client.get("/api/dossiers/export.csv", {"received_from": "2023-04-01"}))
    assert [r["code"] for r in rows] == ["A-2"]
    rows = read_export(client.get("/api/dossiers/export.csv", {"unit": "P-D-2"}))
    assert [r["code"] for r in rows] == ["B-1"]


def test_export_answers_text_csv_callers_too(people, client_for, exported):
    response = client_for(people["commune1"]).get(
        "/api/dossiers/export.csv", HTTP_ACCEPT="text/csv"
    )
    assert [r["code"] for r in read_export(response)] == ["A-1", "A-2"]


def test_export_then_import_into_another_database_gives_the_same_rows(people, client_for, exported):
    client = client_for(people["root"])
    first = b"".join(client.get("/api/dossiers/export.csv").streaming_content)
    Dossier.objects.all().delete()
    assert upload(client, first).json()["imported"] == 4
    second = b"".join(client.get("/api/dossiers/export.csv").streaming_content)
    assert second == first


def test_bad_export_filter_answers_400_json(people, client_for, exported):
    response = client_for(people["commune1"]).get(
        "/api/dossiers/export.csv", {"received_from": "x"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_export_query_count_does_not_grow(
    people, client_for, exported, tree, catalogue, django_assert_max_num_queries
):
    for n in range(30):
        DossierFactory(code=f"X-{n}", unit=tree["P-D-1"], procedure=catalogue)
    client = client_for(people["district"])
    with django_assert_max_num_queries(4):
        rows = read_export(client.get("/api/dossiers/export.csv"))
    assert len(rows) == 33
