"""The registry of dossier actions: each declared once, with the statuses it may start from,
the status it leads to, the roles that may take it, the event it writes, the service that
performs it, what the API takes for it and whether it closes or refuses the dossier.

The state machine (transitions.TRANSITIONS, `allowed_actions`), the API's action endpoints
(api.py) and the one-stop page's buttons and action view are generated from it; the app fills
it when it loads (DossiersConfig.ready). Receiving, which creates the dossier, has its own page
and POST /api/dossiers/, which call the service and input declared here by name. A new action is: its Action value, its service, its
API input (api_inputs.py), one declaration here and its form in cchc.onestop.forms (tests
check that the registry, the endpoints, the forms and the buttons cover the same actions).
"""

from __future__ import annotations

from cchc.org.constants import Role as R

from . import api_inputs as inputs
from . import services
from .constants import EventAction
from .constants import Status as S
from .transitions import ACTIVE, NEW, OPEN, Action, Transition, apology_not_given, register

register(
    Transition(
        Action.RECEIVE,
        sources=[NEW],
        target=S.RECEIVED,
        roles=[R.OFFICER],
        event=EventAction.RECEIVED,
        service=services.receive_dossier,
        api_input=inputs.ReceiveSerializer,
    ),
    Transition(
        Action.ASSIGN,
        sources=ACTIVE,
        target=S.PROCESSING,
        roles=[R.OFFICER, R.LEADER],
        event=EventAction.ASSIGNED,
        service=services.assign_dossier,
        api_input=inputs.AssignSerializer,
    ),
    Transition(
        Action.FORWARD,
        sources=ACTIVE,
        target=S.PROCESSING,
        roles=[R.OFFICER, R.SPECIALIST, R.LEADER],
        event=EventAction.FORWARDED,
        service=services.forward_dossier,
        api_input=inputs.ForwardSerializer,
    ),
    Transition(
        Action.REQUEST_SUPPLEMENT,
        sources=ACTIVE,
        target=S.SUPPLEMENT,
        roles=[R.OFFICER, R.SPECIALIST, R.LEADER],
        event=EventAction.SUPPLEMENT_REQUESTED,
        service=services.request_supplement,
        api_input=inputs.RequestSupplementSerializer,
    ),
    Transition(
        Action.RESUME,
        sources=[S.SUPPLEMENT],
        target=S.PROCESSING,
        roles=[R.OFFICER, R.SPECIALIST],
        event=EventAction.RESUMED,
        service=services.resume_dossier,
        api_input=inputs.NoteSerializer,
    ),
    Transition(
        Action.RESOLVE,
        sources=ACTIVE,
        target=S.RESOLVED,
        roles=[R.SPECIALIST, R.LEADER],
        event=EventAction.RESOLVED,
        service=services.resolve_dossier,
        api_input=inputs.NoteSerializer,
    ),
    Transition(
        Action.RETURN_RESULT,
        sources=[S.RESOLVED],
        target=S.RETURNED,
        roles=[R.OFFICER],
        event=EventAction.RETURNED,
        service=services.return_result,
        api_input=inputs.ReturnResultSerializer,
    ),
    Transition(
        Action.REJECT,
        sources=OPEN,
        target=S.NOT_ACCEPTED,
        roles=[R.OFFICER, R.SPECIALIST, R.LEADER],
        event=EventAction.REJECTED,
        service=services.reject_dossier,
        api_input=inputs.ReasonSerializer,
        danger=True,
    ),
    Transition(
        Action.WITHDRAW,
        sources=OPEN,
        target=S.WITHDRAWN,
        roles=[R.OFFICER],
        event=EventAction.WITHDRAWN,
        service=services.withdraw_dossier,
        api_input=inputs.ReasonSerializer,
        danger=True,
    ),
    Transition(
        Action.STOP,
        sources=OPEN,
        target=S.STOPPED,
        roles=[R.LEADER],
        event=EventAction.STOPPED,
        service=services.stop_dossier,
        api_input=inputs.ReasonSerializer,
        danger=True,
    ),
    Transition(
        Action.APOLOGISE,
        sources=OPEN,
        target=None,
        roles=[R.OFFICER, R.LEADER],
        event=EventAction.APOLOGISED,
        service=services.apologise,
        api_input=inputs.ApologiseSerializer,
        offered_if=apology_not_given,
    ),
)
