"""In a real browser: the Kim Thạch officer logs in, picks the published period, sees its figures."""

import pytest
from playwright.sync_api import expect

from cchc.org.constants import Role
from tests.browser.conftest import log_in, person_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kim_thach_officer_sees_the_published_figures(
    live_server, page, fixtures_dir, artifacts_dir
):
    person_of(fixtures_dir, "kim-thach-2023h1", "QT-VL-KT", "mc.kimthach", Role.OFFICER)
    log_in(page, live_server.url, "mc.kimthach")
    expect(page.get_by_role("heading", name="Xã Kim Thạch")).to_be_visible()

    page.get_by_label("Kỳ báo cáo", exact=True).select_option("custom")
    page.get_by_label("Từ ngày").fill("15/12/2022")
    page.get_by_label("Đến ngày").fill("12/06/2023")
    with page.expect_response(lambda r: "start=15%2F12%2F2022" in r.url):
        page.get_by_role("button", name="Xem số liệu").click()

    expect(page.locator("[data-kpi=received_total]")).to_have_text("692")
    expect(page.locator("[data-kpi=resolved]")).to_have_text("651")
    expect(page.locator(".lead")).to_contain_text("từ 15/12/2022 đến 12/06/2023")
    assert "start=15%2F12%2F2022" in page.url  # htmx pushed the chosen period into the URL
    expect(page.locator("#trends svg")).to_have_count(4)  # the trends load after the tables
    page.screenshot(path=str(artifacts_dir / "home-kim-thach.png"), full_page=True)

    # Another regular period refreshes the tables in place.
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("quarter")
    expect(page.locator(".lead")).to_contain_text("từ 15/12/2022 đến 14/03/2023")
