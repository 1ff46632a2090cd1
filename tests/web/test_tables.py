"""The statistics page shows every table of the published reports, with their figures."""

import json

import pytest
from django.urls import reverse

from tests.reports.reading import compare
from tests.web import pages
from tests.web.conftest import KBANG_PUBLISHED, KIM_THACH_PUBLISHED

HOME = reverse("web:home")


def page_statistics(html: str) -> dict:
    """The statistics JSON (exchange-format.md §2) as the page shows it."""
    overall = {k: pages.numbers(v) for k, v in pages.cells(html, "table-overall").items()}
    by_field = {k: pages.numbers(v) for k, v in pages.cells(html, "table-by-field").items()}
    online_rows = {k: pages.numbers(v) for k, v in pages.cells(html, "table-online").items()}
    online = {k: v for k, v in online_rows.items() if "." not in k}
    by_level: dict[str, dict] = {}
    for key, row in online_rows.items():
        if "." in key:
            level, online_level = key.split(".")
            by_level.setdefault(level, {})[online_level] = row
    online["by_level"] = by_level
    digitization = pages.numbers(pages.figures(html, "table-digitization"))
    return {
        "dossiers": {
            "all": overall.pop("all"),
            "by_level": overall,
            "by_field": {k: v for k, v in by_field.items() if k != "all"},
        },
        "digitization": digitization,
        "online_services": online,
    }


@pytest.mark.parametrize(
    ("client_fixture", "folder", "period"),
    [
        ("officer_client", "kim-thach-2023h1", KIM_THACH_PUBLISHED),
        ("leader_client", "kbang-2023q1", KBANG_PUBLISHED),
    ],
)
def test_tables_shown_equal_the_published_figures(
    db, request, fixtures_dir, client_fixture, folder, period
):
    client = request.getfixturevalue(client_fixture)
    html = client.get(HOME, period).content.decode()
    expected = json.loads((fixtures_dir / folder / "expected.json").read_text())
    actual = page_statistics(html)
    assert compare(expected, actual) == []


def test_kim_thach_digitisation_and_fees_tables(officer_client):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    figures = pages.numbers(pages.figures(html, "table-digitization"))
    # Seed 002: 673 received, 527 with digitised components of which 522 fully; 647 of 651
    # results digitised.
    assert figures["received_in_period"] == 673
    assert figures["input_any"] == 527
    assert figures["input_full"] + figures["input_partial"] == 527
    assert figures["input_none"] == 673 - 527
    assert figures["result_digitized"] == 647
    assert figures["result_not_digitized"] == 4
    assert {"with_fee", "paid_online"} <= set(figures)


def test_district_tables_per_level_and_per_commune(leader_client):
    html = leader_client.get(HOME, KBANG_PUBLISHED).content.decode()
    overall = pages.cells(html, "table-overall")
    assert list(overall) == ["all", "district", "commune"]
    by_unit = pages.cells(html, "table-by-unit")
    assert next(iter(by_unit)) == "GL-KB" and list(by_unit)[-1] == "all"
    assert len(by_unit) == 1 + 14 + 1
    received = sum(pages.number(row["received_total"]) for k, row in by_unit.items() if k != "all")
    assert received == pages.number(by_unit["all"]["received_total"]) == 3219
    online = pages.cells(html, "table-online")
    assert {"partial", "full", "district.full", "commune.partial"} <= set(online)
