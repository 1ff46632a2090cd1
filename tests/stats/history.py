"""A dossier's life written the way the lifecycle records it, for the statistics tests.

Pauses are intervals; a resumption moves the due date by cchc.dossiers.clock.shifted_due and
records the due date that holds from then on (DossierPause.due_date_after, Dossier.due_date and
due_date_since). Closing stores the outcome, the end date and, for a resolved dossier, its
timeliness against the due date of that day. The functions work on unsaved dossiers too, so a
generated history can be written with bulk_create.
"""

from __future__ import annotations

import datetime as dt

from cchc.dossiers.clock import shifted_due
from cchc.dossiers.constants import Outcome, Status
from cchc.dossiers.models import Dossier, DossierPause, timeliness_of
from cchc.workcalendar.calendar import VN_TZ

STATUS_OF_OUTCOME = {
    Outcome.RESOLVED: Status.RESOLVED,
    Outcome.REJECTED: Status.NOT_ACCEPTED,
    Outcome.WITHDRAWN: Status.WITHDRAWN,
}


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=VN_TZ)


def start_pause(dossier: Dossier, on: dt.date) -> DossierPause:
    """A supplement request on `on`: the clock stops (the pause is not saved)."""
    dossier.ever_paused = True
    dossier.status = Status.SUPPLEMENT
    return DossierPause(dossier=dossier, started_at=moment(on), started_date=on)


def end_pause(dossier: Dossier, pause: DossierPause, on: dt.date) -> None:
    """Resumption on `on`: the due date moves by the paused working days (nothing saved)."""
    days, due = shifted_due(dossier.due_date, pause.started_date, on)
    pause.resumed_at = moment(on, 10)
    pause.resumed_date = on
    pause.paused_working_days = days
    pause.due_date_after = due
    dossier.due_date = due
    dossier.due_at = dt.datetime.combine(due, dt.time(17, 0), tzinfo=VN_TZ)
    dossier.due_date_since = on
    dossier.status = Status.PROCESSING


def set_closed(dossier: Dossier, outcome: str, on: dt.date) -> None:
    """Resolved, rejected or withdrawn on `on` (nothing saved)."""
    dossier.outcome = outcome
    dossier.ended_at = moment(on, 15)
    dossier.ended_date = on
    dossier.status = STATUS_OF_OUTCOME[outcome]
    if outcome == Outcome.RESOLVED:
        dossier.timeliness = timeliness_of(on, dossier.due_date)


def pause(dossier: Dossier, on: dt.date, resumed: dt.date | None = None) -> DossierPause:
    """Save a pause from `on` (resumed on `resumed`, or still open)."""
    p = start_pause(dossier, on)
    if resumed is not None:
        end_pause(dossier, p, resumed)
    p.save()
    dossier.save()
    return p


def resume(dossier: Dossier, on: dt.date) -> DossierPause:
    """Save the resumption of the dossier's open pause."""
    p = dossier.pauses.get(resumed_date__isnull=True)
    end_pause(dossier, p, on)
    p.save()
    dossier.save()
    return p


def close(dossier: Dossier, outcome: str, on: dt.date) -> Dossier:
    set_closed(dossier, outcome, on)
    dossier.save()
    return dossier


def hand_over(dossier: Dossier, on: dt.date, **recorded) -> Dossier:
    """The result handed over on `on`, with what is recorded then (result_digitized, fee,
    paid_online)."""
    dossier.returned_at = moment(on, 16)
    dossier.status = Status.RETURNED
    for key, value in recorded.items():
        setattr(dossier, key, value)
    dossier.save()
    return dossier
