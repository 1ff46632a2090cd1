"""/api/dossiers/: lists and detail limited to the caller's subtree, with filters and search."""

import datetime as dt

import pytest

from cchc.dossiers.constants import Channel, EventAction, Outcome, Status, Timeliness
from cchc.dossiers.models import DossierEvent, DossierPause
from cchc.workcalendar.calendar import VN_TZ
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

A1 = "000.00.25.H22-230301-0001"


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=VN_TZ)


@pytest.fixture
def dossiers(tree, people):
    civil = FieldFactory(name="Hộ tịch")
    land = FieldFactory(name="Đất đai")
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field=civil)
    land_reg = ProcedureFactory(code="2.000001", name="Đăng ký đất đai", field=land)
    a1 = DossierFactory(
        code=A1,
        unit=tree["P-D-1"],
        procedure=birth,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001090000001",
        applicant_phone="0912345678",
        received_on=dt.date(2023, 3, 1),
        status=Status.RECEIVED,
    )
    DossierEvent.objects.create(
        dossier=a1,
        at=at(dt.date(2023, 3, 1)),
        actor=people["commune1"],
        action=EventAction.RECEIVED,
        to_status=Status.RECEIVED,
        to_unit=tree["P-D-1"],
    )
    a2 = DossierFactory(
        code="A-2",
        unit=tree["P-D-1"],
        procedure=land_reg,
        applicant_name="Trần Thị Bình",
        applicant_id_number="001090000002",
        channel=Channel.ONLINE,
        received_on=dt.date(2023, 3, 10),
        status=Status.SUPPLEMENT,
        ever_paused=True,
    )
    DossierPause.objects.create(
        dossier=a2,
        reason="Thiếu giấy tờ",
        started_at=at(dt.date(2023, 3, 13)),
        started_date=dt.date(2023, 3, 13),
    )
    b1 = DossierFactory(
        code="B-1",
        unit=tree["P-D-2"],
        procedure=birth,
        applicant_name="Lê Văn Cường",
        received_on=dt.date(2023, 3, 20),
        status=Status.RETURNED,
        outcome=Outcome.RESOLVED,
        ended_at=at(dt.date(2023, 3, 21), 10),
        ended_date=dt.date(2023, 3, 21),
        timeliness=Timeliness.EARLY,
    )
    c1 = DossierFactory(code="C-1", unit=tree["Q-1"], procedure=birth)
    return {"a1": a1, "a2": a2, "b1": b1, "c1": c1, "civil": civil, "land": land}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(d["code"] for d in response.json()["results"])


def test_commune_officer_lists_only_the_communes_dossiers(people, client_for, dossiers):
    assert codes(client_for(people["commune1"]).get("/api/dossiers/")) == [A1, "A-2"]
    assert codes(client_for(people["commune2"]).get("/api/dossiers/")) == ["B-1"]


def test_district_officer_lists_both_communes(people, client_for, dossiers):
    assert codes(client_for(people["district"]).get("/api/dossiers/")) == [A1, "A-2", "B-1"]


def test_superuser_lists_every_dossier(people, client_for, dossiers):
    assert codes(client_for(people["root"]).get("/api/dossiers/")) == [A1, "A-2", "B-1", "C-1"]


@pytest.mark.parametrize("code", ["B-1", "C-1", "NOPE"])
def test_dossier_of_another_unit_is_not_found_like_a_missing_one(
    people, client_for, dossiers, code
):
    response = client_for(people["commune1"]).get(f"/api/dossiers/{code}/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "Không tìm thấy hoặc bạn không có quyền xem.",
    }


def test_detail_by_dotted_code_has_status_code_events_and_pauses(people, client_for, dossiers):
    client = client_for(people["district"])
    body = client.get(f"/api/dossiers/{A1}/").json()
    assert body["code"] == A1
    assert body["unit"] == "P-D-1"
    assert body["procedure"] == "1.001193"
    assert body["field"] == "Hộ tịch"
    assert body["status"] == "received"
    assert body["dvcqg_status_code"] == 2
    assert body["applicant_phone"] == "0912345678"
    assert body["events"] == [
        {
            "at": "2023-03-01T08:00:00+07:00",
            "actor": "xa1",
            "action": "received",
            "from_status": "",
            "to_status": "received",
            "from_unit": None,
            "to_unit": "P-D-1",
            "note": "",
            "data": {},
        }
    ]
    paused = client.get("/api/dossiers/A-2/").json()
    assert paused["dvcqg_status_code"] == 5
    assert paused["pauses"][0]["reason"] == "Thiếu giấy tờ"
    assert paused["pauses"][0]["started_date"] == "2023-03-13"
    assert paused["pauses"][0]["resumed_date"] is None


def test_list_gives_the_dvcqg_status_code(people, client_for, dossiers):
    results = client_for(people["commune2"]).get("/api/dossiers/").json()["results"]
    assert [(d["code"], d["status"], d["dvcqg_status_code"]) for d in results] == [
        ("B-1", "returned", 10)
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "P-D-1"}, [A1, "A-2"]),
        ({"unit": "P-D"}, [A1, "A-2", "B-1"]),
        ({"status": "supplement"}, ["A-2"]),
        ({"status": "received,returned"}, [A1, "B-1"]),
        ({"channel": "online"}, ["A-2"]),
        ({"procedure": "1.001193"}, [A1, "B-1"]),
        ({"received_from": "2023-03-10"}, ["A-2", "B-1"]),
        ({"received_to": "2023-03-10"}, [A1, "A-2"]),
        ({"received_from": "2023-03-02", "received_to": "2023-03-19"}, ["A-2"]),
        ({"open": "true"}, [A1, "A-2"]),
        ({"open": "false"}, ["B-1"]),
        ({"q": "0001"}, [A1]),
        ({"q": "Bình"}, ["A-2"]),
        ({"q": "001090000002"}, ["A-2"]),
        ({"q": "00109000000"}, []),
    ],
)
def test_list_filters(people, client_for, dossiers, params, expected):
    assert codes(client_for(people["district"]).get("/api/dossiers/", params)) == expected


def test_field_and_due_before_filters(people, client_for, dossiers):
    client = client_for(people["district"])
    assert codes(client.get("/api/dossiers/", {"field": dossiers["land"].pk})) == ["A-2"]
    due = dossiers["a2"].due_date
    assert codes(client.get("/api/dossiers/", {"due_before": due.isoformat()})) == [A1]
    after = (due + dt.timedelta(days=1)).isoformat()
    assert codes(client.get("/api/dossiers/", {"due_before": after, "open": "1"})) == [A1, "A-2"]


@pytest.mark.parametrize("unit", ["Q-1", "P", "NOPE"])
def test_unit_filter_outside_the_subtree_gives_nothing(people, client_for, dossiers, unit):
    assert codes(client_for(people["district"]).get("/api/dossiers/", {"unit": unit})) == []


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"received_from": "01/03/2023"}, "received_from"),
        ({"due_before": "x"}, "due_before"),
        ({"status": "done"}, "status"),
        ({"channel": "fax"}, "channel"),
        ({"field": "Hộ tịch"}, "field"),
        ({"open": "maybe"}, "open"),
    ],
)
def test_bad_filter_value_answers_400_with_the_parameter(people, client_for, dossiers, params, key):
    response = client_for(people["district"]).get("/api/dossiers/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Dữ liệu không hợp lệ."
    assert list(body["errors"]) == [key]


def test_dossier_list_query_count_does_not_grow(
    people, client_for, dossiers, tree, django_assert_max_num_queries
):
    for n in range(40):
        DossierFactory(code=f"X-{n}", unit=tree["P-D-2"], procedure=dossiers["a1"].procedure)
    client = client_for(people["district"])
    with django_assert_max_num_queries(4):
        response = client.get("/api/dossiers/", {"page_size": 100})
    assert response.json()["count"] == 43


def test_dossier_detail_query_count_does_not_grow_with_history(
    people, client_for, dossiers, tree, django_assert_max_num_queries
):
    for n in range(20):
        DossierEvent.objects.create(
            dossier=dossiers["a1"],
            at=at(dt.date(2023, 3, 2)) + dt.timedelta(minutes=n),
            actor=people["specialist"],
            action=EventAction.FORWARDED,
            from_unit=tree["P-D-1"],
            to_unit=tree["P-D"],
        )
    client = client_for(people["district"])
    # token, the caller's unit, the dossier, then one each: components, files, pauses, events.
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/dossiers/{A1}/")
    assert len(response.json()["events"]) == 21


def test_session_list_query_count(people, dossiers, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.login(username="huyen", password="pw")
    with django_assert_max_num_queries(5):
        assert client.get("/api/dossiers/").status_code == 200
