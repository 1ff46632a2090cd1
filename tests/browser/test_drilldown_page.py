"""In a real browser: a district leader clicks a figure of the statistics page and gets the
list of the dossiers behind it, as many as the figure says; the trends and the ranking."""

import pytest
from playwright.sync_api import expect

from cchc.org.constants import Role
from tests.browser.conftest import log_in, person_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KBANG_Q1 = "/?kind=custom&start=15%2F12%2F2022&end=10%2F03%2F2023"


def test_leader_clicks_a_figure_and_sees_its_dossiers(
    live_server, page, fixtures_dir, artifacts_dir
):
    person_of(fixtures_dir, "kbang-2023q1", "GL-KB", "ld.kbang", Role.LEADER)
    log_in(page, live_server.url, "ld.kbang")
    expect(page.get_by_role("heading", name="Huyện Kbang")).to_be_visible()
    page.goto(live_server.url + KBANG_Q1)
    expect(page.locator("#trends svg")).to_have_count(4)
    expect(page.locator("#checked")).to_be_visible()  # the figures passed validate_stats
    page.screenshot(path=str(artifacts_dir / "statistics-kbang.png"), full_page=True)

    # The district's dossiers resolved in the field "Chứng thực" during the quarter.
    row = page.locator('#table-by-field tr[data-row="Chứng thực"]')
    cell = row.locator('td[data-key="resolved"] a')
    figure = cell.inner_text()
    assert figure == "518"
    cell.click()

    expect(page.get_by_role("heading", name="Hồ sơ đã giải quyết")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text(figure)
    expect(page.locator(".chips")).to_contain_text("Chứng thực")
    expect(page.locator("#dossier-list tbody tr")).to_have_count(50)  # the first page
    expect(page.locator(".pager")).to_contain_text("Trang 1/11")
    page.screenshot(
        path=str(artifacts_dir / "dossiers-kbang-chung-thuc-resolved.png"), full_page=True
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 518

    page.get_by_role("link", name="← Về bảng số liệu").click()
    expect(page.locator("#table-by-field")).to_be_visible()
    expect(page.locator("#trends svg")).to_have_count(4)
    page.locator("#trends").screenshot(path=str(artifacts_dir / "trends-kbang.png"))

    # Ranking by another rate, in place.
    page.get_by_role("link", name="Tỷ lệ hồ sơ trực tuyến").click()
    expect(page.locator('#table-ranking th[aria-sort="descending"]')).to_contain_text(
        "Tỷ lệ hồ sơ trực tuyến"
    )
    expect(page.locator("#table-ranking tbody tr").first).to_contain_text("Thị trấn Kbang")
