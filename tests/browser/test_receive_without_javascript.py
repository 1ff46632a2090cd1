"""In a real browser with JavaScript turned off: the officer still finds the procedure, ticks
the papers and receives the dossier (the page is plain HTML forms; htmx only speeds it up)."""

import pytest
from playwright.sync_api import expect

from cchc.dossiers.models import Dossier
from tests.browser.conftest import log_in, new_page
from tests.browser.test_onestop_flow import commune as commune  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_receives_a_dossier_without_javascript(
    live_server, browser, commune, artifacts_dir
):
    page = new_page(browser, java_script_enabled=False)
    log_in(page, live_server.url, "mc.krong")
    page.goto(f"{live_server.url}/mot-cua/tiep-nhan/")
    page.locator("#procedure-q").fill("khai sinh ho tich")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.locator(".os-choice", has_text="Thủ tục đăng ký khai sinh").click()
    expect(page.locator(".os-chosen")).to_contain_text("1.001193")
    page.get_by_label("Họ và tên người nộp").fill("Đinh Thị Hoa")
    page.get_by_label("Số định danh cá nhân / CCCD").fill("064190000123")
    page.get_by_label("Số điện thoại").fill("0905 123 456")
    page.get_by_label("Địa chỉ").fill("Làng Lơ Bơ, xã Krông")
    page.get_by_label("Nội dung yêu cầu").fill("Đăng ký khai sinh cho con thứ hai")
    for box in page.locator("#receive-components input[type=checkbox]").all():
        box.check()
    page.screenshot(path=str(artifacts_dir / "onestop-receive-no-js.png"), full_page=True)
    page.locator("button.os-submit").click()
    expect(page.locator(".os-received")).to_contain_text("Đã tiếp nhận hồ sơ")
    assert Dossier.objects.get().procedure.code == "1.001193"
    page.context.close()
