"""Every figure of the statistics page links to the list of the dossiers behind it, and that
list counts exactly the figure (and exports the same dossiers to CSV)."""

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cchc.dossiers.exchange import COLUMNS
from cchc.org.constants import Role
from cchc.stats.selectors import COUNT_KEYS
from cchc.web.drilldown import COUNT_LABELS, all_conditions
from tests.factories import DossierFactory, UserFactory
from tests.web import pages
from tests.web.conftest import KBANG_PUBLISHED, KIM_THACH_PUBLISHED

HOME = reverse("web:home")
DOSSIERS = reverse("web:dossiers")
DOSSIERS_CSV = reverse("web:dossiers_csv")
PER_FIELD_KEYS = set(COUNT_KEYS)  # every count of a dossier table


def listed(client, url: str) -> int:
    """How many dossiers the drill-down list at `url` says it holds, after checking that its
    CSV export (the list's own dossiers, streamed from the database) has as many rows: the
    page may take its total from the stored counts (cchc.stats.cache)."""
    response = client.get(url)
    assert response.status_code == 200, url
    total = pages.listed_total(response.content.decode())
    exported = client.get(url.replace(DOSSIERS, DOSSIERS_CSV, 1))
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert len(rows) - 1 == total, url
    return total


def check_every_link(client, html: str, table_id: str, keys: set[str] | None = None) -> int:
    checked = 0
    shown = pages.cells(html, table_id)
    for row, urls in pages.links(html, table_id).items():
        if keys is not None:
            assert set(urls) == keys, row
        for key, url in urls.items():
            assert listed(client, url) == pages.number(shown[row][key]), (row, key, url)
            checked += 1
    return checked


@pytest.mark.parametrize(
    ("client_fixture", "period", "fields"),
    [("officer_client", KIM_THACH_PUBLISHED, 5), ("leader_client", KBANG_PUBLISHED, 8)],
)
def test_every_cell_of_the_per_field_table_lists_as_many_dossiers(
    db, request, client_fixture, period, fields
):
    client = request.getfixturevalue(client_fixture)
    html = client.get(HOME, period).content.decode()
    checked = check_every_link(client, html, "table-by-field", PER_FIELD_KEYS)
    assert checked == (fields + 1) * len(PER_FIELD_KEYS)  # every field and the total row


def test_every_other_figure_of_the_district_page_lists_as_many_dossiers(leader_client):
    html = leader_client.get(HOME, KBANG_PUBLISHED).content.decode()
    assert check_every_link(leader_client, html, "table-overall", PER_FIELD_KEYS) == 3 * 17
    assert check_every_link(leader_client, html, "table-online") == 6 * 2
    # Per unit: the district's own one-stop shop, and one commune with its subtree.
    shown = pages.cells(html, "table-by-unit")
    urls = pages.links(html, "table-by-unit")
    for row in ("GL-KB", "GL-KB-04"):
        for key in ("received_total", "resolved", "pending_overdue", "online_eligible"):
            assert listed(leader_client, urls[row][key]) == pages.number(shown[row][key])


# The tables with one figure a row, and the figures of each that are drill-down links.
FIGURE_TABLES = {
    "table-digitization": {
        "received_in_period",
        "input_any",
        "input_full",
        "input_partial",
        "input_none",
        "resolved",
        "result_digitized",
        "result_not_digitized",
        "with_fee",
        "paid_online",
    },
    "table-satisfaction": {"rated", "satisfied", "normal", "not_satisfied"},
}


@pytest.mark.parametrize(("table_id", "keys"), FIGURE_TABLES.items())
def test_every_figure_of_a_one_figure_a_row_table_lists_as_many_dossiers(
    officer_client, table_id, keys
):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    figures = pages.figures(html, table_id)
    urls = pages.figure_links(html, table_id)
    assert set(urls) == keys
    assert pages.table(html, table_id).count('class="drill"') == len(keys)
    for key, url in urls.items():
        assert parse_qs(urlsplit(url).query)["count"] == [key]
        assert listed(officer_client, url) == pages.number(figures[key]), key


def test_own_shop_row_lists_only_the_units_own_dossiers(leader_client, kbang):
    html = leader_client.get(HOME, KBANG_PUBLISHED).content.decode()
    url = pages.links(html, "table-by-unit")["GL-KB"]["received_total"]
    assert parse_qs(urlsplit(url).query)["own"] == ["1"]
    page = leader_client.get(url).content.decode()
    assert "Chỉ Bộ phận Một cửa của đơn vị" in page
    assert "Xã " not in pages.table(page, "dossier-list")


def test_list_is_paginated(officer_client):
    url = f"{DOSSIERS}?unit=QT-VL-KT&kind=custom&start=15/12/2022&end=12/06/2023&count=resolved"
    first = officer_client.get(url).content.decode()
    assert first.count('<th scope="row" class="code">') == 50
    assert "Trang 1/14" in first
    last = officer_client.get(url + "&page=14").content.decode()
    assert last.count('<th scope="row" class="code">') == 651 - 13 * 50
    assert officer_client.get(url + "&page=99").status_code == 200  # the last page


def test_list_query_count_does_not_grow_with_the_list(client, tree, django_assert_max_num_queries):
    client.force_login(UserFactory(unit=tree["P"], role=Role.LEADER))
    url = f"{DOSSIERS}?unit=P&kind=year&year=2023&count=received_total&level=commune"
    DossierFactory.create_batch(3, unit=tree["P-D-1"])
    # With the subtree and its stored counts read first (none stored here: counted).
    with django_assert_max_num_queries(10):
        small = client.get(url)
    DossierFactory.create_batch(60, unit=tree["P-D-2"])
    with django_assert_max_num_queries(10):
        big = client.get(url)
    assert small.status_code == big.status_code == 200


def test_csv_holds_the_same_dossiers_as_the_list(officer_client):
    query = "unit=QT-VL-KT&kind=custom&start=15/12/2022&end=12/06/2023&count=carried_over"
    response = officer_client.get(f"{DOSSIERS_CSV}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == listed(officer_client, f"{DOSSIERS}?{query}") == 19
    assert all(row[6] < "2022-12-15" for row in rows[1:])  # received before the period


def test_list_links_back_to_the_csv_and_the_statistics(officer_client):
    query = "unit=QT-VL-KT&kind=custom&start=15/12/2022&end=12/06/2023&count=late&field=Hộ+tịch"
    html = officer_client.get(f"{DOSSIERS}?{query}").content.decode()
    assert f'href="{DOSSIERS_CSV}?unit=QT-VL-KT' in html
    assert "Lĩnh vực: Hộ tịch" in html
    assert "Không có hồ sơ nào" in html  # none was late


@pytest.mark.parametrize("path", [DOSSIERS, DOSSIERS_CSV])
@pytest.mark.parametrize("code", ["GL-KB", "GL-KB-04", "QT-VL", "NO-SUCH-UNIT"])
def test_drill_down_outside_the_users_subtree_is_not_found(officer_client, kbang, path, code):
    response = officer_client.get(path, {"unit": code, "count": "resolved", **KBANG_PUBLISHED})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"count": "everything"},
        {"count": ""},
        {"count": "resolved", "online_level": "none"},
        {"count": "resolved", "kind": "custom", "start": "31/02/2023"},
    ],
)
def test_drill_down_link_that_names_no_figure_is_not_found(officer_client, params):
    response = officer_client.get(DOSSIERS, {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED, **params})
    assert response.status_code == 404


def test_drill_down_requires_login(client, db):
    response = client.get(DOSSIERS, {"count": "resolved"})
    assert response.status_code == 302


def test_every_labelled_figure_has_a_condition():
    assert set(COUNT_LABELS) <= set(all_conditions(dt.date(2023, 1, 1), dt.date(2023, 1, 31)))


@pytest.mark.parametrize("stored", [False, True])
def test_a_lists_total_is_its_dossiers_count_whether_stored_or_counted(kbang, stored):
    """stored_count reads the figure from the stored counts; it is always the count of the
    list's dossiers, for every count and every part it breaks down."""
    from cchc.stats.selectors import period_statistics
    from cchc.web.drilldown import Part, dossiers_behind, stored_count

    start, end = dt.date(2022, 12, 15), dt.date(2023, 3, 10)
    if stored:
        for _ in range(2):  # the units' counts, then the subtree's
            period_statistics(kbang, start, end)
    fields = ["", *{d.field.name for d in kbang.dossiers.select_related("field")[:40]}]
    parts = [Part(field=f) for f in fields] + [
        Part(level="district"),
        Part(level="commune"),
        Part(own=True),
    ]
    for count in COUNT_LABELS:
        for part in parts:
            known = stored_count(kbang, start, end, count, part)
            if not stored:
                assert known is None
                continue
            assert known == dossiers_behind(kbang, start, end, count, part).count(), (count, part)
