"""A dossier's legal clock: due dates from the procedure's processing time, moved by pauses.

Days are counted on the calendar of the dossier's receiving `unit` (national overrides and
its province's own, cchc.workcalendar); without a unit, the national calendar.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from django.db.models import Q

from cchc.catalog.constants import TimeUnit
from cchc.catalog.models import Procedure
from cchc.workcalendar import calendar

VN_TZ = calendar.VN_TZ


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def legal_due(procedure: Procedure | None, received_at: dt.datetime, unit=None) -> dt.datetime:
    """The legal due moment: processing time in working days (office close on the due date,
    the day of receipt not counted) or in working hours.

    Without a procedure the dossier is due within the day ("trong ngày"); a fraction of a day
    counts as a whole working day.
    """
    if procedure is None:
        return calendar.due_datetime(received_at, 0, unit)
    amount = Decimal(procedure.processing_time)
    if procedure.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_hours(received_at, float(amount), unit)
    days = int(amount.to_integral_value(rounding=ROUND_CEILING))
    return calendar.due_datetime(received_at, days, unit)


def shifted_due(
    due_date: dt.date, paused_from: dt.date, resumed_on: dt.date, unit=None
) -> tuple[int, dt.date]:
    """(paused working days, new due date) for a pause from `paused_from` to `resumed_on`.

    The working days after the pause began up to and including the resumption day are added
    to the due date, so the time already spent before the pause still counts. Pauses are
    half-open intervals (paused_from, resumed_on]: a second pause that starts on the day the
    first one ended counts no day twice, and each pause shifts the due date the previous one
    left.
    """
    paused = max(0, calendar.working_days_between(paused_from, resumed_on, unit))
    if paused == 0:
        return 0, due_date
    return paused, calendar.add_working_days(due_date, paused, unit)


def due_by(today: dt.date, working_days: int, path_field: str = "unit__path") -> Q:
    """Rows whose `due_date` is at most `working_days` working days after `today`, each by
    its unit's calendar (`path_field`: the path of the unit whose calendar counts)."""
    national = calendar.add_working_days(today, working_days)
    own = sorted(calendar.provinces_with_overrides())
    prefixes = {code: f"/{code}/" for code in own}
    condition = Q(due_date__lte=national)
    for code in own:
        condition &= ~Q(**{f"{path_field}__startswith": prefixes[code]})
    for code in own:
        until = calendar.add_working_days(today, working_days, prefixes[code])
        condition |= Q(**{f"{path_field}__startswith": prefixes[code], "due_date__lte": until})
    return condition
