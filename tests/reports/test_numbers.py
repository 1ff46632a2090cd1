"""Numbers and dates written the Vietnamese way, whatever language the page is in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cchc.reports.numbers import date_range, decimal, integer, long_date, percent, short_date


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (692, "692"), (1234, "1.234"), (2467, "2.467"), (1234567, "1.234.567")],
)
def test_integers_group_thousands_with_a_dot(value, text):
    assert integer(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (84.17, "84,17"),
        (Decimal("84.165"), "84,17"),  # half up, not half even
        (84.166, "84,17"),  # rounded, where Django's number_format would cut to 84,16
        (100.0, "100"),
        (5.2, "5,2"),
        (0.08, "0,08"),
        (Decimal("1234.5"), "1.234,5"),
    ],
)
def test_decimals_use_a_comma_round_half_up_and_drop_trailing_zeros(value, text):
    assert decimal(value) == text


def test_decimal_to_one_place_as_a_published_report_prints_it():
    assert decimal(84.17, places=1) == "84,2"


def test_percent_has_no_space_and_is_empty_without_a_denominator():
    assert percent(84.17) == "84,17%"
    assert percent(100) == "100%"
    assert percent(None) == ""


def test_long_date_pads_days_under_ten_and_only_months_one_and_two():
    assert long_date(dt.date(2023, 1, 5)) == "ngày 05 tháng 01 năm 2023"
    assert long_date(dt.date(2023, 2, 28)) == "ngày 28 tháng 02 năm 2023"
    assert long_date(dt.date(2023, 6, 12)) == "ngày 12 tháng 6 năm 2023"
    assert long_date(dt.date(2023, 12, 1)) == "ngày 01 tháng 12 năm 2023"


def test_short_date_and_range():
    assert short_date(dt.date(2023, 1, 5)) == "05/01/2023"
    assert date_range(dt.date(2022, 12, 15), dt.date(2023, 6, 12)) == (
        "từ ngày 15/12/2022 đến ngày 12/06/2023"
    )


def test_documents_stay_vietnamese_when_the_page_is_in_english():
    with translation.override("en"):
        assert integer(1234) == "1.234"
        assert decimal(84.17) == "84,17"
        assert short_date(dt.date(2023, 1, 5)) == "05/01/2023"
