"""Working-day and working-hour arithmetic (Bộ luật Dân sự 2015 Art. 147-148).

The rule base is the `holidays` package (country VN: Tết by the lunar calendar, substitute
days off and the Saturdays worked in exchange for them); CalendarOverride rows win over it.
National overrides (no province) hold everywhere; a province's own overrides hold for its
units and win over the national ones there. The day a dossier is received is not counted, and
a deadline always lands on a working day.

Every function takes the `unit` whose calendar counts (a Unit or its path; its province is the
top of its path): a dossier's dates go by its receiving unit. Without a unit, the national
calendar.

Each year of a calendar is turned once into a sorted list of its working days (as ordinals),
so adding or counting working days is a bisection rather than a walk; `invalidate_cache` drops
the lists.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_ONE_DAY = dt.timedelta(days=1)
# A calendar with no working day at all would make every search run forever.
_MAX_EMPTY_YEARS = 2

WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)

_lock = threading.RLock()
# Province code (None: national) → date → is a working day.
_overrides: dict[str | None, dict[dt.date, bool]] | None = None
_years: dict[tuple[int, str | None], _Year] = {}
_slots: _OfficeHours | None = None

Scope = str | None  # a province's code, or None for the national calendar


@dataclass(frozen=True, slots=True)
class _Year:
    days: list[int]  # ordinals of the year's working days, ascending
    working: frozenset[int]


@dataclass(frozen=True, slots=True)
class _OfficeHours:
    slots: tuple[tuple[int, int], ...]  # (begin, end) in microseconds since midnight
    daily: int
    close: dt.time


@dataclass(frozen=True, slots=True)
class _RuleYear:
    names: dict[dt.date, str]  # holidays of the year (names from the package)
    weekend_workdays: frozenset[dt.date]  # weekend days worked in exchange for a day off


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """A day whose status or name an admin may want to check (see `special_days`)."""

    date: dt.date
    is_working_day: bool
    label: str
    overridden: bool


@lru_cache(maxsize=256)
def _rule_year(year: int) -> _RuleYear:
    # A swap may cross the new year (a Saturday in late December worked for 2 January), so the
    # neighbouring years are populated too and only this year's dates are kept.
    rules = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    return _RuleYear(
        names={day: name for day, name in rules.items() if day.year == year},
        weekend_workdays=frozenset(
            day for day in getattr(rules, "weekend_workdays", ()) if day.year == year
        ),
    )


def province_code(unit) -> Scope:
    """The code of the province whose calendar `unit` (a Unit, a unit's path or None) keeps:
    the top of its path."""
    if unit is None:
        return None
    path = unit if isinstance(unit, str) else unit.path
    return path.split("/", 2)[1] or None


def _load_overrides() -> dict[Scope, dict[dt.date, bool]]:
    global _overrides
    loaded = _overrides
    if loaded is not None:
        return loaded
    with _lock:
        if _overrides is None:
            from .models import CalendarOverride

            loaded: dict[Scope, dict[dt.date, bool]] = {None: {}}
            for scope, day, working in CalendarOverride.objects.values_list(
                "province__code", "date", "is_working_day"
            ):
                loaded.setdefault(scope, {})[day] = working
            _overrides = loaded
        return _overrides


def _scope(unit) -> Scope:
    """The province code of `unit` when that province has overrides of its own, else None:
    provinces without any share the national calendar's cached years."""
    code = province_code(unit)
    return code if code is not None and code in _load_overrides() else None


def provinces_with_overrides() -> frozenset[str]:
    """The codes of the provinces whose calendar differs from the national one somewhere."""
    return frozenset(code for code in _load_overrides() if code is not None)


def invalidate_cache() -> None:
    """Forget the overrides, the per-year working days and the office hours; called whenever
    an override is saved or deleted, or a calendar setting changes."""
    global _overrides, _years, _slots
    with _lock:
        _overrides = None
        _years = {}
        _slots = None


def is_working_day_by_rule(day: dt.date) -> bool:
    """The rule base alone: weekdays in CCHC_WORKING_WEEKDAYS and the package's make-up
    Saturdays, minus the package's holidays. Overrides are not consulted."""
    rules = _rule_year(day.year)
    if day in rules.names:
        return False
    return day.weekday() in settings.CCHC_WORKING_WEEKDAYS or day in rules.weekend_workdays


def _year(year: int, scope: Scope) -> _Year:
    cached = _years.get((year, scope))
    if cached is not None:
        return cached
    with _lock:
        cached = _years.get((year, scope))
        if cached is None:
            loaded = _load_overrides()
            overrides = loaded[None]
            if scope is not None:
                overrides = {**overrides, **loaded.get(scope, {})}
            days = []
            day = dt.date(year, 1, 1)
            while day.year == year:
                working = overrides.get(day)
                if working is None:
                    working = is_working_day_by_rule(day)
                if working:
                    days.append(day.toordinal())
                day += _ONE_DAY
            cached = _Year(days=days, working=frozenset(days))
            _years[(year, scope)] = cached
        return cached


def _next_year_with_days(year: int, scope: Scope) -> tuple[int, _Year]:
    """The first year after `year` that has a working day."""
    for _attempt in range(_MAX_EMPTY_YEARS + 1):
        year += 1
        data = _year(year, scope)
        if data.days:
            return year, data
    raise ImproperlyConfigured(f"No working day in the {_MAX_EMPTY_YEARS + 1} years after {year}.")


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.astimezone(VN_TZ) if value.tzinfo else value).date()
    return value


def _as_local_datetime(value: dt.datetime) -> dt.datetime:
    return value.astimezone(VN_TZ) if value.tzinfo else value.replace(tzinfo=VN_TZ)


def is_working_day(day: dt.date, unit=None) -> bool:
    day = _as_local_date(day)
    return day.toordinal() in _year(day.year, _scope(unit)).working


def holiday_name(day: dt.date) -> str | None:
    """The package's name for the holiday on `day`, or None."""
    return _rule_year(day.year).names.get(day)


def next_working_day(day: dt.date, unit=None) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    day = _as_local_date(day)
    scope = _scope(unit)
    data = _year(day.year, scope)
    i = bisect_left(data.days, day.toordinal())
    if i < len(data.days):
        return dt.date.fromordinal(data.days[i])
    return dt.date.fromordinal(_next_year_with_days(day.year, scope)[1].days[0])


def add_working_days(start: dt.date | dt.datetime, days: int, unit=None) -> dt.date:
    """The date `days` working days after `start`; the start day itself is not counted.

    0 days ("trong ngày") gives the start day, or the next working day when it is a day off.
    """
    day = _as_local_date(start)
    if days <= 0:
        return next_working_day(day, unit)
    scope = _scope(unit)
    year = day.year
    data = _year(year, scope)
    # Index in this year's list of the `days`-th working day after `day`.
    k = bisect_right(data.days, day.toordinal()) + days - 1
    while k >= len(data.days):
        k -= len(data.days)
        year, data = _next_year_with_days(year, scope)
    return dt.date.fromordinal(data.days[k])


def working_days_between(start: dt.date, end: dt.date, unit=None) -> int:
    """Working days d with start < d <= end (negative when end < start).

    The inverse of add_working_days: working_days_between(a, add_working_days(a, n)) == n
    for n >= 1.
    """
    start, end = _as_local_date(start), _as_local_date(end)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    scope = _scope(unit)
    first = _year(start.year, scope)
    if start.year == end.year:
        count = bisect_right(first.days, end.toordinal()) - bisect_right(
            first.days, start.toordinal()
        )
    else:
        count = len(first.days) - bisect_right(first.days, start.toordinal())
        count += sum(len(_year(year, scope).days) for year in range(start.year + 1, end.year))
        count += bisect_right(_year(end.year, scope).days, end.toordinal())
    return sign * count


def _office_hours() -> _OfficeHours:
    global _slots
    hours = _slots
    if hours is not None:
        return hours
    slots = []
    for begin, end in settings.CCHC_OFFICE_HOURS:
        slots.append((_micros(dt.time.fromisoformat(begin)), _micros(dt.time.fromisoformat(end))))
    if not slots or any(a >= b for a, b in slots):
        raise ImproperlyConfigured("CCHC_OFFICE_HOURS needs (begin, end) pairs with begin < end.")
    if any(slots[i][1] > slots[i + 1][0] for i in range(len(slots) - 1)):
        raise ImproperlyConfigured("CCHC_OFFICE_HOURS must be in order and must not overlap.")
    hours = _OfficeHours(
        slots=tuple(slots),
        daily=sum(b - a for a, b in slots),
        close=dt.time.fromisoformat(settings.CCHC_OFFICE_HOURS[-1][1]),
    )
    with _lock:
        _slots = hours
    return hours


def office_close(day: dt.date) -> dt.datetime:
    """The end of office hours on `day`, Vietnam time: the moment a day-based deadline expires."""
    return dt.datetime.combine(day, _office_hours().close, tzinfo=VN_TZ)


def due_datetime(received: dt.date | dt.datetime, days: int, unit=None) -> dt.datetime:
    """The legal due moment of a day-based processing time: office close on the due date.

    A same-day procedure (0 days) received after office close is due on the next working day,
    never before its receipt.
    """
    day = _as_local_date(received)
    if (
        days <= 0
        and isinstance(received, dt.datetime)
        and _as_local_datetime(received).time() >= _office_hours().close
    ):
        day += _ONE_DAY
    return office_close(add_working_days(day, days, unit))


# Times of day are whole microseconds since midnight: integer arithmetic is exact and much
# cheaper than timedelta objects when a million deadlines are computed.
_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND
_US_PER_DAY = 24 * _US_PER_HOUR


def _micros(moment: dt.datetime | dt.time) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * _US_PER_SECOND + moment.microsecond


def _at(day: dt.date, micros: int) -> dt.datetime:
    seconds, micro = divmod(micros, _US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=VN_TZ)


def add_working_hours(start: dt.datetime, hours: float, unit=None) -> dt.datetime:
    """The moment `hours` office hours after `start` (office hours and days off skipped).

    A start outside office hours counts from the next opening. A deadline that falls exactly
    at the end of a slot stays there (11:30, 17:00) rather than moving to the next opening.
    0 hours or less gives the next office moment at or after `start`.
    """
    current = _as_local_datetime(start)
    remaining = round(max(hours, 0) * _US_PER_HOUR)
    office = _office_hours()
    day = current.date()
    if is_working_day(day, unit):
        now = _micros(current)
        for begin, end in office.slots:
            if now >= end:
                continue
            if now < begin:
                now = begin
            if remaining <= end - now:
                return _at(day, now + remaining)
            remaining -= end - now
            now = end
    if not remaining:
        return _at(add_working_days(day, 1, unit), office.slots[0][0])
    # Whole days go by the working-day list; the rest is spent on the last day. A remainder of
    # exactly one day ends at that day's close, not at the next morning's opening.
    whole, rest = divmod(remaining, office.daily)
    if not rest:
        whole, rest = whole - 1, office.daily
    day = add_working_days(day, whole + 1, unit)
    for begin, end in office.slots:
        if rest <= end - begin:
            return _at(day, begin + rest)
        rest -= end - begin
    raise AssertionError("the remainder is at most one office day")  # pragma: no cover


def _hours_within_day(after: int, before: int) -> int:
    """Office time (microseconds) of one working day between two times of that day."""
    total = 0
    for begin, end in _office_hours().slots:
        a = after if after > begin else begin
        b = before if before < end else end
        if b > a:
            total += b - a
    return total


def working_hours_between(start: dt.datetime, end: dt.datetime, unit=None) -> float:
    """Office hours elapsed from `start` to `end` (0 when end <= start)."""
    start, end = _as_local_datetime(start), _as_local_datetime(end)
    if end <= start:
        return 0.0
    first, last = start.date(), end.date()
    total = 0
    if first == last:
        if is_working_day(first, unit):
            total = _hours_within_day(_micros(start), _micros(end))
    else:
        if is_working_day(first, unit):
            total += _hours_within_day(_micros(start), _US_PER_DAY)
        if is_working_day(last, unit):
            total += _hours_within_day(0, _micros(end))
        total += working_days_between(first, last - _ONE_DAY, unit) * _office_hours().daily
    return total / _US_PER_HOUR


def special_days(year: int, unit=None) -> list[SpecialDay]:
    """The days of `year` that differ from an ordinary week, for an admin to check: holidays
    (also those on a weekend), the package's make-up Saturdays and every override of the
    national calendar, or of `unit`'s province's (its own overrides win over national ones)."""
    from .models import CalendarOverride

    rules = _rule_year(year)
    rows = CalendarOverride.objects.filter(date__year=year)
    overrides = {o.date: o for o in rows.filter(province__isnull=True)}
    code = province_code(unit)
    if code is not None:
        overrides.update({o.date: o for o in rows.filter(province__code=code)})
    dates = sorted(set(rules.names) | rules.weekend_workdays | set(overrides))
    out = []
    for day in dates:
        override = overrides.get(day)
        if override is not None:
            label = override.note or override.legal_basis or rules.names.get(day, "")
            out.append(SpecialDay(day, override.is_working_day, label, overridden=True))
        else:
            out.append(
                SpecialDay(day, is_working_day_by_rule(day), rules.names.get(day, ""), False)
            )
    return out
