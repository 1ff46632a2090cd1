"""Dossier codes are unique per receiving unit: a code that two units of the caller's subtree
gave is answered 409 ambiguous_code, and `?unit=` names the one meant."""

import pytest

from cchc.dossiers.models import Dossier
from tests.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(tree):
    procedure = ProcedureFactory(code="T3")
    one = DossierFactory(code="HS-1", unit=tree["P-D-1"], procedure=procedure)
    other = DossierFactory(code="HS-1-B", unit=tree["P-D-2"], procedure=procedure)
    Dossier.objects.filter(pk=other.pk).update(code="HS-1")
    return one, other


def test_a_code_of_two_units_in_scope_asks_for_the_unit(people, client_for, twins):
    client = client_for(people["district"])
    response = client.get("/api/dossiers/HS-1/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "ambiguous_code"
    assert "P-D-1, P-D-2" in body["detail"]
    chosen = client.get("/api/dossiers/HS-1/", {"unit": "P-D-2"})
    assert (chosen.status_code, chosen.json()["unit"]) == (200, "P-D-2")


def test_a_commune_sees_only_its_own_dossier_of_that_code(people, client_for, twins):
    response = client_for(people["commune1"]).get("/api/dossiers/HS-1/")
    assert (response.status_code, response.json()["unit"]) == (200, "P-D-1")
    assert (
        client_for(people["commune1"]).get("/api/dossiers/HS-1/", {"unit": "P-D-2"}).status_code
        == 404
    )


def test_an_action_names_the_unit_too(people, client_for, twins):
    client = client_for(people["district"])
    one, other = twins
    url = "/api/dossiers/HS-1/actions/withdraw/"
    body = {"expected_version": other.version, "reason": "Người nộp rút"}
    assert client.post(url, body, format="json").status_code == 409
    response = client.post(f"{url}?unit=P-D-2", body, format="json")
    assert response.status_code == 200, response.content
    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.outcome, other.outcome) == ("", "withdrawn")
