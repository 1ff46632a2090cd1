"""Codes are unique per receiving unit: where two units of a person's subtree gave the same
code, the dossier's pages ask which unit is meant and then keep naming it (?don-vi=)."""

import pytest

from cchc.dossiers.models import Dossier
from cchc.org.constants import Role

from .conftest import client_of, receive_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(world):
    one = receive_now(world)
    other = receive_now(world, actor=world.sibling[Role.OFFICER], unit=world.tree["P-D-2"])
    Dossier.objects.filter(pk=other.pk).update(code=one.code)
    other.refresh_from_db()
    return one, other


def test_the_district_chooses_the_unit_then_every_link_names_it(world, twins):
    one, other = twins
    district = client_of(world.district[Role.LEADER])
    page = f"/mot-cua/ho-so/{one.code}/"
    asked = district.get(page)
    assert asked.status_code == 409
    assert [unit.code for unit, _url in asked.context["choices"]] == ["P-D-1", "P-D-2"]
    assert f"{page}?don-vi=P-D-2" in asked.content.decode()

    chosen = district.get(page, {"don-vi": "P-D-2"})
    assert chosen.status_code == 200
    assert chosen.context["dossier"].pk == other.pk
    html = chosen.content.decode()
    assert f"/mot-cua/ho-so/{one.code}/in/receipt.docx?don-vi=P-D-2" in html
    assert district.get(f"{page}in/receipt.docx").status_code == 409
    printed = district.get(f"{page}in/receipt.docx", {"don-vi": "P-D-2"})
    assert printed.status_code == 200
    assert printed["Content-Disposition"].startswith("attachment")


def test_a_post_with_the_unit_changes_that_dossier_only(world, twins):
    one, other = twins
    district = client_of(world.district[Role.LEADER])
    response = district.post(f"/mot-cua/ho-so/{one.code}/thu-hoi-qr/?don-vi=P-D-2")
    assert response.status_code == 303
    assert response["Location"] == f"/mot-cua/ho-so/{one.code}/?don-vi=P-D-2"
    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.public_token_version, other.public_token_version) == (0, 1)


def test_a_commune_sees_its_own_without_choosing_and_never_the_other(world, twins):
    one, _other = twins
    officer = client_of(world.staff[Role.OFFICER])
    response = officer.get(f"/mot-cua/ho-so/{one.code}/")
    assert (response.status_code, response.context["dossier"].pk) == (200, one.pk)
    assert officer.get(f"/mot-cua/ho-so/{one.code}/", {"don-vi": "P-D-2"}).status_code == 404
