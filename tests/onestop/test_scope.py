"""Every one-stop view refuses a dossier outside the person's subtree as if it did not exist,
and lists never show one."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.constants import Status
from cchc.dossiers.models import Dossier
from cchc.dossiers.transitions import Action
from cchc.onestop.forms import ACTION_FORMS
from cchc.org.constants import Role

from .conftest import client_of, receive_now

ACTIONS = [action.value for action in ACTION_FORMS]
PRINTS = [
    (kind, fmt)
    for kind in ("receipt", "control_slip", "supplement", "rejection", "apology", "stop")
    for fmt in ("docx", "pdf")
]


@pytest.fixture
def theirs(world):
    """A dossier of commune P-D-1 with a digitised result, as seen by people elsewhere."""
    staff = world.staff
    dossier = receive_now(world)
    dossier = services.assign_dossier(
        dossier,
        actor=staff[Role.OFFICER],
        expected_version=dossier.version,
        assignee=staff[Role.SPECIALIST],
    )
    dossier = services.resolve_dossier(
        dossier, actor=staff[Role.SPECIALIST], expected_version=dossier.version
    )
    return services.return_result(
        dossier,
        actor=staff[Role.OFFICER],
        expected_version=dossier.version,
        result_file=ContentFile(b"result", name="ket-qua.pdf"),
    )


@pytest.fixture(params=["outsider", "sibling"])
def stranger(request, world):
    """An officer of another province, and one of the neighbouring commune."""
    people = world.outsider if request.param == "outsider" else world.sibling
    return client_of(people[Role.OFFICER])


def test_the_dossier_page_is_not_found(stranger, theirs):
    response = stranger.get(reverse("onestop:dossier", args=[theirs.code]))
    assert response.status_code == 404
    assert theirs.applicant_name not in response.content.decode()


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_not_found(stranger, theirs, action):
    url = reverse("onestop:action", args=[theirs.code, action])
    assert stranger.get(url).status_code == 404
    response = stranger.post(url, {f"{action}-expected_version": theirs.version})
    assert response.status_code == 404
    assert Dossier.objects.get(pk=theirs.pk).version == theirs.version


def test_their_files_are_not_found(stranger, theirs):
    stored = theirs.files.get()
    assert stranger.get(reverse("onestop:file", args=[theirs.code, stored.pk])).status_code == 404


@pytest.mark.parametrize("kind,fmt", PRINTS)
def test_their_forms_are_not_found(stranger, theirs, kind, fmt):
    response = stranger.get(reverse("onestop:print", args=[theirs.code, kind, fmt]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "slug", [None, "cua-toi", "sap-den-han", "qua-han", "cho-bo-sung", "hom-nay"]
)
def test_their_dossiers_are_in_no_list(stranger, theirs, slug):
    url = reverse("onestop:queue", args=[slug]) if slug else reverse("onestop:list")
    response = stranger.get(url, {"q": theirs.code})
    assert f'data-code="{theirs.code}"' not in response.content.decode()
    assert 'data-code="' not in stranger.get(url).content.decode()


def test_their_tracking_book_is_not_found(stranger, world, theirs):
    day = f"{theirs.received_date:%d/%m/%Y}"
    response = stranger.get(
        reverse("onestop:tracking_book"), {"unit": world.unit.code, "start": day, "end": day}
    )
    assert response.status_code == 404


def test_a_file_of_another_dossier_is_not_served_through_mine(world, theirs):
    mine = receive_now(world)
    stored = theirs.files.get()
    client = client_of(world.staff[Role.OFFICER])
    assert client.get(reverse("onestop:file", args=[mine.code, stored.pk])).status_code == 404


def test_the_district_above_sees_and_acts_on_the_communes_dossier(world):
    dossier = receive_now(world)
    client = client_of(world.district[Role.OFFICER])
    assert client.get(reverse("onestop:dossier", args=[dossier.code])).status_code == 200
    response = client.post(
        reverse("onestop:action", args=[dossier.code, Action.WITHDRAW.value]),
        {"withdraw-expected_version": dossier.version, "withdraw-reason": "Xin rút"},
    )
    assert response.status_code == 303
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_a_dossier_forwarded_to_another_unit_is_theirs_too(world):
    dossier = receive_now(world)
    services.forward_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        to_unit=world.tree["P-D-2"],
    )
    client = client_of(world.sibling[Role.SPECIALIST])
    assert client.get(reverse("onestop:dossier", args=[dossier.code])).status_code == 200


def test_a_person_without_a_unit_sees_nothing(world, theirs):
    from tests.factories import UserFactory

    nobody = client_of(UserFactory(username="lost", unit=None))
    assert nobody.get(reverse("onestop:dossier", args=[theirs.code])).status_code == 404
    assert theirs.code not in nobody.get(reverse("onestop:list")).content.decode()
