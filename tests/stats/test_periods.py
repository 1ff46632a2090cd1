"""Reporting periods cut off by Nghị định 09/2019/NĐ-CP Art. 12 (the 15th by default)."""

import datetime as dt
import itertools

import pytest

from cchc.stats.periods import Period, PeriodError, parse_iso_date, reporting_period

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        ("month", 2023, 1, D(2022, 12, 15), D(2023, 1, 14)),
        ("month", 2023, 3, D(2023, 2, 15), D(2023, 3, 14)),
        ("month", 2023, 12, D(2023, 11, 15), D(2023, 12, 14)),
        ("quarter", 2023, 1, D(2022, 12, 15), D(2023, 3, 14)),
        ("quarter", 2023, 2, D(2023, 3, 15), D(2023, 6, 14)),
        ("quarter", 2023, 3, D(2023, 6, 15), D(2023, 9, 14)),
        ("quarter", 2023, 4, D(2023, 9, 15), D(2023, 12, 14)),
        ("half", 2023, 1, D(2022, 12, 15), D(2023, 6, 14)),
        ("nine_months", 2023, 1, D(2022, 12, 15), D(2023, 9, 14)),
        ("year", 2023, 1, D(2022, 12, 15), D(2023, 12, 14)),
        ("year", 2024, 1, D(2023, 12, 15), D(2024, 12, 14)),
    ],
)
def test_regular_periods_run_from_the_15th_before_to_the_14th(kind, year, number, start, end):
    period = reporting_period(kind, year, number, cutoff=15)
    assert (period.start, period.end) == (start, end)
    assert period.label


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        ("month", 2023, 2, D(2023, 2, 1), D(2023, 2, 28)),
        ("month", 2024, 2, D(2024, 2, 1), D(2024, 2, 29)),
        ("month", 2023, 12, D(2023, 12, 1), D(2023, 12, 31)),
        ("quarter", 2023, 1, D(2023, 1, 1), D(2023, 3, 31)),
        ("quarter", 2023, 4, D(2023, 10, 1), D(2023, 12, 31)),
        ("half", 2023, 1, D(2023, 1, 1), D(2023, 6, 30)),
        ("nine_months", 2023, 1, D(2023, 1, 1), D(2023, 9, 30)),
        ("year", 2023, 1, D(2023, 1, 1), D(2023, 12, 31)),
    ],
)
def test_cutoff_1_gives_calendar_periods(kind, year, number, start, end):
    period = reporting_period(kind, year, number, cutoff=1)
    assert (period.start, period.end) == (start, end)


def test_the_cutoff_comes_from_the_settings_by_default(settings):
    settings.CCHC_PERIOD_CUTOFF_DAY = 15
    assert reporting_period("quarter", 2023, 1).start == D(2022, 12, 15)
    settings.CCHC_PERIOD_CUTOFF_DAY = 1
    assert reporting_period("quarter", 2023, 1).start == D(2023, 1, 1)


def test_a_late_cutoff_works_in_february():
    assert reporting_period("month", 2023, 3, cutoff=28) == Period(
        D(2023, 2, 28), D(2023, 3, 27), reporting_period("month", 2023, 3, cutoff=28).label
    )


def test_consecutive_months_leave_no_gap_and_no_overlap():
    for cutoff in (1, 15, 28):
        months = [reporting_period("month", 2023, m, cutoff=cutoff) for m in range(1, 13)]
        months.append(reporting_period("month", 2024, 1, cutoff=cutoff))
        for before, after in itertools.pairwise(months):
            assert after.start == before.end + dt.timedelta(days=1)
        quarters = [reporting_period("quarter", 2023, q, cutoff=cutoff) for q in range(1, 5)]
        assert quarters[0].start == months[0].start and quarters[-1].end == months[11].end
        assert reporting_period("year", 2023, cutoff=cutoff).end == quarters[-1].end


@pytest.mark.parametrize("cutoff", [0, -1, 29, 31])
def test_a_cutoff_day_that_some_month_lacks_is_refused(cutoff):
    with pytest.raises(PeriodError):
        reporting_period("month", 2023, 3, cutoff=cutoff)


@pytest.mark.parametrize(
    ("kind", "number"), [("month", 0), ("month", 13), ("quarter", 5), ("week", 1)]
)
def test_a_period_that_does_not_exist_is_refused(kind, number):
    with pytest.raises(PeriodError):
        reporting_period(kind, 2023, number, cutoff=15)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError):
        Period(D(2023, 3, 2), D(2023, 3, 1))
    assert Period(D(2023, 3, 1), D(2023, 3, 1)).previous_day() == D(2023, 2, 28)


@pytest.mark.parametrize("value", ["2023-02-30", "15/12/2022", "", None])
def test_a_date_that_is_not_iso_is_refused(value):
    with pytest.raises(PeriodError):
        parse_iso_date(value)


def test_an_iso_date_is_read():
    assert parse_iso_date(" 2022-12-15 ") == D(2022, 12, 15)
