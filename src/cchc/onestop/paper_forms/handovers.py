"""The hand-overs of a dossier (giao, nhận hồ sơ), read from its events, for the process control
slip (Phiếu kiểm soát quá trình giải quyết hồ sơ).

Each step that moves the dossier from one holder to another is a row: who handed it over and
who took it (the one-stop desk, a department, a unit it was forwarded to, the applicant), when,
and whether the step came before, on or after the due date in force at that moment (the legal
due date, moved by each resumption after a supplement; an apology's new appointment does not
count). The procedures give no time per step, so every step is held to the dossier's due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from cchc.dossiers.clock import local_date
from cchc.dossiers.constants import EventAction, Timeliness
from cchc.dossiers.models import Department, Dossier, DossierEvent, timeliness_of
from cchc.org.models import Unit, User
from cchc.reports import sentences

DEFAULT_ONE_STOP_NAME = "Bộ phận Một cửa"
APPLICANT = "Người nộp hồ sơ"
# Events that are not a hand-over: an apology is a letter, an update or an import moves nothing.
NOT_HANDOVERS = (EventAction.APOLOGISED, EventAction.UPDATED, EventAction.IMPORTED)


def one_stop_name() -> str:
    """The one-stop desk's name (Nghị định 118/2025 also calls it Trung tâm Phục vụ hành chính
    công at some levels): the setting CCHC_ONE_STOP_NAME, else "Bộ phận Một cửa"."""
    return getattr(settings, "CCHC_ONE_STOP_NAME", "") or DEFAULT_ONE_STOP_NAME


def person(user: User | None) -> str:
    """The name a person signs with: the full name, else the login."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def agency_name(unit: Unit) -> str:
    """ "Xã Kim Thạch" → "UBND xã Kim Thạch" (the body that handles dossiers in that unit)."""
    return f"UBND {sentences.unit_in_text(unit.name)}"


@dataclass(frozen=True)
class Holder:
    """Where a dossier is: the one-stop desk of the receiving unit, a department, a unit."""

    unit: Unit
    department: Department | None = None
    at_desk: bool = False

    def label(self, receiving: Unit) -> str:
        if self.at_desk:
            return one_stop_name()
        if self.department is not None:
            own = self.unit.pk == receiving.pk
            return self.department.name if own else f"{self.department.name}, {self.unit.name}"
        return agency_name(self.unit)


@dataclass(frozen=True)
class Handover:
    """One row of the control slip."""

    action: str
    at: dt.datetime
    giver: str
    giver_person: str
    receiver: str
    receiver_person: str
    due_date: dt.date
    timeliness: str
    note: str = ""

    @property
    def result(self) -> str:
        return str(Timeliness(self.timeliness).label)


def _lookups(events: Iterable[DossierEvent]) -> tuple[dict[int, User], dict[int, Department]]:
    """The assignees and departments the events name by id, in one query each."""
    user_ids, department_ids = set(), set()
    for event in events:
        if event.action == EventAction.ASSIGNED and event.data.get("assignee"):
            user_ids.add(event.data["assignee"])
        if event.action == EventAction.FORWARDED and event.data.get("to_department"):
            department_ids.add(event.data["to_department"])
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    departments = Department.objects.in_bulk(department_ids) if department_ids else {}
    return users, departments


def _note(event: DossierEvent) -> str:
    items = [str(item) for item in event.data.get("items") or ()]
    parts = [event.note.strip()] if event.note.strip() else []
    if items:
        parts.append("Bổ sung: " + "; ".join(items))
    if event.action == EventAction.RESUMED and event.data.get("paused_working_days"):
        parts.append(f"Tạm dừng {event.data['paused_working_days']} ngày làm việc")
    return ". ".join(parts)


def handovers(dossier: Dossier, events: Iterable[DossierEvent]) -> list[Handover]:
    """The hand-overs of `dossier`, in order, from its `events` (with actors and units loaded).

    A dossier imported without its receipt event still gets its receipt row, from its own
    fields.
    """
    events = [e for e in events if e.action not in NOT_HANDOVERS]
    users, departments = _lookups(events)
    receiving = dossier.unit
    desk = Holder(receiving, at_desk=True)
    holder = desk
    due = dossier.initial_due_date
    applicant = dossier.applicant_name
    rows: list[Handover] = []

    def add(event, giver, giver_person, receiver, receiver_person, at=None, note=None) -> None:
        at = at or event.at
        rows.append(
            Handover(
                action=event.action if event else EventAction.RECEIVED,
                at=at,
                giver=giver,
                giver_person=giver_person,
                receiver=receiver,
                receiver_person=receiver_person,
                due_date=due,
                timeliness=timeliness_of(local_date(at), due),
                note=_note(event) if note is None else note,
            )
        )

    if not any(e.action == EventAction.RECEIVED for e in events):
        add(None, APPLICANT, applicant, desk.label(receiving), "", at=dossier.received_at, note="")
    for event in events:
        actor = person(event.actor)
        match event.action:
            case EventAction.RECEIVED:
                if event.data.get("due_date"):
                    due = dt.date.fromisoformat(event.data["due_date"])
                holder = desk
                add(event, APPLICANT, applicant, desk.label(receiving), actor)
            case EventAction.ASSIGNED:
                assignee = users.get(event.data.get("assignee"))
                taker = Holder(holder.unit, holder.department)
                add(event, holder.label(receiving), actor, taker.label(receiving), person(assignee))
                holder = taker
            case EventAction.FORWARDED:
                taker = Holder(
                    event.to_unit or holder.unit, departments.get(event.data.get("to_department"))
                )
                add(event, holder.label(receiving), actor, taker.label(receiving), "")
                holder = taker
            case EventAction.SUPPLEMENT_REQUESTED:
                add(event, holder.label(receiving), actor, APPLICANT, applicant)
            case EventAction.RESUMED:
                if event.data.get("due_date_after"):
                    due = dt.date.fromisoformat(event.data["due_date_after"])
                add(event, APPLICANT, applicant, holder.label(receiving), actor)
            case EventAction.RESOLVED | EventAction.APPROVED:
                add(event, holder.label(receiving), actor, desk.label(receiving), "")
                holder = desk
            case EventAction.RETURNED:
                add(event, desk.label(receiving), actor, APPLICANT, applicant)
            case EventAction.REJECTED | EventAction.STOPPED | EventAction.WITHDRAWN:
                add(event, holder.label(receiving), actor, APPLICANT, applicant)
    return rows
