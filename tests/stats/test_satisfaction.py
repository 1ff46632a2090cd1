"""Satisfaction is counted from the ratings recorded when results are handed over."""

import datetime as dt

import pytest

from cchc.dossiers.constants import Satisfaction
from cchc.stats.selectors import period_statistics
from cchc.stats.validation import validate

from .history import hand_over
from .test_frozen import END, START, january  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_ratings_handed_over_by_the_end_are_counted_by_kind(tree, january):  # noqa: F811
    hand_over(january["resolved"], dt.date(2023, 1, 13), satisfaction=Satisfaction.SATISFIED)
    hand_over(january["unreturned"], END, satisfaction=Satisfaction.NOT_SATISFIED)
    stats = period_statistics(tree["P"], START, END)
    assert stats["satisfaction"] == {
        "rated": 2,
        "satisfied": 1,
        "normal": 0,
        "not_satisfied": 1,
        "satisfied_rate": 50.0,
    }
    assert validate(stats) == []


def test_a_rating_given_after_the_period_does_not_change_it(tree, january):  # noqa: F811
    hand_over(january["unreturned"], END + dt.timedelta(days=3), satisfaction=Satisfaction.NORMAL)
    assert period_statistics(tree["P"], START, END)["satisfaction"]["rated"] == 0


@pytest.mark.parametrize(
    ("block", "broken"),
    [
        ({"rated": 3, "satisfied": 1, "normal": 1, "not_satisfied": 0}, "rated 3 != "),
        ({"rated": 4, "satisfied": 3, "satisfied_rate": 50}, "satisfied_rate 50"),
    ],
)
def test_validation_catches_a_broken_satisfaction_block(block, broken):
    problems = validate({"satisfaction": block})
    assert any(broken in line for line in problems), problems
