"""The calendar at its edges: the closing instant, the end of a slot, slots that touch, a
moment's seconds and microseconds, whole days between two moments, a day of three slots and
the weekday names. Each expected value is worked out by hand from the rule, not from the code.

The default office hours are 07:30-11:30 and 13:30-17:00 (7.5 h a day). Monday 6/3/2023 to
Friday 10/3/2023 is an ordinary working week; 4-5/3 and 11-12/3 are weekends.
"""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from cchc.workcalendar.calendar import (
    VN_TZ,
    WEEKDAY_NAMES,
    add_working_hours,
    due_datetime,
    office_close,
    working_days_between,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

D = dt.date
MON, TUE, WED, FRI = D(2023, 3, 6), D(2023, 3, 7), D(2023, 3, 8), D(2023, 3, 10)
NEXT_MON = D(2023, 3, 13)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=VN_TZ)


# --- The closing instant of a same-day procedure -------------------------------------------


def test_a_same_day_procedure_received_exactly_at_closing_time_is_due_the_next_working_day():
    # 17:00 is no longer office time: the receipt counts from the next working session.
    assert due_datetime(at(MON, 17), 0) == at(TUE, 17)
    assert due_datetime(at(FRI, 17), 0) == at(NEXT_MON, 17)


def test_a_same_day_procedure_received_a_microsecond_before_close_is_due_that_day():
    assert due_datetime(at(MON, 16, 59, 59, 999_999), 0) == at(MON, 17)


def test_a_same_day_procedure_received_a_microsecond_after_close_is_due_the_next_day():
    assert due_datetime(at(MON, 17, 0, 0, 1), 0) == at(TUE, 17)


def test_the_closing_instant_is_read_in_vietnam_time():
    # 10:00 UTC is 17:00 in Vietnam; 09:59:59 UTC is 16:59:59.
    assert due_datetime(dt.datetime(2023, 3, 6, 10, 0, tzinfo=dt.UTC), 0) == at(TUE, 17)
    assert due_datetime(dt.datetime(2023, 3, 6, 9, 59, 59, tzinfo=dt.UTC), 0) == at(MON, 17)


def test_a_same_day_deadline_is_never_before_its_receipt_around_the_close():
    for received in (
        at(MON, 16, 59, 59),
        at(MON, 17),
        at(MON, 17, 0, 1),
        at(MON, 23, 59, 59, 999_999),
    ):
        due = due_datetime(received, 0)
        assert due > received, received
        assert due.time() == dt.time(17)


# --- The end of a slot ---------------------------------------------------------------------


def test_no_office_time_is_left_at_the_end_of_the_morning_slot():
    # 0 hours from 11:30 is the next office moment: the afternoon opening, not 11:30 itself.
    assert add_working_hours(at(MON, 11, 30), 0) == at(MON, 13, 30)
    assert add_working_hours(at(MON, 11, 30), 1) == at(MON, 14, 30)


def test_no_office_time_is_left_at_closing_time():
    assert add_working_hours(at(MON, 17), 0) == at(TUE, 7, 30)
    assert add_working_hours(at(FRI, 17), 0) == at(NEXT_MON, 7, 30)
    assert add_working_hours(at(MON, 17), 1) == at(TUE, 8, 30)


def test_a_slot_end_holds_no_office_time():
    assert working_hours_between(at(MON, 11, 30), at(MON, 13, 30)) == 0
    assert working_hours_between(at(MON, 17), at(TUE, 7, 30)) == 0
    assert working_hours_between(at(MON, 11, 29), at(MON, 13, 31)) == pytest.approx(2 / 60)


def test_a_moment_just_before_a_slot_end_still_has_that_moment_left():
    # One second before 11:30, one second of work ends at 11:30 and stays there.
    assert add_working_hours(at(MON, 11, 29, 59), 1 / 3600) == at(MON, 11, 30)
    assert add_working_hours(at(MON, 16, 59, 59), 1 / 3600) == at(MON, 17)
    # Two seconds: one before lunch, one after.
    assert add_working_hours(at(MON, 11, 29, 59), 2 / 3600) == at(MON, 13, 30, 1)


# --- Seconds and microseconds of a moment --------------------------------------------------


def test_the_seconds_of_a_start_are_kept():
    assert add_working_hours(at(MON, 9, 0, 30), 1) == at(MON, 10, 0, 30)
    assert add_working_hours(at(MON, 11, 29, 30), 1 / 60) == at(MON, 13, 30, 30)


def test_the_microseconds_of_a_start_are_kept():
    # 07:30:00.000001 + 4 h: the morning holds 1 µs less than 4 h; the last µs is after lunch.
    assert add_working_hours(at(MON, 7, 30, 0, 1), 4) == at(MON, 13, 30, 0, 1)
    assert add_working_hours(at(MON, 9, 0, 0, 250), 0) == at(MON, 9, 0, 0, 250)


def test_hours_between_count_seconds_and_microseconds():
    assert working_hours_between(at(MON, 9), at(MON, 9, 0, 36)) == pytest.approx(0.01)
    # Half a second before lunch and half a second after it: one second of office time.
    assert working_hours_between(at(MON, 11, 29, 59, 500_000), at(MON, 13, 30, 0, 500_000)) == (
        pytest.approx(1 / 3600, abs=1e-12)
    )
    assert working_hours_between(at(MON, 9), at(MON, 9, 0, 0, 1)) > 0


def test_the_end_of_a_slot_is_reached_to_the_microsecond_over_several_days():
    # 9:00:00.5 Monday + 15 h = two full office days later, same moment (7.5 h a day).
    assert add_working_hours(at(MON, 9, 0, 0, 500_000), 15) == at(WED, 9, 0, 0, 500_000)


# --- Whole working days between two moments -----------------------------------------------


def test_whole_working_days_between_two_moments_go_by_their_dates():
    # The time of day does not count: only the Vietnam dates do (receipt day excluded).
    assert working_days_between(at(MON, 8), at(MON, 17)) == 0
    assert working_days_between(at(MON, 23, 59), at(TUE, 0, 1)) == 1
    assert working_days_between(at(MON, 16), at(FRI, 8)) == 4
    assert working_days_between(at(FRI, 16), at(NEXT_MON, 8)) == 1
    assert working_days_between(at(NEXT_MON, 8), at(FRI, 16)) == -1


def test_whole_working_days_between_utc_moments_use_the_vietnam_date():
    # 17:30 UTC on Monday is 00:30 on Tuesday in Vietnam.
    late_monday_utc = dt.datetime(2023, 3, 6, 17, 30, tzinfo=dt.UTC)
    assert working_days_between(at(MON, 9), late_monday_utc) == 1
    assert working_days_between(late_monday_utc, at(TUE, 9)) == 0


def test_hours_between_whole_days_count_every_working_day_in_between():
    # Monday 7:30 to the next Monday 7:30: five whole office days, the weekend adds nothing.
    assert working_hours_between(at(MON, 7, 30), at(NEXT_MON, 7, 30)) == 5 * 7.5
    # Monday 17:00 to Friday 7:30: Tuesday, Wednesday and Thursday.
    assert working_hours_between(at(MON, 17), at(FRI, 7, 30)) == 3 * 7.5
    # Friday 16:00 to Monday 8:30: one hour on Friday, one on Monday.
    assert working_hours_between(at(FRI, 16), at(NEXT_MON, 8, 30)) == 2


def test_no_hours_between_a_moment_and_itself_or_an_earlier_one():
    assert working_hours_between(at(MON, 9), at(MON, 9)) == 0
    assert working_hours_between(at(TUE, 9), at(MON, 9)) == 0


# --- Office-hour slots: adjacent, overlapping, three of them ------------------------------


def test_adjacent_slots_are_accepted(settings):
    settings.CCHC_OFFICE_HOURS = [("07:30", "11:30"), ("11:30", "17:00")]
    # No break: 9.5 office hours a day, and work runs straight through 11:30.
    assert add_working_hours(at(MON, 11), 1) == at(MON, 12)
    assert working_hours_between(at(MON, 7, 30), at(MON, 17)) == 9.5
    assert add_working_hours(at(MON, 11, 30), 0) == at(MON, 11, 30)
    assert office_close(MON) == at(MON, 17)


@pytest.mark.parametrize(
    "hours",
    [
        [("07:30", "11:31"), ("11:30", "17:00")],  # one minute of overlap
        [("07:30", "17:00"), ("11:30", "13:30")],  # one slot inside another
        [("08:00", "08:00")],  # a slot of no length
        [("07:30", "11:30"), ("13:30", "13:30")],
    ],
)
def test_overlapping_or_empty_slots_are_refused(settings, hours):
    settings.CCHC_OFFICE_HOURS = hours
    with pytest.raises(ImproperlyConfigured):
        add_working_hours(at(MON, 9), 1)


THREE_SLOTS = [("07:00", "09:00"), ("10:00", "12:00"), ("13:00", "17:00")]  # 8 h a day


def test_a_day_of_three_slots_skips_both_breaks(settings):
    settings.CCHC_OFFICE_HOURS = THREE_SLOTS
    # 8:00 + 3 h: 1 h to 9:00, then 2 h from 10:00: ends at the end of the second slot.
    assert add_working_hours(at(MON, 8), 3) == at(MON, 12)
    assert add_working_hours(at(MON, 8), 4) == at(MON, 14)
    assert add_working_hours(at(MON, 9, 30), 0) == at(MON, 10)
    assert working_hours_between(at(MON, 7), at(MON, 17)) == 8
    assert working_hours_between(at(MON, 8, 30), at(MON, 13, 30)) == 0.5 + 2 + 0.5


def test_a_day_of_three_slots_carries_over_to_the_next_day(settings):
    settings.CCHC_OFFICE_HOURS = THREE_SLOTS
    # Monday 16:00 + 8 h: 1 h on Monday, then 2 + 2 + 3 on Tuesday.
    assert add_working_hours(at(MON, 16), 8) == at(TUE, 16)
    # Exactly two office days from the opening end at the second day's close.
    assert add_working_hours(at(MON, 7), 16) == at(TUE, 17)
    assert working_hours_between(at(MON, 16), at(TUE, 16)) == 8


def test_a_day_of_three_slots_closes_at_the_end_of_the_last_one(settings):
    settings.CCHC_OFFICE_HOURS = THREE_SLOTS
    assert office_close(MON) == at(MON, 17)
    assert due_datetime(at(MON, 16, 59), 0) == at(MON, 17)
    assert due_datetime(at(MON, 17), 0) == at(TUE, 17)
    assert add_working_hours(at(MON, 17), 0) == at(TUE, 7)


# --- Weekday names -------------------------------------------------------------------------


def test_weekday_names_follow_the_language():
    week = [MON + dt.timedelta(days=n) for n in range(7)]
    with translation.override("vi"):
        assert [str(WEEKDAY_NAMES[d.weekday()]) for d in week] == [
            "Thứ Hai",
            "Thứ Ba",
            "Thứ Tư",
            "Thứ Năm",
            "Thứ Sáu",
            "Thứ Bảy",
            "Chủ nhật",
        ]
    with translation.override("en"):
        assert [str(WEEKDAY_NAMES[d.weekday()]) for d in week] == [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ]
