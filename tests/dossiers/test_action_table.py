"""Who may do what from which status, written out cell by cell, independent of the registry
(cchc.dossiers.actions): role_allows, require_role, require_status and allowed_actions must
agree with it for every role × action × status.

The table follows domain.md ("Who works with it", "Dossiers and their life") and the forms of
regulations.md §1:
- the one-stop officer (O) receives, asks for supplements, rejects, returns results and
  apologises; the desk also hands a dossier on (assigns, forwards), takes it back up when the
  applicant has supplemented it and records the applicant's withdrawal;
- the specialist (S) processes and approves what is assigned: forwards, asks for supplements,
  resumes, resolves, rejects an ineligible dossier;
- the leader (L, lãnh đạo UBND, also an approver) assigns, forwards, asks for supplements,
  resolves, rejects, stops processing (Thông báo dừng giải quyết) and signs the apology
  (Phiếu xin lỗi, "signed by the head of the agency"); a leader does not resume a paused
  dossier (the desk or the specialist receives the supplement) and does not withdraw one
  (only the applicant withdraws, at the desk);
- the reform officer and the unit admin take no lifecycle action.
A paused dossier (supplement) is resumed before any work goes on; a resolved one only has
its result returned; a closed one takes nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from cchc.dossiers.constants import Status
from cchc.dossiers.transitions import (
    NEW,
    Action,
    ActionForbidden,
    TransitionNotAllowed,
    allowed_actions,
    require_role,
    require_status,
    role_allows,
)
from cchc.org.constants import Role
from tests.factories import DossierFactory, UserFactory

# Columns: the status a dossier is in ("new": it does not exist yet). A cell lists the roles
# that may take the action from that status: O officer, S specialist, L leader; "-" nobody.
TABLE = """
action             new registered received processing supplement awaiting_fee resolved returned not_accepted withdrawn stopped
receive             O      -         -         -          -           -          -        -         -           -        -
assign              -      -         OL        OL         -           -          -        -         -           -        -
forward             -      -         OSL       OSL        -           -          -        -         -           -        -
request_supplement  -      -         OSL       OSL        -           -          -        -         -           -        -
resume              -      -         -         -          OS          -          -        -         -           -        -
resolve             -      -         SL        SL         -           -          -        -         -           -        -
return_result       -      -         -         -          -           -          O        -         -           -        -
reject              -      -         OSL       OSL        OSL         -          -        -         -           -        -
withdraw            -      -         O         O          O           -          -        -         -           -        -
stop                -      -         L         L          L           -          -        -         -           -        -
apologise           -      -         OL        OL         OL          -          -        -         -           -        -
"""

LETTER = {"O": Role.OFFICER, "S": Role.SPECIALIST, "L": Role.LEADER}


def _read(table: str) -> dict[tuple[str, str], frozenset[str]]:
    header, *rows = table.strip().splitlines()
    statuses = [NEW if name == "new" else Status(name) for name in header.split()[1:]]
    cells = {}
    for row in rows:
        action, *entries = row.split()
        assert len(entries) == len(statuses), action
        for status, entry in zip(statuses, entries, strict=True):
            roles = frozenset() if entry == "-" else frozenset(LETTER[c] for c in entry)
            cells[(Action(action), status)] = roles
    return cells


EXPECTED = _read(TABLE)
STATUSES = [NEW, *Status]
ROLES = list(Role)


def expected_roles(action: Action) -> frozenset[str]:
    """The roles that may take `action` from some status."""
    return frozenset().union(*(EXPECTED[(action, s)] for s in STATUSES))


def expected_statuses(action: Action) -> set[str]:
    return {s for s in STATUSES if EXPECTED[(action, s)]}


def test_the_table_covers_every_action_and_every_status():
    assert {a for a, _s in EXPECTED} == set(Action)
    assert {s for _a, s in EXPECTED} == set(STATUSES)


# The mutations this file is meant to catch, spelled out once as plain facts.
def test_the_leader_assigns_but_neither_resumes_nor_withdraws():
    assert Role.LEADER in expected_roles(Action.ASSIGN)
    assert Role.LEADER not in expected_roles(Action.RESUME)
    assert Role.LEADER not in expected_roles(Action.WITHDRAW)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action))
def test_role_allows_and_require_role_follow_the_table(action, role):
    actor = UserFactory(role=role)
    allowed = role in expected_roles(action)
    assert role_allows(action, actor) is allowed
    if allowed:
        assert require_role(action, actor).action == action
    else:
        with pytest.raises(ActionForbidden) as caught:
            require_role(action, actor)
        assert caught.value.code == "role_not_allowed"


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(Action))
def test_require_status_follows_the_table(action, status):
    if status in expected_statuses(action):
        assert require_status(action, status).action == action
    else:
        with pytest.raises(TransitionNotAllowed) as caught:
            require_status(action, status)
        assert caught.value.code == "transition_not_allowed"


@pytest.fixture
def people(tree):
    """One active person of each role at the district, whose subtree holds the dossiers."""
    return {role: UserFactory(unit=tree["P-D"], role=role) for role in ROLES}


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_offer_exactly_the_cells_of_the_table(tree, people, status):
    dossier = DossierFactory(unit=tree["P-D-1"], status=status)
    assert dossier.appointment_at is None  # no apology yet: it is still offered
    for role, actor in people.items():
        expected = [a for a in Action if role in EXPECTED[(a, status)]]
        assert allowed_actions(dossier, actor) == expected, (status, role)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT])
def test_a_second_apology_is_not_offered_to_anyone(tree, people, status):
    dossier = DossierFactory(unit=tree["P-D-1"], status=status)
    dossier.appointment_at = dossier.due_at
    for role, actor in people.items():
        expected = [
            a for a in Action if role in EXPECTED[(a, status)] and a is not Action.APOLOGISE
        ]
        assert allowed_actions(dossier, actor) == expected, (status, role)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_a_superuser_may_take_every_action_the_status_permits(tree, status):
    admin = UserFactory(unit=None, role=Role.ADMIN, is_superuser=True)
    dossier = DossierFactory(unit=tree["P-D-1"], status=status)
    assert all(role_allows(a, admin) for a in Action)
    assert allowed_actions(dossier, admin) == [a for a in Action if EXPECTED[(a, status)]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_an_inactive_or_anonymous_person_may_take_no_action(tree, role):
    inactive = UserFactory(unit=tree["P-D"], role=role, is_active=False)
    dossier = DossierFactory(unit=tree["P-D-1"], status=Status.PROCESSING)
    for actor in (inactive, AnonymousUser(), None):
        assert not any(role_allows(a, actor) for a in Action)
        with pytest.raises(ActionForbidden):
            require_role(Action.FORWARD, actor)
    assert allowed_actions(dossier, inactive) == []
    assert allowed_actions(dossier, AnonymousUser()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SPECIALIST, Role.LEADER])
def test_nothing_is_offered_outside_the_subtree_whatever_the_role(tree, role):
    outsider = UserFactory(unit=tree["Q"], role=role)
    sibling = UserFactory(unit=tree["P-D-2"], role=role)
    dossier = DossierFactory(unit=tree["P-D-1"], status=Status.PROCESSING)
    assert allowed_actions(dossier, outsider) == []
    assert allowed_actions(dossier, sibling) == []


@pytest.mark.django_db
def test_a_dossier_forwarded_into_the_subtree_is_offered_there(tree):
    # Liên thông: the unit it was forwarded to acts on it too.
    officer = UserFactory(unit=tree["Q-1"], role=Role.OFFICER)
    dossier = DossierFactory(unit=tree["P-D-1"], status=Status.PROCESSING)
    assert allowed_actions(dossier, officer) == []
    dossier.handling_unit = tree["Q-1"]
    assert allowed_actions(dossier, officer) == [
        a for a in Action if Role.OFFICER in EXPECTED[(a, Status.PROCESSING)]
    ]


# --- The refusals say what was refused, in the reader's language ---------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Không thể “Rút hồ sơ” hồ sơ đang ở trạng thái “Đã trả kết quả”."),
        (
            "en",
            "The action “Withdraw” is not possible for a dossier with status “Result returned”.",
        ),
    ],
)
def test_a_status_refusal_names_the_action_and_the_status(language, expected):
    with translation.override(language), pytest.raises(TransitionNotAllowed) as caught:
        require_status(Action.WITHDRAW, Status.RETURNED)
    assert caught.value.message == expected
    assert caught.value.code == "transition_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Vai trò của bạn không được phép thực hiện thao tác “Dừng xử lý”."),
        ("en", "Your role may not perform the action “Stop processing”."),
    ],
)
def test_a_role_refusal_names_the_action(language, expected):
    officer = UserFactory(role=Role.OFFICER)
    with translation.override(language), pytest.raises(ActionForbidden) as caught:
        require_role(Action.STOP, officer)
    assert caught.value.message == expected
    assert caught.value.code == "role_not_allowed"
