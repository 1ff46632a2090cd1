"""The transition table: its shape, and the refusals it makes by status and by role."""

import pytest

from cchc.dossiers.constants import DVCQG_STATUS_CODE, EventAction, Status
from cchc.dossiers.transitions import (
    NEW,
    TRANSITIONS,
    Action,
    ActionForbidden,
    TransitionNotAllowed,
    allowed_actions,
    require_role,
    require_status,
)
from cchc.org.constants import Role
from tests.factories import DossierFactory, UserFactory

ALL_STATUSES = [NEW, *Status.values]
CLOSED = {Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}


def test_every_action_has_exactly_one_row_of_the_table():
    assert set(TRANSITIONS) == set(Action)
    assert all(t.action == action for action, t in TRANSITIONS.items())


def test_every_target_status_maps_onto_a_dvcqg_status_code():
    targets = {t.target for t in TRANSITIONS.values() if t.target is not None}
    assert targets <= set(DVCQG_STATUS_CODE)
    assert all(isinstance(t.event, EventAction) for t in TRANSITIONS.values())


def test_only_receive_starts_from_a_dossier_that_does_not_exist():
    assert [a for a, t in TRANSITIONS.items() if NEW in t.sources] == [Action.RECEIVE]


def test_closed_dossiers_allow_no_action():
    for transition in TRANSITIONS.values():
        assert not (transition.sources & CLOSED), transition.action


def test_a_resolved_dossier_can_only_have_its_result_returned():
    assert [a for a, t in TRANSITIONS.items() if Status.RESOLVED in t.sources] == [
        Action.RETURN_RESULT
    ]


def test_a_paused_dossier_cannot_be_processed_before_it_is_resumed():
    allowed = {a for a, t in TRANSITIONS.items() if Status.SUPPLEMENT in t.sources}
    assert allowed == {Action.RESUME, Action.REJECT, Action.WITHDRAW, Action.STOP, Action.APOLOGISE}


def test_reform_officers_and_unit_admins_take_no_lifecycle_action():
    for transition in TRANSITIONS.values():
        assert Role.REFORM_OFFICER not in transition.roles
        assert Role.ADMIN not in transition.roles


@pytest.mark.parametrize(
    ("action", "status"),
    [(a, s) for a in Action for s in ALL_STATUSES if s not in TRANSITIONS[a].sources],
)
def test_status_outside_the_table_is_refused(action, status):
    with pytest.raises(TransitionNotAllowed) as caught:
        require_status(action, status)
    assert caught.value.code == "transition_not_allowed"
    assert "Không thể" in caught.value.message


@pytest.mark.parametrize(
    ("action", "status"), [(a, s) for a in Action for s in TRANSITIONS[a].sources]
)
def test_status_inside_the_table_is_accepted(action, status):
    assert require_status(action, status) is TRANSITIONS[action]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "role"), [(a, r) for a in Action for r in Role if r not in TRANSITIONS[a].roles]
)
def test_role_outside_the_table_is_refused(action, role):
    actor = UserFactory(role=role)
    with pytest.raises(ActionForbidden) as caught:
        require_role(action, actor)
    assert caught.value.code == "role_not_allowed"


@pytest.mark.django_db
def test_an_inactive_person_takes_no_action():
    actor = UserFactory(role=Role.OFFICER, is_active=False)
    with pytest.raises(ActionForbidden):
        require_role(Action.RECEIVE, actor)


@pytest.mark.django_db
def test_allowed_actions_offers_what_the_role_and_status_permit(tree):
    officer = UserFactory(unit=tree["P-D"], role=Role.OFFICER)
    leader = UserFactory(unit=tree["P-D"], role=Role.LEADER)
    dossier = DossierFactory(unit=tree["P-D-1"], status=Status.PROCESSING)
    assert set(allowed_actions(dossier, officer)) == {
        Action.ASSIGN,
        Action.FORWARD,
        Action.REQUEST_SUPPLEMENT,
        Action.REJECT,
        Action.WITHDRAW,
        Action.APOLOGISE,
    }
    assert Action.RESOLVE in allowed_actions(dossier, leader)
    assert Action.STOP in allowed_actions(dossier, leader)


@pytest.mark.django_db
def test_allowed_actions_is_empty_outside_the_subtree_and_drops_a_second_apology(tree):
    outsider = UserFactory(unit=tree["Q"], role=Role.OFFICER)
    dossier = DossierFactory(unit=tree["P-D-1"], status=Status.PROCESSING)
    assert allowed_actions(dossier, outsider) == []
    officer = UserFactory(unit=tree["P-D-1"], role=Role.OFFICER)
    dossier.appointment_at = dossier.due_at
    assert Action.APOLOGISE not in allowed_actions(dossier, officer)
