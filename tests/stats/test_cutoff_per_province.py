"""The reporting cut-off is a rule per province: set on a unit, it holds for its subtree."""

import datetime as dt

import pytest

from cchc.stats.periods import cutoff_day_for, reporting_period

pytestmark = pytest.mark.django_db


def test_without_a_rule_the_setting_holds(tree, settings):
    settings.CCHC_PERIOD_CUTOFF_DAY = 15
    assert cutoff_day_for(tree["P-D-1"]) == 15


def test_a_province_rule_holds_for_its_communes_and_not_for_another_province(tree):
    tree["P"].report_cutoff_day = 20
    tree["P"].save()
    assert cutoff_day_for(tree["P-D-1"]) == 20
    assert cutoff_day_for(tree["Q-1"]) == 15
    period = reporting_period("quarter", 2023, 1, cutoff=cutoff_day_for(tree["P-D-1"]))
    assert (period.start, period.end) == (dt.date(2022, 12, 20), dt.date(2023, 3, 19))


def test_the_closest_rule_wins(tree):
    tree["P"].report_cutoff_day = 20
    tree["P"].save()
    tree["P-D"].report_cutoff_day = 1
    tree["P-D"].save()
    assert cutoff_day_for(tree["P-D-2"]) == 1
    assert reporting_period("month", 2023, 2, cutoff=1).end == dt.date(2023, 2, 28)
