"""The registry of dossier actions (cchc.dossiers.actions) is the one list: the state machine,
the API's endpoints, the page's forms and the page's buttons all cover the same actions, and an
action declared there without an endpoint, a form or a button fails here."""

import inspect
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from cchc.dossiers.constants import Status
from cchc.dossiers.models import Dossier
from cchc.dossiers.transitions import NEW, TRANSITIONS, Action, register
from cchc.onestop.forms import ACTION_FORMS, ActionForm
from cchc.org.constants import Role

from .conftest import client_of

# Every action but receiving, which creates the dossier (POST /api/dossiers/, its own page).
ON_A_DOSSIER = {action for action, transition in TRANSITIONS.items() if not transition.creates}
ACTIONS_PATH = re.compile(r"^/api/dossiers/\{code\}/actions/([a-z_]+)/$")
BUTTON = re.compile(r'<details class="os-action( os-action--danger)?" data-action="([a-z_]+)"')


def test_the_registry_declares_every_action_once_in_the_order_of_the_buttons():
    assert list(TRANSITIONS) == list(Action)
    assert all(transition.action == action for action, transition in TRANSITIONS.items())
    assert [a for a, t in TRANSITIONS.items() if t.creates] == [Action.RECEIVE]
    assert set(Action) - {Action.RECEIVE} == ON_A_DOSSIER


def test_a_registry_that_leaves_out_an_action_is_refused():
    declared = list(TRANSITIONS.values())
    with pytest.raises(ImproperlyConfigured):
        register(*declared[:-1])
    with pytest.raises(ImproperlyConfigured):
        register(*declared, declared[-1])
    with pytest.raises(ImproperlyConfigured):
        register(*reversed(declared))
    assert list(TRANSITIONS.values()) == declared


@pytest.mark.parametrize("action", list(Action))
def test_every_action_names_its_service_and_api_input(action):
    transition = TRANSITIONS[action]
    assert callable(transition.service)
    assert issubclass(transition.api_input, serializers.Serializer)
    assert transition.service.__module__ == "cchc.dossiers.services"
    # What the API takes is what the service is called with: each field is one of its keywords.
    keywords = inspect.signature(transition.service).parameters
    assert set(transition.api_input().fields) <= set(keywords)


def test_every_action_on_a_dossier_has_one_api_endpoint_and_receiving_is_the_list_post():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = {m.group(1) for path in schema["paths"] if (m := ACTIONS_PATH.match(path))}
    assert endpoints == {action.value for action in ON_A_DOSSIER}
    for action in ON_A_DOSSIER:
        operation = schema["paths"][f"/api/dossiers/{{code}}/actions/{action.value}/"]["post"]
        assert operation["operationId"] == f"dossiers_{action.value}"
        name = TRANSITIONS[action].api_input.__name__.removesuffix("Serializer")
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{name}"}
        assert reverse(f"dossier-action-{action.value.replace('_', '-')}", args=["X"])
    create = schema["paths"]["/api/dossiers/"]["post"]["requestBody"]["content"]
    name = TRANSITIONS[Action.RECEIVE].api_input.__name__.removesuffix("Serializer")
    assert create["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}
    with pytest.raises(NoReverseMatch):
        reverse("dossier-action-receive", args=["X"])


def test_every_action_on_a_dossier_has_one_page_form_that_posts_what_its_service_takes():
    assert set(ACTION_FORMS) == ON_A_DOSSIER
    for action, form in ACTION_FORMS.items():
        assert issubclass(form, ActionForm)
        assert form.action == action
        keywords = inspect.signature(TRANSITIONS[action].service).parameters
        assert set(form.base_fields) <= set(keywords), action


def test_the_page_has_the_action_view_of_every_action_on_a_dossier(world, dossier):
    officer = client_of(world.staff[Role.OFFICER])
    for action in ON_A_DOSSIER:
        url = reverse("onestop:action", args=[dossier.code, action.value])
        assert officer.get(url).status_code == 200, action
    url = reverse("onestop:action", args=[dossier.code, Action.RECEIVE.value])
    assert officer.get(url).status_code == 404


def test_the_page_offers_a_button_for_every_action_on_a_dossier_and_only_those(world, dossier):
    """Every role of the unit on the dossier in every status: the union of the buttons is the
    registry, and those drawn as a danger are the ones it declares so."""
    offered, danger = set(), set()
    sources = {s for t in TRANSITIONS.values() for s in t.sources} - {NEW}
    assert sources
    for status in Status.values:
        Dossier.objects.filter(pk=dossier.pk).update(status=status)
        for person in world.staff.values():
            page = client_of(person).get(reverse("onestop:dossier", args=[dossier.code]))
            assert page.status_code == 200
            for is_danger, action in BUTTON.findall(page.content.decode()):
                offered.add(action)
                if is_danger:
                    danger.add(action)
    assert offered == {action.value for action in ON_A_DOSSIER}
    assert danger == {a.value for a, t in TRANSITIONS.items() if t.danger}
    # Those that close or refuse the dossier.
    assert danger == {"reject", "withdraw", "stop"}
