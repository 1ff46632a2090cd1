"""/api/units/: the caller's subtree only; a unit outside it is not found."""

import pytest

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [u["code"] for u in response.json()["results"]]


def test_district_officer_lists_the_district_and_its_communes(people, client_for):
    assert codes(client_for(people["district"]).get("/api/units/")) == ["P-D", "P-D-1", "P-D-2"]


def test_superuser_lists_every_unit(people, client_for):
    assert codes(client_for(people["root"]).get("/api/units/")) == [
        "P",
        "P-D",
        "P-D-1",
        "P-D-2",
        "Q",
        "Q-1",
    ]


def test_retrieve_by_code_gives_level_parent_and_path(people, client_for):
    response = client_for(people["district"]).get("/api/units/P-D-1/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "P-D-1"
    assert body["level"] == "commune"
    assert body["parent"] == "P-D"
    assert body["path"] == "/P/P-D/P-D-1/"
    assert body["depth"] == 2


@pytest.mark.parametrize("code", ["P-D-2", "P-D", "Q-1", "NOPE"])
def test_unit_outside_the_subtree_is_not_found_like_a_missing_one(people, client_for, code):
    response = client_for(people["commune1"]).get(f"/api/units/{code}/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "Không tìm thấy hoặc bạn không có quyền xem.",
    }


def test_within_filters_a_subtree(people, client_for):
    client = client_for(people["root"])
    assert codes(client.get("/api/units/", {"within": "P-D"})) == ["P-D", "P-D-1", "P-D-2"]
    assert codes(client.get("/api/units/", {"within": "Q"})) == ["Q", "Q-1"]


def test_within_a_unit_outside_the_subtree_gives_nothing(people, client_for):
    client = client_for(people["commune1"])
    # P is an ancestor: answering with the caller's own subtree would confirm it exists.
    assert codes(client.get("/api/units/", {"within": "P"})) == []
    assert codes(client.get("/api/units/", {"within": "Q"})) == []


def test_level_filter(people, client_for):
    client = client_for(people["root"])
    assert codes(client.get("/api/units/", {"level": "commune"})) == ["P-D-1", "P-D-2", "Q-1"]
    assert codes(client.get("/api/units/", {"level": "province", "within": "Q"})) == ["Q"]


def test_page_size_parameter(people, client_for):
    body = client_for(people["root"]).get("/api/units/", {"page_size": 2}).json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert body["next"]


def test_unit_list_query_count_does_not_grow_with_units(
    people, client_for, tree, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    for n in range(30):
        UnitFactory(code=f"P-D-1-{n}", level=tree["P-D-1"].level, parent=tree["P-D-1"])
    client = client_for(people["district"])
    with django_assert_max_num_queries(4):
        assert len(codes(client.get("/api/units/"))) == 33
