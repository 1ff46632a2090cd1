"""A dossier's legal clock: due dates from the procedure's processing time, moved by pauses."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from cchc.catalog.constants import TimeUnit
from cchc.catalog.models import Procedure
from cchc.workcalendar import calendar

VN_TZ = calendar.VN_TZ


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def legal_due(procedure: Procedure | None, received_at: dt.datetime) -> dt.datetime:
    """The legal due moment: processing time in working days (office close on the due date,
    the day of receipt not counted) or in working hours.

    Without a procedure the dossier is due within the day ("trong ngày"); a fraction of a day
    counts as a whole working day.
    """
    if procedure is None:
        return calendar.due_datetime(received_at, 0)
    amount = Decimal(procedure.processing_time)
    if procedure.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_hours(received_at, float(amount))
    days = int(amount.to_integral_value(rounding=ROUND_CEILING))
    return calendar.due_datetime(received_at, days)


def shifted_due(
    due_date: dt.date, paused_from: dt.date, resumed_on: dt.date
) -> tuple[int, dt.date]:
    """(paused working days, new due date) for a pause from `paused_from` to `resumed_on`.

    The working days after the pause began up to and including the resumption day are added
    to the due date, so the time already spent before the pause still counts. Pauses are
    half-open intervals (paused_from, resumed_on]: a second pause that starts on the day the
    first one ended counts no day twice, and each pause shifts the due date the previous one
    left.
    """
    paused = max(0, calendar.working_days_between(paused_from, resumed_on))
    if paused == 0:
        return 0, due_date
    return paused, calendar.add_working_days(due_date, paused)
