"""Working-day and working-hour arithmetic (Bộ luật Dân sự 2015 Art. 147-148).

The rule base is the `holidays` package (country VN: Tết by the lunar calendar, substitute
days); an admin's CalendarOverride rows win over it. The day a dossier is received is not
counted, and a deadline always lands on a working day.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_lock = threading.Lock()
_overrides: dict[dt.date, bool] | None = None


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _load_overrides() -> dict[dt.date, bool]:
    global _overrides
    with _lock:
        if _overrides is None:
            from .models import CalendarOverride

            _overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        return _overrides


def invalidate_cache() -> None:
    """Forget the overrides; called whenever an override is saved or deleted."""
    global _overrides
    with _lock:
        _overrides = None


def is_working_day(day: dt.date) -> bool:
    override = _load_overrides().get(day)
    if override is not None:
        return override
    return day.weekday() in settings.CCHC_WORKING_WEEKDAYS and day not in _holidays_of(day.year)


def holiday_name(day: dt.date) -> str | None:
    return holidays.country_holidays("VN", years=day.year).get(day)


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.astimezone(VN_TZ) if value.tzinfo else value).date()
    return value


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date | dt.datetime, days: int) -> dt.date:
    """The date `days` working days after `start`; the start day itself is not counted.

    0 days ("trong ngày") gives the start day, or the next working day when it is a day off.
    """
    day = _as_local_date(start)
    if days <= 0:
        return next_working_day(day)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end (negative when end < start).

    The inverse of add_working_days: working_days_between(a, add_working_days(a, n)) == n.
    """
    start, end = _as_local_date(start), _as_local_date(end)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def _office_hours() -> list[tuple[dt.time, dt.time]]:
    return [
        (dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in settings.CCHC_OFFICE_HOURS
    ]


def office_close(day: dt.date) -> dt.datetime:
    """The end of office hours on `day`, Vietnam time: the moment a day-based deadline expires."""
    return dt.datetime.combine(day, _office_hours()[-1][1], tzinfo=VN_TZ)


def due_datetime(received: dt.date | dt.datetime, days: int) -> dt.datetime:
    """The legal due moment of a day-based processing time: office close on the due date."""
    return office_close(add_working_days(received, days))


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` office hours after `start` (office hours and days off skipped)."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=VN_TZ)
    current = start.astimezone(VN_TZ)
    remaining = dt.timedelta(hours=hours)
    slots = _office_hours()
    day = current.date()
    while True:
        if is_working_day(day):
            for begin, finish in slots:
                slot_start = dt.datetime.combine(day, begin, tzinfo=VN_TZ)
                slot_end = dt.datetime.combine(day, finish, tzinfo=VN_TZ)
                if current >= slot_end:
                    continue
                current = max(current, slot_start)
                available = slot_end - current
                if remaining <= available:
                    # A deadline exactly at a slot's end stays there rather than the next opening.
                    return current + remaining
                remaining -= available
                current = slot_end
        day += dt.timedelta(days=1)
        current = dt.datetime.combine(day, dt.time(0, 0), tzinfo=VN_TZ)


def working_hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Office hours elapsed from `start` to `end` (0 when end <= start)."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=VN_TZ)
    if end.tzinfo is None:
        end = end.replace(tzinfo=VN_TZ)
    start, end = start.astimezone(VN_TZ), end.astimezone(VN_TZ)
    if end <= start:
        return 0.0
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            for begin, finish in _office_hours():
                a = max(start, dt.datetime.combine(day, begin, tzinfo=VN_TZ))
                b = min(end, dt.datetime.combine(day, finish, tzinfo=VN_TZ))
                if b > a:
                    total += b - a
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600
