"""Property tests of the calendar arithmetic against its definitions and a day-by-day model."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.workcalendar.calendar import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    is_working_day,
    next_working_day,
    working_days_between,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

db_settings = settings(
    deadline=None, max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dates = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 12, 31))
counts = st.integers(min_value=1, max_value=400)
moments = st.builds(
    lambda day, minute, second: (
        dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ)
        + dt.timedelta(minutes=minute, seconds=second)
    ),
    dates,
    st.integers(min_value=0, max_value=24 * 60 - 1),
    st.sampled_from([0, 0, 0, 30, 59]),
)
hours = st.one_of(
    st.integers(min_value=0, max_value=4000).map(lambda quarters: quarters / 4),
    st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False),
)
OFFICE = [(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))]


def add_working_days_one_by_one(start: dt.date, n: int) -> dt.date:
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    return day


@db_settings
@given(start=dates, n=counts)
def test_adding_days_lands_on_a_working_day_after_the_start(db, start, n):
    due = add_working_days(start, n)
    assert due > start
    assert is_working_day(due)


@db_settings
@given(start=dates, n=counts)
def test_adding_days_matches_counting_one_day_at_a_time(db, start, n):
    assert add_working_days(start, n) == add_working_days_one_by_one(start, n)


@db_settings
@given(start=dates, n=counts)
def test_working_days_between_inverts_adding_days(db, start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@db_settings
@given(start=dates, end=dates)
def test_adding_the_days_between_reaches_the_end_when_it_is_a_working_day(db, start, end):
    between = working_days_between(start, end)
    assert working_days_between(end, start) == -between
    if end > start and is_working_day(end):
        assert add_working_days(start, between) == end


@db_settings
@given(start=dates, n=counts)
def test_adding_days_is_strictly_monotonic_in_n(db, start, n):
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@db_settings
@given(start=dates, a=counts, b=counts)
def test_adding_days_in_two_steps_equals_one_step(db, start, a, b):
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@db_settings
@given(day=dates)
def test_next_working_day_is_the_first_working_day_from_day(db, day):
    found = next_working_day(day)
    assert is_working_day(found)
    assert found >= day
    assert all(not is_working_day(day + dt.timedelta(n)) for n in range((found - day).days))


@db_settings
@given(start=moments, h=hours)
def test_adding_hours_lands_inside_office_hours_or_at_a_slot_end(db, start, h):
    due = add_working_hours(start, h)
    assert due.tzinfo is not None
    assert due >= start
    local = due.astimezone(VN_TZ)
    assert is_working_day(local.date())
    assert any(begin <= local.time() <= end for begin, end in OFFICE)
    if h >= 1 / 3600:  # below a microsecond nothing moves
        assert due > start


@db_settings
@given(start=moments, h=hours)
def test_working_hours_between_inverts_adding_hours(db, start, h):
    assert working_hours_between(start, add_working_hours(start, h)) == pytest.approx(
        h, abs=1 / 3600
    )


@db_settings
@given(start=moments, h=hours, extra=hours)
def test_adding_hours_is_monotonic(db, start, h, extra):
    assert add_working_hours(start, h) <= add_working_hours(start, h + extra)


@db_settings
@given(start=moments, end=moments, middle=moments)
def test_working_hours_between_adds_up_over_a_split(db, start, end, middle):
    start, middle, end = sorted((start, middle, end))
    whole = working_hours_between(start, end)
    assert whole == pytest.approx(
        working_hours_between(start, middle) + working_hours_between(middle, end), abs=1e-6
    )
    assert 0 <= whole <= 7.5 * ((end.date() - start.date()).days + 1)
