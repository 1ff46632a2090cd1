"""The period picker: every regular period with the province's cut-off, or two dates; the
links of a page choose the same period again."""

import pytest
from django.urls import reverse

from tests.web import pages
from tests.web.conftest import KIM_THACH_PUBLISHED

HOME = reverse("web:home")


@pytest.mark.parametrize(
    ("params", "label", "dates"),
    [
        (
            {"kind": "month", "year": "2023", "month": "3"},
            "Tháng 3/2023",
            "từ 15/02/2023 đến 14/03/2023",
        ),
        (
            {"kind": "quarter", "year": "2023", "quarter": "2"},
            "Quý II/2023",
            "từ 15/03/2023 đến 14/06/2023",
        ),
        ({"kind": "half", "year": "2023"}, "6 tháng đầu năm 2023", "từ 15/12/2022 đến 14/06/2023"),
        (
            {"kind": "nine_months", "year": "2023"},
            "9 tháng năm 2023",
            "từ 15/12/2022 đến 14/09/2023",
        ),
        ({"kind": "year", "year": "2023"}, "Năm 2023", "từ 15/12/2022 đến 14/12/2023"),
        (KIM_THACH_PUBLISHED, "Kỳ tùy chọn", "từ 15/12/2022 đến 12/06/2023"),
    ],
)
def test_every_kind_of_period_is_cut_off_the_way_the_province_reports(
    officer_client, params, label, dates
):
    html = officer_client.get(HOME, params).content.decode()
    lead = html.split('<p class="lead">')[1].split("</p>")[0]
    assert label in lead and dates in lead


def test_the_cut_off_day_is_a_setting(officer_client, settings):
    settings.CCHC_PERIOD_CUTOFF_DAY = 1  # a province that reports calendar quarters
    html = officer_client.get(HOME, {"kind": "quarter", "year": "2023", "quarter": "1"})
    assert "từ 01/01/2023 đến 31/03/2023" in html.content.decode()


def test_links_of_the_page_choose_the_same_unit_and_period(officer_client):
    html = officer_client.get(HOME, {"kind": "quarter", "year": "2023", "quarter": "1"})
    url = pages.links(html.content.decode(), "table-by-field")["Hộ tịch"]["resolved"]
    assert "unit=QT-VL-KT&kind=quarter&year=2023&quarter=1&field=" in url
    page = officer_client.get(url).content.decode()
    assert "Quý I/2023" in page and "từ 15/12/2022 đến 14/03/2023" in page


def test_default_period_links_name_it(officer_client):
    html = officer_client.get(HOME).content.decode()
    url = pages.links(html, "table-overall")["all"]["received_total"]
    assert "kind=half&year=2023" in url
