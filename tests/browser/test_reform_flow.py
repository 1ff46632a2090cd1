"""In a real browser: a commune's reform officer fills form 1, sees the contradiction appear as
she types, fixes it and submits; the district's reform officer approves the report."""

import os

import pytest
from playwright.sync_api import expect

from cchc.org.constants import Role
from cchc.reform.models import FormReport, FormSet
from cchc.reform.statistical_forms import DATA_DIR, load_form_set, read_document
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import UnitFactory, UnitLevelFactory, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTRADICTION = "Số vấn đề đã xử lý xong (3.3.2) không thể nhiều hơn số vấn đề phát hiện (3.3.1)"


def person(username, unit, role):
    user = UserFactory(username=username, unit=unit, role=role, last_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def units(db):
    if not FormSet.objects.filter(year=2023, version=1).exists():
        load_form_set(read_document(DATA_DIR / "form_set_2023.json"))
    district_level = UnitLevelFactory(name="district", rank=2)
    commune_level = UnitLevelFactory(name="commune", rank=3)
    district = UnitFactory(code="GL-KB", name="Huyện Kbang", level=district_level)
    commune = UnitFactory(code="GL-KB-ST", name="Xã Sơn Lang", level=commune_level, parent=district)
    person("cchc.sonlang", commune, Role.REFORM_OFFICER)
    person("cchc.kbang", district, Role.REFORM_OFFICER)
    return district, commune


def test_commune_fills_checks_submits_and_district_approves(
    live_server, page, units, artifacts_dir
):
    log_in(page, live_server.url, "cchc.sonlang")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"{live_server.url}/cai-cach/?kind=quarter&number=1&year=2023")
    page.get_by_role("button", name="Lập báo cáo kỳ này").click()
    expect(page.get_by_role("heading", name="Xã Sơn Lang · Quý I/2023")).to_be_visible()

    page.get_by_label("Số vấn đề phát hiện qua kiểm tra").fill("5")
    page.get_by_label("Số vấn đề phát hiện đã xử lý xong").fill("7")
    checks = page.locator("#checks")
    expect(checks).to_contain_text(CONTRADICTION)
    expect(page.locator("#val-1-3_3")).to_have_text("140")
    page.get_by_label("Số văn bản chỉ đạo CCHC đã ban hành").fill("4")
    page.screenshot(path=str(artifacts_dir / "reform-entry-contradiction.png"), full_page=False)

    page.get_by_label("Số vấn đề phát hiện đã xử lý xong").fill("4")
    expect(checks).not_to_contain_text(CONTRADICTION)
    expect(page.locator("#val-1-3_3")).to_have_text("80")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator(".rf-msg--success")).to_contain_text("Đã lưu số liệu")
    page.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    expect(page.locator("[data-status]")).to_have_text("Đã gửi")
    page.screenshot(path=str(artifacts_dir / "reform-entry-submitted.png"), full_page=False)
    page.get_by_role("button", name="Đăng xuất").click()

    log_in(page, live_server.url, "cchc.kbang")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"{live_server.url}/cai-cach/cap-duoi/?kind=quarter&number=1&year=2023")
    row = page.locator("tr[data-unit='GL-KB-ST']")
    expect(row).to_contain_text("Gửi muộn")  # Q1/2023 sent today: after its deadline
    expect(page.locator("[data-row='1:3.3.1']")).to_have_text("5")
    page.screenshot(path=str(artifacts_dir / "reform-subordinates.png"), full_page=False)
    row.get_by_role("button", name="Duyệt").click()
    expect(page.locator("tr[data-unit='GL-KB-ST']")).to_contain_text("Đã duyệt")
    assert FormReport.objects.get().status == "approved"
