"""A dossier's legal clock: due moments from the procedure, due dates moved by pauses."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.catalog.constants import TimeUnit
from cchc.dossiers.clock import legal_due, local_date, shifted_due
from cchc.dossiers.constants import Timeliness
from cchc.dossiers.models import timeliness_of
from cchc.workcalendar.calendar import VN_TZ, add_working_days, working_days_between
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


# --- legal_due ----------------------------------------------------------------------------


def test_days_procedure_is_due_at_office_close_without_counting_the_day_of_receipt():
    procedure = ProcedureFactory(processing_time=3)
    # Thu 2/3/2023 + 3: Fri 3, Mon 6, Tue 7.
    assert legal_due(procedure, at(D(2023, 3, 2), 10)) == at(D(2023, 3, 7), 17)


def test_days_procedure_skips_tet():
    procedure = ProcedureFactory(processing_time=2)
    assert legal_due(procedure, at(D(2023, 1, 19), 9)) == at(D(2023, 1, 30), 17)


def test_a_fraction_of_a_day_counts_as_a_whole_working_day():
    procedure = ProcedureFactory(processing_time=Decimal("0.5"))
    assert legal_due(procedure, at(D(2023, 3, 6), 9)) == at(D(2023, 3, 7), 17)


def test_same_day_procedure_received_after_close_is_due_next_working_day():
    procedure = ProcedureFactory(processing_time=0)
    assert legal_due(procedure, at(D(2023, 3, 6), 9)) == at(D(2023, 3, 6), 17)
    assert legal_due(procedure, at(D(2023, 3, 10), 18)) == at(D(2023, 3, 13), 17)


def test_hours_procedure_is_due_after_office_hours():
    procedure = ProcedureFactory(processing_time=8, time_unit=TimeUnit.WORKING_HOURS)
    # Mon 9:00: 2.5 h before lunch, 3.5 h after, 2 h on Tuesday → Tue 9:30.
    assert legal_due(procedure, at(D(2023, 3, 6), 9)) == at(D(2023, 3, 7), 9, 30)


def test_hours_procedure_received_on_friday_evening_runs_from_monday():
    procedure = ProcedureFactory(processing_time=4, time_unit=TimeUnit.WORKING_HOURS)
    assert legal_due(procedure, at(D(2023, 3, 3), 18)) == at(D(2023, 3, 6), 11, 30)


def test_fractional_hours_procedure():
    procedure = ProcedureFactory(processing_time=Decimal("1.5"), time_unit=TimeUnit.WORKING_HOURS)
    assert legal_due(procedure, at(D(2023, 3, 6), 11)) == at(D(2023, 3, 6), 14, 30)


def test_no_procedure_is_due_within_the_day():
    assert legal_due(None, at(D(2023, 3, 6), 9)) == at(D(2023, 3, 6), 17)
    assert legal_due(None, at(D(2023, 3, 4), 9)) == at(D(2023, 3, 6), 17)
    assert legal_due(None, at(D(2023, 3, 6), 20)) == at(D(2023, 3, 7), 17)


def test_local_date_reads_the_vietnam_date():
    assert local_date(dt.datetime(2023, 3, 5, 18, tzinfo=dt.UTC)) == D(2023, 3, 6)


# --- shifted_due --------------------------------------------------------------------------


def test_pause_across_a_holiday_adds_only_working_days():
    # Paused Thu 27/4/2023, resumed Fri 5/5: paused days Fri 28/4, Thu 4/5, Fri 5/5.
    paused, due = shifted_due(D(2023, 4, 28), D(2023, 4, 27), D(2023, 5, 5))
    assert paused == 3
    assert due == D(2023, 5, 8)


def test_pause_across_tet_adds_only_working_days():
    # Paused Wed 18/1/2023, resumed Mon 30/1: paused days Thu 19/1, Fri 27/1, Mon 30/1.
    paused, due = shifted_due(D(2023, 1, 19), D(2023, 1, 18), D(2023, 1, 30))
    assert paused == 3
    assert due == D(2023, 1, 31)


def test_pause_resumed_the_same_day_moves_nothing():
    assert shifted_due(D(2023, 3, 10), D(2023, 3, 6), D(2023, 3, 6)) == (0, D(2023, 3, 10))


def test_pause_over_a_weekend_only_counts_the_resumption_monday():
    assert shifted_due(D(2023, 3, 10), D(2023, 3, 3), D(2023, 3, 6)) == (1, D(2023, 3, 13))


def test_resumption_before_the_pause_moves_nothing():
    assert shifted_due(D(2023, 3, 10), D(2023, 3, 8), D(2023, 3, 6)) == (0, D(2023, 3, 10))


def test_pause_after_the_due_date_keeps_the_dossier_late_by_the_same_days():
    due = D(2023, 3, 6)
    paused, new_due = shifted_due(due, D(2023, 3, 8), D(2023, 3, 15))
    assert paused == 5
    assert working_days_between(new_due, D(2023, 3, 15)) == working_days_between(due, D(2023, 3, 8))


def test_two_consecutive_pauses_shift_like_one_pause_and_do_not_make_the_dossier_late():
    received, initial_due = D(2023, 3, 1), D(2023, 3, 10)
    first_days, after_first = shifted_due(initial_due, D(2023, 3, 6), D(2023, 3, 8))
    second_days, after_second = shifted_due(after_first, D(2023, 3, 8), D(2023, 3, 9))
    assert (first_days, second_days) == (2, 1)
    assert shifted_due(initial_due, D(2023, 3, 6), D(2023, 3, 9)) == (3, after_second)
    assert after_second == D(2023, 3, 15)
    # The processing days actually spent equal the procedure's days (7: 2-3/3, 6/3, 10-15/3).
    spent = working_days_between(received, after_second) - first_days - second_days
    assert spent == working_days_between(received, initial_due)
    assert timeliness_of(after_second, after_second) == Timeliness.ON_TIME
    assert timeliness_of(D(2023, 3, 14), after_second) == Timeliness.EARLY


def test_the_second_pause_shifts_the_due_date_the_first_one_left_not_the_initial_one():
    initial_due = D(2023, 3, 10)
    _, after_first = shifted_due(initial_due, D(2023, 3, 2), D(2023, 3, 3))
    _, after_second = shifted_due(after_first, D(2023, 3, 7), D(2023, 3, 8))
    assert after_first == D(2023, 3, 13)
    assert after_second == D(2023, 3, 14)
    assert after_second != shifted_due(initial_due, D(2023, 3, 7), D(2023, 3, 8))[1]


dates = st.dates(min_value=D(2021, 1, 1), max_value=D(2027, 12, 31))


@settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    due=dates,
    days=st.lists(st.integers(min_value=0, max_value=60), min_size=3, max_size=3),
    start=dates,
)
def test_splitting_a_pause_in_two_shifts_the_due_date_the_same(db, due, days, start):
    due = add_working_days(due, 1)
    a, b, c = sorted(start + dt.timedelta(n) for n in days)
    first, middle_due = shifted_due(due, a, b)
    second, split_due = shifted_due(middle_due, b, c)
    whole, whole_due = shifted_due(due, a, c)
    assert first + second == whole
    assert split_due == whole_due
