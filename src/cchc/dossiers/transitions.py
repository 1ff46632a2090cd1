"""The dossier state machine: what an action's declaration holds, the checks every service
runs against it, and the errors it raises.

Each action is declared once, in the registry cchc.dossiers.actions: from which statuses it
may start, the status it leads to, which roles may take it, the event it writes, the service
that performs it and what the API takes for it. The registry fills TRANSITIONS when the app
loads (DossiersConfig.ready); the services check their row here, and the web, the API and the
CLI ask `allowed_actions` which buttons to offer. Errors carry a Vietnamese message for people
and an English `code` (cchc.errors.ErrorCode) for machines (the API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.utils.translation import gettext, pgettext_lazy

from cchc.errors import ErrorCode
from cchc.org.constants import Role
from cchc.org.scopes import can_see_unit

from .constants import EventAction, Status

# The "status" of a dossier that does not exist yet: the source of `receive`.
NEW = ""


class Action(models.TextChoices):
    """The actions, in the order the dossier page offers them."""

    RECEIVE = "receive", pgettext_lazy("action", "Tiếp nhận")
    ASSIGN = "assign", pgettext_lazy("action", "Phân công xử lý")
    FORWARD = "forward", pgettext_lazy("action", "Chuyển xử lý")
    REQUEST_SUPPLEMENT = (
        "request_supplement",
        pgettext_lazy("action", "Yêu cầu bổ sung, hoàn thiện"),
    )
    RESUME = "resume", pgettext_lazy("action", "Tiếp tục xử lý")
    RESOLVE = "resolve", pgettext_lazy("action", "Phê duyệt, giải quyết xong")
    RETURN_RESULT = "return_result", pgettext_lazy("action", "Trả kết quả")
    REJECT = "reject", pgettext_lazy("action", "Từ chối")
    WITHDRAW = "withdraw", pgettext_lazy("action", "Rút hồ sơ")
    STOP = "stop", pgettext_lazy("action", "Dừng xử lý")
    APOLOGISE = "apologise", pgettext_lazy("action", "Xin lỗi, hẹn lại")


S, R = Status, Role
# Open statuses from which the work goes on (a paused dossier must be resumed first).
ACTIVE = (S.RECEIVED, S.PROCESSING)
OPEN = (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT)
# The roles a dossier can be assigned to.
PROCESSING_ROLES = (R.SPECIALIST, R.LEADER)


@dataclass(frozen=True)
class Transition:
    """One action as the registry declares it."""

    action: Action
    sources: frozenset[str]  # the statuses it may start from (NEW: it creates the dossier)
    target: str | None  # None: the status does not change
    roles: frozenset[str]
    event: EventAction  # the event it writes on the dossier's timeline
    service: Callable[..., Any]  # the one function of services.py that performs it
    api_input: type  # the serializer of what the API takes for it (api_inputs.py)
    danger: bool = False  # it closes or refuses the dossier: the page draws it as a danger
    # A further condition on the dossier for offering it (the status and role aside).
    offered_if: Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        # Declared with any iterable; kept as sets.
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "roles", frozenset(self.roles))

    @property
    def creates(self) -> bool:
        """Whether it brings a dossier into being (POST /api/dossiers/, not …/actions/)."""
        return NEW in self.sources


# Every action's declaration, in the order of Action: filled by the registry (`register`).
TRANSITIONS: dict[Action, Transition] = {}


def register(*declared: Transition) -> None:
    """Make the registry's declarations the state machine: every action once, in the order
    of Action (the order of the buttons)."""
    if [t.action for t in declared] != list(Action):
        raise ImproperlyConfigured(
            "cchc.dossiers.actions must declare every Action once, in the order of Action."
        )
    TRANSITIONS.clear()
    TRANSITIONS.update((t.action, t) for t in declared)


class DossierError(Exception):
    """A refused dossier action: `message` for people (Vietnamese), `code` for machines."""

    code = ErrorCode.DOSSIER_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(DossierError):
    code = ErrorCode.TRANSITION_NOT_ALLOWED


class StaleDossier(DossierError):
    code = ErrorCode.STALE_DOSSIER


class InvalidDossierInput(DossierError):
    code = ErrorCode.INVALID_INPUT


class ActionForbidden(PermissionDenied):
    """The actor may not act on this dossier (other unit's subtree, or a role not allowed)."""

    def __init__(self, message: str, *, code: ErrorCode) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def status_label(status: str) -> str:
    return str(Status(status).label) if status else gettext("(chưa có)")


def role_allows(action: Action, actor) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_superuser or actor.role in TRANSITIONS[action].roles


def require_role(action: Action, actor) -> Transition:
    transition = TRANSITIONS[action]
    if not role_allows(action, actor):
        raise ActionForbidden(
            gettext("Vai trò của bạn không được phép thực hiện thao tác “%(action)s”.")
            % {"action": action.label},
            code=ErrorCode.ROLE_NOT_ALLOWED,
        )
    return transition


def require_status(action: Action, status: str) -> Transition:
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise TransitionNotAllowed(
            gettext("Không thể “%(action)s” hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": action.label, "status": status_label(status)}
        )
    return transition


def can_act_on(actor, dossier) -> bool:
    """Whether the dossier's receiving unit, or the unit it was forwarded to (liên thông), lies
    in the actor's subtree."""
    return can_see_unit(actor, dossier.unit) or (
        dossier.handling_unit_id is not None and can_see_unit(actor, dossier.handling_unit)
    )


def require_scope(actor, dossier) -> None:
    if not can_act_on(actor, dossier):
        raise ActionForbidden(
            gettext("Hồ sơ %(code)s không thuộc phạm vi đơn vị của bạn.") % {"code": dossier.code},
            code=ErrorCode.OUT_OF_SCOPE,
        )


def apology_not_given(dossier) -> bool:
    """The new appointment of an apology may be set only once (regulations.md §1)."""
    return dossier.appointment_at is None


def require_no_apology(dossier) -> None:
    if not apology_not_given(dossier):
        raise TransitionNotAllowed(
            gettext(
                "Hồ sơ %(code)s đã có thư xin lỗi và hẹn lại ngày trả kết quả; "
                "chỉ được hẹn lại một lần."
            )
            % {"code": dossier.code},
            code=ErrorCode.APOLOGY_ALREADY_GIVEN,
        )


def allowed_actions(dossier, actor) -> list[Action]:
    """The actions `actor` may take on `dossier` now: the buttons to offer."""
    if not can_act_on(actor, dossier):
        return []
    return [
        action
        for action, transition in TRANSITIONS.items()
        if dossier.status in transition.sources
        and role_allows(action, actor)
        and (transition.offered_if is None or transition.offered_if(dossier))
    ]
