"""Trends: the rates of the 12 reporting months up to the period's end, as SVG charts, and
the subordinate units ranked on each rate; every figure is the one period_statistics gives."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from cchc.org.constants import Role
from cchc.org.models import Unit
from cchc.stats.periods import Period
from cchc.stats.selectors import period_statistics
from cchc.web.trends import RATE_KEYS, cells_of, draw, ranked, reporting_months, trends
from tests.factories import DossierFactory, UserFactory
from tests.web import pages
from tests.web.conftest import KBANG_PUBLISHED, KIM_THACH_PUBLISHED

TRENDS = reverse("web:trends")
KIM_THACH_PERIOD = Period(dt.date(2022, 12, 15), dt.date(2023, 6, 12))
KBANG_PERIOD = Period(dt.date(2022, 12, 15), dt.date(2023, 3, 10))


def rates_of_statistics(stats: dict) -> dict:
    """The four rates of a statistics document, with their numerators and denominators."""
    counts, digit = stats["dossiers"]["all"], stats["digitization"]
    return {
        "on_time_rate": (counts["on_time_rate"], counts["resolved_in_time"], counts["resolved"]),
        "online_rate": (counts["online_rate"], counts["online"], counts["online_eligible"]),
        "input_full_rate": (
            digit["input_full_rate"],
            digit["input_full"],
            digit["received_in_period"],
        ),
        "result_rate": (digit["result_rate"], digit["result_digitized"], digit["resolved"]),
    }


def test_the_twelve_reporting_months_end_with_the_period():
    months = reporting_months(dt.date(2023, 6, 12), cutoff=15)
    assert len(months) == 12
    assert (months[0].period.start, months[0].period.end) == (
        dt.date(2022, 6, 15),
        dt.date(2022, 7, 14),
    )
    # The last month is cut at the period's end; each month starts the day after the last.
    assert (months[-1].period.start, months[-1].period.end) == (
        dt.date(2023, 5, 15),
        dt.date(2023, 6, 12),
    )
    assert [m.label for m in months[5:8]] == ["12/2022", "1/2023", "2/2023"]
    for before, after in itertools.pairwise(months):
        assert after.period.start == before.period.end + dt.timedelta(days=1)


def test_calendar_months_with_a_cut_off_on_the_first():
    months = reporting_months(dt.date(2024, 2, 29), cutoff=1)
    assert (months[-1].period.start, months[-1].period.end) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
    )
    assert months[0].period.start == dt.date(2023, 3, 1)


def test_a_day_from_the_cut_off_counts_in_the_next_reporting_month():
    months = reporting_months(dt.date(2022, 12, 20), cutoff=15)
    assert months[-1].label == "1/2023"
    assert months[-1].period == Period(dt.date(2022, 12, 15), dt.date(2022, 12, 20))


@pytest.mark.parametrize(
    ("unit_fixture", "period"),
    [("kim_thach", KIM_THACH_PERIOD), ("kbang", KBANG_PERIOD)],
)
def test_each_months_rates_are_those_of_period_statistics(db, request, unit_fixture, period):
    unit = request.getfixturevalue(unit_fixture)
    result = trends(unit, period, cutoff=15)
    with_data = 0
    for month, cells in result.table:
        expected = rates_of_statistics(
            period_statistics(unit, month.period.start, month.period.end)
        )
        for cell in cells:
            assert (cell.value, cell.numerator, cell.denominator) == expected[cell.key], (
                month.label,
                cell.key,
            )
        with_data += any(cell.denominator for cell in cells)
    assert with_data >= 3


def test_subordinate_units_are_ranked_on_their_figures_of_the_period(kbang):
    result = trends(kbang, KBANG_PERIOD, cutoff=15, rank_by="online_rate")
    assert len(result.ranking) == 14
    for row in result.ranking:
        expected = rates_of_statistics(
            period_statistics(row.unit, KBANG_PERIOD.start, KBANG_PERIOD.end)
        )
        for cell in row.cells:
            assert (cell.value, cell.numerator, cell.denominator) == expected[cell.key]
    online = [row.cells[RATE_KEYS.index("online_rate")].value for row in result.ranking]
    assert online == sorted(online, reverse=True)
    assert result.ranking[0].unit.code == "GL-KB-01" and result.ranking[0].position == 1


def test_equal_rates_share_a_rank_and_no_rate_has_none():
    units = [Unit(code=c, name=c, path=f"/{c}/") for c in ("A", "B", "C", "D")]
    zero = {"resolved_in_time": 0, "resolved": 0, "online": 0, "online_eligible": 0}
    zero |= {"input_full": 0, "received_in_period": 0, "result_digitized": 0}
    counts = [
        zero | {"resolved_in_time": 9, "resolved": 10},
        zero | {"resolved_in_time": 10, "resolved": 10},
        zero | {"resolved_in_time": 9, "resolved": 10},
        zero,
    ]
    rows = ranked(units, counts, "on_time_rate")
    assert [(r.unit.code, r.position) for r in rows] == [("B", 1), ("A", 2), ("C", 2), ("D", None)]


def test_a_month_without_figures_is_a_gap_in_the_line():
    months = reporting_months(dt.date(2023, 6, 12), cutoff=15)[:4]
    some = {"resolved_in_time": 1, "resolved": 2}
    none = {"resolved_in_time": 0, "resolved": 0}
    chart = draw("on_time_rate", "t", "f", months, [some, some, none, some])
    assert len(chart.lines) == 1  # a lone point after the gap is drawn as a dot only
    assert chart.lines[0].count(",") == 2
    assert [p.value for p in chart.points] == [50.0, 50.0, None, 50.0]
    assert chart.average == 50.0
    others = ("online", "online_eligible", "input_full", "received_in_period", "result_digitized")
    assert cells_of(none | dict.fromkeys(others, 0))[0].value is None


def test_trends_page_draws_inline_svg_charts(leader_client):
    response = leader_client.get(TRENDS, {"unit": "GL-KB", **KBANG_PUBLISHED})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 4
    assert "<script" not in html.split("<main", 1)[1]  # drawn by the server
    assert "http://" not in html.split("<main", 1)[1].replace("http://www.w3.org", "")
    ranking = pages.cells(html, "table-ranking")
    assert len(ranking) == 14


def test_trends_are_loaded_into_the_statistics_page(leader_client):
    html = leader_client.get(reverse("web:home"), KBANG_PUBLISHED).content.decode()
    assert f'hx-get="{TRENDS}?unit=GL-KB&amp;kind=custom' in html
    part = leader_client.get(
        TRENDS, {"unit": "GL-KB", **KBANG_PUBLISHED}, headers={"HX-Request": "true"}
    ).content.decode()
    assert part.lstrip().startswith('<section class="block trends" id="trends"')


def test_ranking_is_sorted_by_the_chosen_rate(leader_client):
    html = leader_client.get(
        TRENDS, {"unit": "GL-KB", "rank_by": "online_rate", **KBANG_PUBLISHED}
    ).content.decode()
    assert 'aria-sort="descending"' in html
    rows = pages.cells(html, "table-ranking")
    assert next(iter(rows)) == "GL-KB-01"


def test_commune_has_charts_but_no_ranking(officer_client):
    html = officer_client.get(TRENDS, {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED}).content.decode()
    assert html.count("<svg") == 4
    assert "table-ranking" not in html


@pytest.mark.parametrize("code", ["GL-KB", "NO-SUCH-UNIT"])
def test_trends_outside_the_users_subtree_are_not_found(officer_client, kbang, code):
    response = officer_client.get(TRENDS, {"unit": code, **KBANG_PUBLISHED})
    assert response.status_code == 404


def test_trends_query_count_does_not_grow_with_the_tree(
    client, tree, django_assert_max_num_queries
):
    client.force_login(UserFactory(unit=tree["P"], role=Role.LEADER))
    DossierFactory.create_batch(3, unit=tree["P-D-1"])
    params = {"unit": "P", "kind": "year", "year": "2023"}
    # The session, the user, the subtree (twice: with its stamps, to find stored counts),
    # the stored counts of the months, the grouped counts of the others.
    with django_assert_max_num_queries(7):
        client.get(TRENDS, params)
    for n in range(20):
        Unit.objects.create(
            code=f"P-X{n}", name=f"Huyện {n}", level=tree["P-D"].level, parent=tree["P"]
        )
    with django_assert_max_num_queries(7):
        response = client.get(TRENDS, params)
    assert len(pages.cells(response.content.decode(), "table-ranking")) == 21
