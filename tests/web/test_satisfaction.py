"""The statistics page shows how satisfied applicants were with the results handed over by the
period's end, and each count links to the dossiers behind it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.dossiers.constants import Outcome, Satisfaction
from cchc.org.constants import Role
from cchc.stats.selectors import period_statistics
from tests.factories import DossierFactory, UserFactory
from tests.stats.history import close, hand_over
from tests.web import pages

HOME = reverse("web:home")
START, END = dt.date(2023, 1, 1), dt.date(2023, 1, 31)
LISTED_CODE = re.compile(r'<th scope="row" class="code">([^<]+)</th>')
JANUARY = {"unit": "P", "kind": "custom", "start": "01/01/2023", "end": "31/01/2023"}


def handed_over(code: str, unit, on: dt.date, satisfaction: str = ""):
    dossier = DossierFactory(code=code, unit=unit, received_on=dt.date(2023, 1, 4))
    close(dossier, Outcome.RESOLVED, on - dt.timedelta(days=1))
    return hand_over(dossier, on, satisfaction=satisfaction)


@pytest.fixture
def ratings(tree):
    """Five ratings of results handed over in January across two communes, one result
    handed over without a rating, and one rated in February."""
    c1, c2 = tree["P-D-1"], tree["P-D-2"]
    for n in range(3):
        handed_over(f"S-{n}", c1 if n else c2, dt.date(2023, 1, 10), Satisfaction.SATISFIED)
    handed_over("N-1", c1, dt.date(2023, 1, 12), Satisfaction.NORMAL)
    handed_over("X-1", c2, dt.date(2023, 1, 31), Satisfaction.NOT_SATISFIED)
    handed_over("U-1", c1, dt.date(2023, 1, 20))
    handed_over("F-1", c2, dt.date(2023, 2, 2), Satisfaction.NOT_SATISFIED)
    return tree


@pytest.fixture
def province_client(client, tree):
    client.force_login(UserFactory(unit=tree["P"], role=Role.LEADER))
    return client


def test_satisfaction_table_shows_the_ratings_handed_over_in_the_period(ratings, province_client):
    html = province_client.get(HOME, JANUARY).content.decode()
    figures = pages.numbers(pages.figures(html, "table-satisfaction"))
    assert figures == {
        "rated": 5,
        "satisfied": 3,
        "normal": 1,
        "not_satisfied": 1,
        "satisfied_rate": Decimal("60.00"),
    }
    assert figures == period_statistics(ratings["P"], START, END)["satisfaction"]


@pytest.mark.parametrize(
    ("count", "codes"),
    [
        ("rated", {"S-0", "S-1", "S-2", "N-1", "X-1"}),
        ("satisfied", {"S-0", "S-1", "S-2"}),
        ("normal", {"N-1"}),
        ("not_satisfied", {"X-1"}),
    ],
)
def test_each_satisfaction_count_lists_the_dossiers_rated_so(
    ratings, province_client, count, codes
):
    html = province_client.get(HOME, JANUARY).content.decode()
    url = pages.figure_links(html, "table-satisfaction")[count]
    page = province_client.get(url).content.decode()
    assert pages.listed_total(page) == len(codes)
    assert set(LISTED_CODE.findall(pages.table(page, "dossier-list"))) == codes


def test_a_period_without_ratings_shows_zeros_and_no_rate(tree, province_client):
    handed_over("U-1", tree["P-D-1"], dt.date(2023, 1, 20))
    html = province_client.get(HOME, JANUARY).content.decode()
    figures = pages.figures(html, "table-satisfaction")
    assert figures == {
        "rated": "0",
        "satisfied": "0",
        "normal": "0",
        "not_satisfied": "0",
        "satisfied_rate": "—",
    }


def test_satisfaction_table_is_translated_in_english(ratings, province_client):
    province_client.post(reverse("set_language"), {"language": "en", "next": HOME})
    html = province_client.get(HOME, JANUARY).content.decode()
    satisfaction = html.split('id="t-satisfaction"', 1)[1].split("</table>", 1)[0]
    assert "Applicant's satisfaction" in satisfaction
    for label in ("Rated dossiers", "Satisfied", "Neutral", "Not satisfied"):
        assert label in satisfaction
    url = pages.figure_links(html, "table-satisfaction")["normal"]
    assert "Dossiers the applicant rated neutral" in province_client.get(url).content.decode()
