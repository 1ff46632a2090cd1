"""Receipt and the state machine's actions through the API: each goes through its service,
with optimistic locking, scope and role refusals mapped onto 409/403/404/400."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.dossiers.models import Dossier, DossierEvent
from cchc.org.constants import Role
from cchc.stats.selectors import period_statistics
from tests.factories import FieldFactory, ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def procedure(db):
    return ProcedureFactory(
        code="1.001193", name="Đăng ký khai sinh", field=FieldFactory(name="Hộ tịch")
    )


@pytest.fixture
def leader(tree):
    return UserFactory(username="lanhdao", unit=tree["P-D-1"], role=Role.LEADER)


def receive(client, unit="P-D-1", **extra):
    body = {
        "unit": unit,
        "procedure": "1.001193",
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001090000001",
        **extra,
    }
    return client.post("/api/dossiers/", body, format="json")


def act(client, dossier: dict, action: str, **body):
    body.setdefault("expected_version", dossier["version"])
    return client.post(f"/api/dossiers/{dossier['code']}/actions/{action}/", body, format="json")


@pytest.fixture
def received(people, client_for, procedure):
    response = receive(client_for(people["commune1"]))
    assert response.status_code == 201, response.content
    return response.json()


def test_receive_creates_a_dossier_with_its_event_and_offered_actions(received):
    assert received["unit"] == "P-D-1"
    assert received["status"] == "received"
    assert received["dvcqg_status_code"] == 2
    assert received["version"] == 1
    assert received["code"].startswith("P-D-1")
    assert [e["action"] for e in received["events"]] == ["received"]
    assert received["events"][0]["actor"] == "xa1"
    assert "request_supplement" in received["allowed_actions"]
    assert "resolve" not in received["allowed_actions"]  # an officer does not approve


def test_receive_for_a_unit_outside_the_subtree_is_refused_like_an_unknown_one(
    people, client_for, procedure
):
    for unit in ("P-D-2", "NOPE"):
        response = receive(client_for(people["commune1"]), unit=unit)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert body["errors"]["unit"] == [f"Không có đơn vị mã {unit} trong phạm vi của bạn."]
    assert not Dossier.objects.exists()


def test_receive_is_refused_to_a_specialist(people, client_for, procedure):
    response = receive(client_for(people["specialist"]))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "role_not_allowed"
    assert "Vai trò" in body["detail"]


def test_a_whole_life_through_the_api(people, client_for, received, leader, tree):
    officer = client_for(people["commune1"])
    specialist = client_for(people["specialist"])

    dossier = act(officer, received, "request_supplement", reason="Thiếu tờ khai").json()
    assert dossier["status"] == "supplement"
    assert dossier["dvcqg_status_code"] == 5
    assert dossier["pauses"][0]["reason"] == "Thiếu tờ khai"

    dossier = act(officer, dossier, "resume").json()
    assert dossier["status"] == "processing"
    assert dossier["pauses"][0]["resumed_at"] is not None

    response = act(officer, dossier, "assign", assignee="cv")
    assert response.status_code == 200, response.content
    dossier = response.json()
    assert dossier["assignee"] == "cv"

    dossier = act(specialist, dossier, "resolve", note="Đủ điều kiện").json()
    assert dossier["status"] == "resolved"
    assert dossier["timeliness"] in ("early", "on_time")

    response = officer.post(
        f"/api/dossiers/{dossier['code']}/actions/return_result/",
        {
            "expected_version": dossier["version"],
            "result_file": SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 result"),
            "paid_online": "true",
            "satisfaction": "satisfied",
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    dossier = response.json()
    assert dossier["status"] == "returned"
    assert dossier["dvcqg_status_code"] == 10
    assert dossier["result_digitized"] is True
    assert dossier["paid_online"] is True
    assert [(f["kind"], f["original_name"]) for f in dossier["files"]] == [
        ("result", "ket-qua.pdf")
    ]
    assert [e["action"] for e in dossier["events"]] == [
        "received",
        "supplement_requested",
        "resumed",
        "assigned",
        "resolved",
        "returned",
    ]
    assert dossier["allowed_actions"] == []


def test_a_stale_version_answers_409_and_changes_nothing(people, client_for, received):
    officer = client_for(people["commune1"])
    first = act(officer, received, "request_supplement", reason="Thiếu tờ khai")
    assert first.status_code == 200
    # A second officer still holding version 1 acts on the same dossier.
    second = act(client_for(people["district"]), received, "withdraw", reason="Rút")
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale_dossier"
    assert "tải lại" in body["detail"]
    stored = Dossier.objects.get(code=received["code"])
    assert (stored.status, stored.version) == ("supplement", 2)
    assert DossierEvent.objects.filter(dossier=stored).count() == 2


def test_a_transition_the_status_does_not_allow_answers_409(people, client_for, received):
    response = act(client_for(people["commune1"]), received, "return_result")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_role_that_may_not_act_answers_403(people, client_for, received):
    response = act(client_for(people["specialist"]), received, "withdraw")
    assert response.status_code == 403
    assert response.json()["code"] == "role_not_allowed"
    assert Dossier.objects.get(code=received["code"]).status == "received"


@pytest.mark.parametrize("who", ["commune2", "nounit"])
def test_acting_on_a_dossier_outside_the_subtree_answers_404(people, client_for, received, who):
    response = act(client_for(people[who]), received, "withdraw")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_district_officer_may_act_on_a_communes_dossier(people, client_for, received):
    response = act(client_for(people["district"]), received, "withdraw", reason="Rút theo đơn")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_a_missing_reason_answers_400_with_the_services_code(people, client_for, received):
    response = act(client_for(people["commune1"]), received, "reject", reason=" ")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "reason_required"
    assert "lý do" in body["detail"]


def test_expected_version_is_required(people, client_for, received):
    response = client_for(people["commune1"]).post(
        f"/api/dossiers/{received['code']}/actions/withdraw/", {}, format="json"
    )
    assert response.status_code == 400
    assert "expected_version" in response.json()["errors"]


def test_an_apology_is_given_once(people, client_for, received, leader):
    officer = client_for(people["commune1"])
    due = dt.date.fromisoformat(received["due_date"])
    later = due + dt.timedelta(days=14)
    while later.weekday() >= 5:
        later += dt.timedelta(days=1)
    first = act(officer, received, "apologise", new_appointment=later.isoformat(), reason="Chậm")
    assert first.status_code == 200, first.content
    assert first.json()["appointment_at"] is not None
    second = act(
        officer, first.json(), "apologise", new_appointment=later.isoformat(), reason="Lại chậm"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "apology_already_given"


def test_forward_to_another_unit_with_an_unknown_department_answers_400(
    people, client_for, received
):
    response = act(
        client_for(people["commune1"]), received, "forward", to_unit="P-D", to_department="X"
    )
    assert response.status_code == 400
    assert "to_department" in response.json()["errors"]


def test_forwarded_dossier_is_visible_to_the_receiving_unit(people, client_for, received, tree):
    huyen = UserFactory(username="huyen2", unit=tree["P-D"])
    forwarded = act(client_for(people["commune1"]), received, "forward", to_unit="P-D")
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["handling_unit"] == "P-D"
    assert client_for(huyen).get(f"/api/dossiers/{received['code']}/").status_code == 200


def test_statistics_after_the_api_agree_with_an_export_reimported(
    people, client_for, procedure, tree
):
    officer = client_for(people["commune1"])
    specialist = client_for(people["specialist"])
    codes = []
    for n in range(4):
        codes.append(receive(officer, applicant_name=f"Người {n}").json())
    act(officer, codes[0], "request_supplement", reason="Thiếu")
    act(officer, codes[1], "reject", reason="Không đủ điều kiện")
    act(specialist, codes[2], "resolve")
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=30), today
    before = period_statistics(tree["P"], start, end)

    root = client_for(people["root"])
    exported = b"".join(root.get("/api/dossiers/export.csv").streaming_content)
    Dossier.objects.all().delete()
    response = root.post(
        "/api/dossiers/import/",
        {"file": SimpleUploadedFile("d.csv", exported)},
        format="multipart",
    )
    assert response.json()["imported"] == 4, response.content
    assert period_statistics(tree["P"], start, end) == before
