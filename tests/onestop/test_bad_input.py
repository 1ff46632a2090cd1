"""Bad input to the web pages is refused with a message, never a server error: NUL in an
address, a search or a form; ids that are not ASCII digits or pass 64 bits; a fee or a version
past its column."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.dossiers.constants import Status
from cchc.dossiers.models import Dossier
from cchc.dossiers.transitions import Action

from .test_dossier_page import action_url, resolved

NUL_ADDRESSES = [
    "/mot-cua/?q=%00",
    "/mot-cua/?unit=%00",
    "/mot-cua/tiep-nhan/thu-tuc/?q=%00",
    "/mot-cua/ho-so/A%00/",
    "/mot-cua/so-theo-doi.xlsx?unit=%00",
    "/ho-so/?q=%00",
    "/ho-so/?unit=P%00",
    "/?unit=P%00",
    "/xu-huong/?unit=%00",
    "/cai-cach/?unit=%00",
    "/tra-cuu/?t=%00",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_nul_in_an_address_is_refused(officer, address):
    response = officer.get(address)
    assert response.status_code == 400
    assert "ký tự" in response.content.decode()


def test_nul_in_a_posted_form_is_refused(officer, world):
    response = officer.post(
        reverse("onestop:receive"),
        {"unit": world.unit.pk, "procedure": world.procedure.pk, "applicant_name": "An\x00"},
    )
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_nul_in_a_session_cookie_is_refused(officer):
    officer.cookies["sessionid"] = "abc\x00def"
    assert officer.get("/mot-cua/").status_code == 400


@pytest.mark.parametrize("procedure", ["²", "١", "9223372036854775808", "-1"])
def test_a_procedure_id_that_is_not_one_is_ignored(officer, procedure):
    for name in ("onestop:receive", "onestop:receive_panel"):
        response = officer.get(reverse(name), {"procedure": procedure})
        assert response.status_code == 200, name


@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999"])
def test_a_file_id_past_64_bits_is_not_found(officer, dossier, pk):
    response = officer.get(f"/mot-cua/ho-so/{dossier.code}/tep/{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("version", ["9223372036854775808", "99999999999999999999"])
def test_a_version_past_its_column_is_a_message(officer, world, dossier, version):
    response = officer.post(
        action_url(dossier, Action.ASSIGN),
        {"assign-expected_version": version, "assign-assignee": world.staff["specialist"].pk},
    )
    assert response.status_code in (200, 303, 400, 409)
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


@pytest.mark.parametrize("fee", ["9223372036854775808", "100000000000000000000"])
def test_a_fee_past_its_column_is_a_message(officer, world, dossier, fee):
    dossier = resolved(world, dossier)
    response = officer.post(
        action_url(dossier, Action.RETURN_RESULT),
        {"return_result-expected_version": dossier.version, "return_result-fee": fee},
    )
    assert response.status_code in (200, 400)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESOLVED


def test_the_largest_fee_is_kept(officer, world, dossier):
    dossier = resolved(world, dossier)
    officer.post(
        action_url(dossier, Action.RETURN_RESULT),
        {"return_result-expected_version": dossier.version, "return_result-fee": str(2**63 - 1)},
    )
    assert Dossier.objects.get(pk=dossier.pk).fee == 2**63 - 1
