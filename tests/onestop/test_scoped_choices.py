"""Every choice a form or serializer accepts is scoped (issue 8 items 10 and 13): a procedure
only from the catalogues the receiving unit uses, an assignee, a unit, a department or a paper
only among those the dossier allows; an unknown choice and another unit's real one get the
same answer, which quotes nothing of the other unit."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.dossiers.models import Dossier
from cchc.dossiers.transitions import Action, InvalidDossierInput
from cchc.org.constants import Role
from tests.factories import DepartmentFactory, ProcedureComponentFactory, ProcedureFactory

from .conftest import receive_now
from .test_dossier_page import post_action
from .test_receive import PANEL, RECEIVE, SEARCH, receive_data


@pytest.fixture
def foreign(world):
    """Province Q's own catalogue and a department of its commune."""
    procedure = ProcedureFactory(
        code="2.000001", name="Thủ tục riêng tỉnh Q khai sinh", owner=world.tree["Q"]
    )
    return {
        "procedure": procedure,
        "paper": ProcedureComponentFactory(procedure=procedure, name="Giấy riêng Q"),
        "department": DepartmentFactory(unit=world.tree["Q-1"], code="TPQ", name="Tư pháp Q"),
    }


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# --- item 10: the procedure of a receipt -----------------------------------------------


def test_the_web_form_refuses_another_provinces_procedure(officer, world, foreign):
    data = receive_data(world, procedure=foreign["procedure"].pk)
    response = officer.post(RECEIVE, data)
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert "Giấy riêng Q" not in response.content.decode()


def test_the_service_refuses_another_provinces_procedure(world, foreign):
    with pytest.raises(InvalidDossierInput) as refused:
        receive_now(world, procedure=foreign["procedure"], components=[])
    assert refused.value.code == "procedure_not_in_catalogue"


def test_a_procedure_its_own_catalogue_replaces_is_refused(world):
    shared = ProcedureFactory(code="9.000009", owner=None)
    own = ProcedureFactory.build(code="9.000009", owner=world.tree["P"], field=shared.field)
    own.save()
    assert receive_now(world, procedure=own, components=[]).procedure == own
    with pytest.raises(InvalidDossierInput):
        receive_now(world, procedure=shared, components=[])


def test_search_panel_and_link_do_not_offer_another_provinces_procedure(officer, world, foreign):
    offered = 'data-procedure="2.000001"'
    assert offered not in officer.get(SEARCH, {"q": "khai sinh"}).content.decode()
    assert offered not in officer.get(RECEIVE, {"q": "2.000001"}).content.decode()
    page = officer.get(RECEIVE, {"procedure": foreign["procedure"].pk}).content.decode()
    assert "Giấy riêng Q" not in page
    panel = officer.get(PANEL, {"procedure": foreign["procedure"].pk}).content.decode()
    assert "Giấy riêng Q" not in panel
    # The province's own officer is offered it.
    from .conftest import client_of

    theirs = client_of(world.outsider[Role.OFFICER])
    assert offered in theirs.get(SEARCH, {"q": "khai sinh"}).content.decode()


def test_the_api_refuses_a_paper_of_another_procedure_like_an_unknown_one(world, foreign):
    client = api_as(world.staff[Role.OFFICER])

    def receive(component_id):
        return client.post(
            "/api/dossiers/",
            {
                "unit": world.unit.code,
                "procedure": world.procedure.code,
                "channel": "direct",
                "applicant_name": "Nguyễn Văn An",
                "components": [{"component": component_id, "originals": 1}],
            },
            format="json",
        )

    theirs = receive(foreign["paper"].pk)
    unknown = receive(foreign["paper"].pk + 1000)
    assert theirs.status_code == unknown.status_code == 400
    assert "Giấy riêng Q" not in theirs.content.decode()
    assert theirs.json()["code"] == unknown.json()["code"] == "invalid"
    assert str(foreign["paper"].pk) in str(theirs.json()["errors"])
    mine = receive(world.papers[0].pk)
    assert mine.status_code == 400  # the second required paper is missing: the service says
    assert mine.json()["code"] == "components_missing"


# --- item 13: assign and forward --------------------------------------------------------


def body_without(response, *values) -> str:
    text = response.content.decode()
    for value in values:
        text = text.replace(str(value), "<value>")
    return text


def test_api_assign_answers_alike_for_unknown_and_foreign_people(world):
    dossier = receive_now(world)
    client = api_as(world.staff[Role.OFFICER])
    url = f"/api/dossiers/{dossier.code}/actions/assign/"

    def assign(username):
        return client.post(
            url, {"expected_version": dossier.version, "assignee": username}, format="json"
        )

    foreign = world.outsider[Role.SPECIALIST].username
    sibling = world.sibling[Role.SPECIALIST].username
    unknown = assign("khong-co-ai")
    for real in (foreign, sibling):
        response = assign(real)
        assert response.status_code == unknown.status_code == 400
        assert body_without(response, real) == body_without(unknown, "khong-co-ai")
    assert assign(world.staff[Role.SPECIALIST].username).status_code == 200


def test_api_forward_answers_alike_for_unknown_and_foreign_units(world):
    dossier = receive_now(world)
    client = api_as(world.staff[Role.OFFICER])
    url = f"/api/dossiers/{dossier.code}/actions/forward/"

    def forward(**fields):
        return client.post(url, {"expected_version": dossier.version, **fields}, format="json")

    unknown = forward(to_unit="KHONG-CO")
    foreign = forward(to_unit="Q-1")
    assert foreign.status_code == unknown.status_code == 400
    assert body_without(foreign, "Q-1") == body_without(unknown, "KHONG-CO")
    assert Dossier.objects.get(pk=dossier.pk).handling_unit is None


def test_api_forward_answers_alike_for_unknown_and_other_units_departments(world, foreign):
    dossier = receive_now(world)
    client = api_as(world.staff[Role.OFFICER])
    url = f"/api/dossiers/{dossier.code}/actions/forward/"

    def forward(**fields):
        return client.post(url, {"expected_version": dossier.version, **fields}, format="json")

    real = forward(to_department="TPQ")
    unknown = forward(to_department="XYZ")
    assert real.status_code == unknown.status_code == 400
    assert body_without(real, "TPQ") == body_without(unknown, "XYZ")
    for text in (world.unit.code, "Tư pháp Q", "Q-1"):
        assert text not in real.content.decode()
    assert forward(to_department="TP").status_code == 200


def error_text(response) -> str:
    import re

    html = response.content.decode()
    return " ".join(re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', html, re.S))


def test_web_assign_and_forward_answer_alike_for_unknown_and_foreign_choices(
    officer, world, foreign
):
    dossier = receive_now(world)
    foreign_person = world.outsider[Role.SPECIALIST]
    real = post_action(officer, dossier, Action.ASSIGN, assignee=foreign_person.pk)
    unknown = post_action(officer, dossier, Action.ASSIGN, assignee=foreign_person.pk + 999)
    assert real.status_code == unknown.status_code
    assert real.status_code != 303
    assert error_text(real) == error_text(unknown) != ""
    real = post_action(officer, dossier, Action.FORWARD, to_department=foreign["department"].pk)
    unknown = post_action(officer, dossier, Action.FORWARD, to_department=999999)
    assert real.status_code == unknown.status_code != 303
    assert error_text(real) == error_text(unknown) != ""
    real = post_action(officer, dossier, Action.FORWARD, to_unit=world.tree["Q-1"].pk)
    unknown = post_action(officer, dossier, Action.FORWARD, to_unit=999999)
    assert real.status_code == unknown.status_code != 303
    assert error_text(real) == error_text(unknown) != ""
    assert "Tư pháp Q" not in real.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
