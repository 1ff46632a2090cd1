"""In a real browser: the Kim Thạch officer logs in, picks the published period, sees its figures."""

import os

import pytest

# pytest-django refuses database access from the event loop that Playwright's sync API runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect, sync_playwright

from cchc.org.constants import Role
from cchc.org.models import Unit
from tests.factories import UserFactory
from tests.web.conftest import load_fixture_folder

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="vi-VN")
        yield context.new_page()
        context.close()
        browser.close()


def test_kim_thach_officer_sees_the_published_figures(
    live_server, page, fixtures_dir, artifacts_dir
):
    load_fixture_folder(fixtures_dir / "kim-thach-2023h1")
    unit = Unit.objects.get(code="QT-VL-KT")
    officer = UserFactory(username="mc.kimthach", unit=unit, role=Role.OFFICER)
    officer.set_password("demo12345")
    officer.save()

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("mc.kimthach")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
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
    page.screenshot(path=str(artifacts_dir / "home-kim-thach.png"), full_page=True)

    # Another regular period refreshes the tables in place.
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("quarter")
    expect(page.locator(".lead")).to_contain_text("từ 15/12/2022 đến 14/03/2023")
