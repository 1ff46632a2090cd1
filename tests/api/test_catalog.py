"""/api/fields/ and /api/procedures/: search without accents, filters, detail by code."""

import pytest

from cchc.catalog.models import ProcedureComponent
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    civil = FieldFactory(name="Hộ tịch")
    land = FieldFactory(name="Đất đai")
    birth = ProcedureFactory(
        code="1.001193.000.00.00.H22",
        name="Thủ tục đăng ký khai sinh",
        field=civil,
        level="commune",
        online_level="full",
    )
    ProcedureComponent.objects.create(procedure=birth, name="Tờ khai đăng ký khai sinh", order=1)
    ProcedureComponent.objects.create(
        procedure=birth, name="Giấy chứng sinh", order=2, required=False
    )
    death = ProcedureFactory(
        code="1.000656",
        name="Đăng ký khai tử",
        field=civil,
        level="commune",
        online_level="partial",
    )
    land_reg = ProcedureFactory(
        code="2.000001", name="Đăng ký đất đai lần đầu", field=land, level="district"
    )
    land_reg.online_level = "none"
    land_reg.save()
    return {"civil": civil, "land": land, "birth": birth, "death": death, "land_reg": land_reg}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(p["code"] for p in response.json()["results"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ho tich", ["1.000656", "1.001193.000.00.00.H22"]),
        ("Hộ Tịch", ["1.000656", "1.001193.000.00.00.H22"]),
        ("khai sinh", ["1.001193.000.00.00.H22"]),
        ("dang ky dat", ["2.000001"]),
        ("đất đai", ["2.000001"]),
        ("1.000656", ["1.000656"]),
        ("khai sinh dat", []),
    ],
)
def test_procedure_search_ignores_accents_and_case(people, client_for, catalogue, q, expected):
    assert codes(client_for(people["commune1"]).get("/api/procedures/", {"q": q})) == expected


def test_procedure_filters(people, client_for, catalogue):
    client = client_for(people["commune1"])
    land_id = catalogue["land"].pk
    assert codes(client.get("/api/procedures/", {"field": land_id})) == ["2.000001"]
    assert codes(client.get("/api/procedures/", {"level": "district"})) == ["2.000001"]
    assert codes(client.get("/api/procedures/", {"online_level": "partial,full"})) == [
        "1.000656",
        "1.001193.000.00.00.H22",
    ]
    assert codes(client.get("/api/procedures/", {"online_level": "none", "q": "dat"})) == [
        "2.000001"
    ]


@pytest.mark.parametrize(
    ("params", "key"), [({"online_level": "muc4"}, "online_level"), ({"field": "x"}, "field")]
)
def test_procedure_filter_with_a_bad_value_answers_400(people, client_for, catalogue, params, key):
    response = client_for(people["commune1"]).get("/api/procedures/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert key in body["errors"]


def test_procedure_detail_by_dotted_code_lists_components(people, client_for, catalogue):
    response = client_for(people["commune1"]).get("/api/procedures/1.001193.000.00.00.H22/")
    assert response.status_code == 200
    body = response.json()
    assert body["field"] == {"id": catalogue["civil"].pk, "name": "Hộ tịch", "code": ""}
    assert body["online_level"] == "full"
    assert [(c["name"], c["required"]) for c in body["components"]] == [
        ("Tờ khai đăng ký khai sinh", True),
        ("Giấy chứng sinh", False),
    ]


def test_unknown_procedure_is_404(people, client_for, catalogue):
    response = client_for(people["commune1"]).get("/api/procedures/9.999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_fields_list(people, client_for, catalogue):
    response = client_for(people["commune1"]).get("/api/fields/")
    assert response.status_code == 200
    # Sorted here: PostgreSQL's collation may put "Đ" next to "D".
    assert sorted(f["name"] for f in response.json()["results"]) == ["Hộ tịch", "Đất đai"]


def test_procedure_list_query_count_does_not_grow(
    people, client_for, catalogue, django_assert_max_num_queries
):
    for n in range(30):
        ProcedureFactory(code=f"9.{n:06d}", field=catalogue["land"])
    client = client_for(people["commune1"])
    with django_assert_max_num_queries(3):
        assert len(codes(client.get("/api/procedures/"))) == 33
