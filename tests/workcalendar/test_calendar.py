"""Working-day and working-hour rules, each on a date where the rule bites."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.workcalendar import calendar
from cchc.workcalendar.calendar import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    due_datetime,
    is_working_day,
    next_working_day,
    office_close,
    working_days_between,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


# --- Working days -------------------------------------------------------------------------


def test_day_of_receipt_is_not_counted():
    assert add_working_days(D(2023, 3, 6), 1) == D(2023, 3, 7)  # Monday + 1 = Tuesday


def test_receipt_on_friday_afternoon_plus_one_day_is_due_monday():
    assert due_datetime(at(D(2023, 3, 3), 16, 30), 1) == at(D(2023, 3, 6), 17)


def test_receipt_on_saturday_counts_from_sunday_so_one_day_is_due_monday():
    # Civil Code Art. 147: counting starts the day after receipt, whatever that day is.
    assert add_working_days(D(2023, 3, 4), 1) == D(2023, 3, 6)
    assert add_working_days(D(2023, 3, 4), 2) == D(2023, 3, 7)


def test_deadline_on_a_holiday_moves_to_next_working_day():
    # Wed 26/4/2023 + 3: Thu 27, Fri 28, then 29/4-3/5 off (Giỗ Tổ, 30/4, 1/5 and nghỉ bù).
    assert add_working_days(D(2023, 4, 26), 3) == D(2023, 5, 4)


def test_tet_2023_is_skipped():
    for day in (D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25), D(2023, 1, 26)):
        assert not is_working_day(day)
    assert add_working_days(D(2023, 1, 19), 1) == D(2023, 1, 27)
    assert working_days_between(D(2023, 1, 19), D(2023, 1, 27)) == 1


def test_national_day_2023_and_its_substitute_monday_are_skipped():
    # 2/9/2023 fell on a Saturday: off Fri 1/9 and Mon 4/9.
    assert not is_working_day(D(2023, 9, 1))
    assert not is_working_day(D(2023, 9, 4))
    assert add_working_days(D(2023, 8, 31), 1) == D(2023, 9, 5)


def test_a_saturday_the_package_swaps_for_a_holiday_is_a_working_day():
    # Công văn 2450/VPCP-KGVX 2024: Mon 29/4 off in exchange for Sat 4/5/2024.
    assert not is_working_day(D(2024, 4, 29))
    assert is_working_day(D(2024, 5, 4))
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)


def test_seeded_new_year_swap_2026_is_applied():
    # Off Thu 1/1 to Sun 4/1/2026; Fri 2/1 is worked on Sat 10/1/2026.
    assert not is_working_day(D(2026, 1, 2))
    assert is_working_day(D(2026, 1, 10))
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)


def test_tet_2026_is_off_from_14_to_22_february():
    assert [
        d for d in (D(2026, 2, 14) + dt.timedelta(n) for n in range(9)) if is_working_day(d)
    ] == []
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_zero_days_is_the_same_day_or_the_next_working_day():
    assert add_working_days(D(2023, 3, 6), 0) == D(2023, 3, 6)
    assert add_working_days(D(2023, 3, 4), 0) == D(2023, 3, 6)
    assert add_working_days(D(2023, 3, 4), -3) == D(2023, 3, 6)


def test_next_working_day_keeps_a_working_day_and_skips_days_off():
    assert next_working_day(D(2023, 3, 6)) == D(2023, 3, 6)
    assert next_working_day(D(2023, 1, 21)) == D(2023, 1, 27)


def test_counting_crosses_the_new_year():
    # Fri 29/12/2023 + 2: Mon 1/1/2024 is Tết Dương lịch → Tue 2/1, Wed 3/1.
    assert add_working_days(D(2023, 12, 29), 2) == D(2024, 1, 3)
    assert working_days_between(D(2023, 12, 29), D(2024, 1, 3)) == 2
    assert next_working_day(D(2023, 12, 30)) == D(2024, 1, 2)


def test_working_days_between_is_negative_backwards_and_zero_on_the_same_day():
    assert working_days_between(D(2023, 3, 10), D(2023, 3, 6)) == -4
    assert working_days_between(D(2023, 3, 6), D(2023, 3, 6)) == 0


def test_a_long_deadline_spans_several_years():
    start = D(2022, 6, 1)
    end = add_working_days(start, 1000)
    assert working_days_between(start, end) == 1000
    assert is_working_day(end)


def test_a_datetime_is_read_as_its_vietnam_date():
    # 18:00 UTC on Sunday 5/3/2023 is 01:00 on Monday 6/3 in Vietnam.
    late_utc = dt.datetime(2023, 3, 5, 18, 0, tzinfo=dt.UTC)
    assert add_working_days(late_utc, 1) == D(2023, 3, 7)
    assert is_working_day(late_utc)


# --- Due moments --------------------------------------------------------------------------


def test_day_based_deadline_expires_at_office_close():
    assert due_datetime(at(D(2023, 3, 6), 8), 3) == at(D(2023, 3, 9), 17)
    assert office_close(D(2023, 3, 9)) == at(D(2023, 3, 9), 17)


def test_same_day_procedure_received_after_close_is_due_next_working_day():
    assert due_datetime(at(D(2023, 3, 6), 10), 0) == at(D(2023, 3, 6), 17)
    assert due_datetime(at(D(2023, 3, 6), 17, 30), 0) == at(D(2023, 3, 7), 17)
    assert due_datetime(at(D(2023, 3, 10), 19), 0) == at(D(2023, 3, 13), 17)


def test_day_based_deadline_is_never_before_receipt():
    for hour in range(24):
        received = at(D(2023, 3, 6), hour)
        assert due_datetime(received, 0) >= received


# --- Working hours ------------------------------------------------------------------------


def test_hours_skip_the_lunch_break():
    assert add_working_hours(at(D(2023, 3, 6), 10, 30), 2) == at(D(2023, 3, 6), 14, 30)


def test_hours_skip_the_evening():
    assert add_working_hours(at(D(2023, 3, 6), 16), 2) == at(D(2023, 3, 7), 8, 30)


def test_hours_skip_the_weekend():
    assert add_working_hours(at(D(2023, 3, 3), 16), 2) == at(D(2023, 3, 6), 8, 30)


def test_hours_skip_holidays():
    assert add_working_hours(at(D(2023, 1, 19), 16), 2) == at(D(2023, 1, 27), 8, 30)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(D(2023, 3, 6), 6), at(D(2023, 3, 6), 8, 30)),  # before opening
        (at(D(2023, 3, 6), 12), at(D(2023, 3, 6), 14, 30)),  # during lunch
        (at(D(2023, 3, 6), 20), at(D(2023, 3, 7), 8, 30)),  # after close
        (at(D(2023, 3, 4), 10), at(D(2023, 3, 6), 8, 30)),  # Saturday
    ],
)
def test_a_start_outside_office_hours_counts_from_the_next_opening(start, expected):
    assert add_working_hours(start, 1) == expected


def test_a_deadline_at_the_end_of_a_slot_stays_there():
    monday = D(2023, 3, 6)
    assert add_working_hours(at(monday, 7, 30), 4) == at(monday, 11, 30)
    assert add_working_hours(at(monday, 7, 30), 7.5) == at(monday, 17)
    assert add_working_hours(at(monday, 7, 30), 15) == at(D(2023, 3, 7), 17)
    assert add_working_hours(at(D(2023, 3, 3), 17), 7.5) == at(monday, 17)


def test_hours_over_many_days_land_on_the_right_minute():
    # 7.5 office hours a day: 40 h from Mon 9:00 = 5 days (37.5 h) + 2.5 h.
    assert add_working_hours(at(D(2023, 3, 6), 9), 40) == at(D(2023, 3, 13), 11, 30)
    assert add_working_hours(at(D(2023, 3, 6), 9), 40.25) == at(D(2023, 3, 13), 13, 45)


def test_zero_or_negative_hours_give_the_next_office_moment():
    assert add_working_hours(at(D(2023, 3, 6), 9), 0) == at(D(2023, 3, 6), 9)
    assert add_working_hours(at(D(2023, 3, 6), 12), 0) == at(D(2023, 3, 6), 13, 30)
    assert add_working_hours(at(D(2023, 3, 6), 18), 0) == at(D(2023, 3, 7), 7, 30)
    assert add_working_hours(at(D(2023, 3, 6), 9), -5) == at(D(2023, 3, 6), 9)


def test_hours_accept_utc_and_naive_starts():
    utc_start = dt.datetime(2023, 3, 6, 2, 0, tzinfo=dt.UTC)  # 9:00 in Vietnam
    assert add_working_hours(utc_start, 1) == at(D(2023, 3, 6), 10)
    assert add_working_hours(dt.datetime(2023, 3, 6, 9, 0), 1) == at(D(2023, 3, 6), 10)
    other = dt.datetime(2023, 3, 6, 4, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 2:00 in Vietnam
    assert add_working_hours(other, 1) == at(D(2023, 3, 6), 8, 30)


def test_working_hours_between_counts_office_time_only():
    assert working_hours_between(at(D(2023, 3, 6), 7, 30), at(D(2023, 3, 6), 17)) == 7.5
    assert working_hours_between(at(D(2023, 3, 6), 11), at(D(2023, 3, 6), 14)) == 1
    assert working_hours_between(at(D(2023, 3, 3), 16), at(D(2023, 3, 6), 8, 30)) == 2
    assert working_hours_between(at(D(2023, 1, 19), 7), at(D(2023, 1, 27), 20)) == 15
    assert working_hours_between(at(D(2023, 3, 6), 9), at(D(2023, 3, 6), 8)) == 0


# --- Configuration ------------------------------------------------------------------------


def test_office_hours_come_from_settings(settings):
    settings.CCHC_OFFICE_HOURS = [("08:00", "12:00"), ("13:00", "17:30")]
    assert add_working_hours(at(D(2023, 3, 6), 11), 2) == at(D(2023, 3, 6), 14)
    assert office_close(D(2023, 3, 6)) == at(D(2023, 3, 6), 17, 30)


@pytest.mark.parametrize(
    "hours",
    [
        [],
        [("11:30", "07:30")],
        [("13:30", "17:00"), ("07:30", "11:30")],
        [("07:30", "12:00"), ("11:00", "17:00")],
    ],
)
def test_misconfigured_office_hours_are_refused(settings, hours):
    settings.CCHC_OFFICE_HOURS = hours
    with pytest.raises(ImproperlyConfigured):
        add_working_hours(at(D(2023, 3, 6), 9), 1)


def test_working_weekdays_come_from_settings(settings):
    assert not is_working_day(D(2023, 3, 4))
    settings.CCHC_WORKING_WEEKDAYS = (0, 1, 2, 3, 4, 5)
    assert is_working_day(D(2023, 3, 4))
    assert not is_working_day(D(2023, 1, 21))  # a holiday stays a holiday


def test_a_calendar_without_working_days_is_refused(settings):
    settings.CCHC_WORKING_WEEKDAYS = ()
    # Only the package's make-up Saturdays would be left; it announces none so far ahead.
    with pytest.raises(ImproperlyConfigured):
        add_working_days(D(2040, 3, 6), 1)


def test_holiday_name_comes_from_the_package():
    assert calendar.holiday_name(D(2023, 9, 2)) == "Quốc khánh"
    assert calendar.holiday_name(D(2023, 3, 6)) is None
