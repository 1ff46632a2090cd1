"""In a real browser: an officer receives a dossier, prints the receipt, asks for a supplement,
resumes it, a specialist approves it, the officer returns the result, and the applicant looks
it up on the public page. Screenshots of every page go to test-artifacts/."""

import importlib.util
import re

import pytest
from playwright.sync_api import expect

from cchc.dossiers.constants import Status
from cchc.dossiers.models import Dossier
from cchc.org.constants import Role
from tests.browser.conftest import PASSWORD, new_page
from tests.factories import (
    FieldFactory,
    ProcedureComponentFactory,
    ProcedureFactory,
    UnitFactory,
    UnitLevelFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def commune(db):
    district = UnitFactory(
        code="GL-KB",
        name="Huyện Kbang",
        level=UnitLevelFactory(name="district", label="Cấp huyện", rank=2),
    )
    unit = UnitFactory(
        code="GL-KB-04",
        name="Xã Krông",
        level=UnitLevelFactory(name="commune", label="Cấp xã", rank=3),
        parent=district,
    )
    procedure = ProcedureFactory(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field=FieldFactory(name="Hộ tịch"),
        processing_time=3,
        fee=0,
    )
    ProcedureFactory(
        code="1.000894",
        name="Thủ tục đăng ký kết hôn",
        field=procedure.field,
        processing_time=5,
    )
    for order, name in enumerate(("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"), start=1):
        ProcedureComponentFactory(procedure=procedure, name=name, order=order)
    ProcedureComponentFactory(
        procedure=procedure, name="Giấy tờ tùy thân của người đi đăng ký", required=False, order=3
    )
    people = {}
    for username, role, full in (
        ("mc.krong", Role.OFFICER, ("Rơ Mah", "H'Nhi")),
        ("cv.krong", Role.SPECIALIST, ("Nguyễn Văn", "Chuyên")),
    ):
        person = UserFactory(
            username=username, unit=unit, role=role, last_name=full[0], first_name=full[1]
        )
        person.set_password(PASSWORD)
        person.save()
        people[role] = person
    return unit


def log_in(page, base, username):
    page.goto(f"{base}/login/?next=/mot-cua/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tất cả hồ sơ")).to_be_visible()


def take_action(page, summary, fields=None):
    details = page.locator("details.os-action", has=page.locator("summary", has_text=summary))
    details.locator("summary").click()
    for label, value in (fields or {}).items():
        details.get_by_label(label).fill(value)
    details.get_by_role("button", name=summary).click()
    expect(page.locator(".os-alert--success")).to_contain_text(summary)


def test_officer_receives_processes_and_the_applicant_tracks_a_dossier(
    live_server, browser, commune, artifacts_dir
):
    base = live_server.url
    page = new_page(browser, accept_downloads=True)
    log_in(page, base, "mc.krong")
    page.screenshot(path=str(artifacts_dir / "onestop-1-list-empty.png"), full_page=True)

    # Receive: the procedure found without accents, the appointment computed on the spot.
    page.get_by_role("link", name="+ Tiếp nhận hồ sơ").click()
    expect(page.get_by_role("heading", name="Tiếp nhận hồ sơ", exact=True)).to_be_visible()
    page.locator("#procedure-q").fill("khai sinh ho tich")
    choice = page.locator(".os-choice", has_text="Thủ tục đăng ký khai sinh")
    expect(choice).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "onestop-2-receive-search.png"), full_page=True)
    page.locator("#procedure-q").press("Enter")  # the first result, without the mouse
    expect(page.locator(".os-chosen")).to_contain_text("1.001193")
    expect(page.get_by_label("Họ và tên người nộp")).to_be_focused()
    expect(page.locator("#appointment .os-appointment__date")).to_have_text(
        re.compile(r"\d\d/\d\d/\d{4}")
    )
    appointment = page.locator("#appointment [data-appointment]").get_attribute("data-appointment")
    page.get_by_label("Họ và tên người nộp").fill("Đinh Thị Hoa")
    page.get_by_label("Số định danh cá nhân / CCCD").fill("064190000123")
    page.get_by_label("Số điện thoại").fill("0905 123 456")
    page.get_by_label("Địa chỉ").fill("Làng Lơ Bơ, xã Krông")
    page.get_by_label("Nội dung yêu cầu").fill("Đăng ký khai sinh cho con thứ hai")
    page.get_by_role("button", name="Đánh dấu tất cả").click()
    page.get_by_text("Bưu chính công ích").click()
    page.get_by_text("Trực tiếp", exact=True).click()
    page.screenshot(path=str(artifacts_dir / "onestop-3-receive-filled.png"), full_page=True)
    page.locator("button.os-submit").click()

    expect(page.locator(".os-received")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert f"{dossier.due_date:%d/%m/%Y}" == appointment
    expect(page.locator(".os-dossier-code")).to_have_text(dossier.code)
    page.screenshot(path=str(artifacts_dir / "onestop-4-dossier-received.png"), full_page=True)

    # Print the receipt (DOCX) when the official forms are installed.
    if importlib.util.find_spec("cchc.onestop.paper_forms") is not None:
        with page.expect_download() as download_info:
            page.locator("[data-print=receipt-docx]").first.click()
        download = download_info.value
        target = artifacts_dir / f"onestop-receipt-{dossier.code}.docx"
        download.save_as(target)
        assert target.read_bytes()[:2] == b"PK"
        assert download.suggested_filename == f"giay-tiep-nhan-{dossier.code}.docx"

    # Ask for a supplement: the clock stops.
    take_action(
        page,
        "Yêu cầu bổ sung, hoàn thiện",
        {
            "Nội dung, lý do yêu cầu bổ sung": "Giấy chứng sinh bị mờ, cần bản rõ",
            "Giấy tờ cần bổ sung, hoàn thiện": "Giấy chứng sinh (bản chính)",
        },
    )
    expect(page.locator("[data-status]").first).to_have_text("Yêu cầu bổ sung")
    expect(page.locator("#pauses")).to_contain_text("Giấy chứng sinh bị mờ")
    page.screenshot(path=str(artifacts_dir / "onestop-5-supplement.png"), full_page=True)

    # The paused queue counts it.
    page.locator(".os-tab--paused").click()
    expect(page.locator(f'tr[data-code="{dossier.code}"]')).to_be_visible()
    expect(page.locator(".os-tab--paused [data-count]")).to_have_text("1")
    page.screenshot(path=str(artifacts_dir / "onestop-6-queue-paused.png"), full_page=True)
    page.locator(f'tr[data-code="{dossier.code}"] a').click()

    take_action(page, "Tiếp tục xử lý", {"Ghi chú": "Đã nhận bản chính giấy chứng sinh"})
    expect(page.locator("[data-status]").first).to_have_text("Đang xử lý")

    # The specialist approves it, in their own browser.
    other = new_page(browser, accept_downloads=True)
    log_in(other, base, "cv.krong")
    other.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    take_action(other, "Phê duyệt, giải quyết xong", {"Ghi chú": "Đủ điều kiện"})
    expect(other.locator("[data-status]").first).to_have_text("Đã xử lý xong")
    other.context.close()

    # Back at the desk: return the result with its scan, fee and satisfaction.
    page.reload()
    details = page.locator("details[data-action=return_result]")
    details.locator("summary").click()
    scan = artifacts_dir / "onestop-result-scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% trich luc khai sinh\n")
    details.get_by_label("Bản số hóa kết quả").set_input_files(str(scan))
    details.get_by_label("Thanh toán phí, lệ phí trực tuyến").select_option("no")
    details.get_by_text("Hài lòng", exact=True).click()
    page.screenshot(path=str(artifacts_dir / "onestop-7-return-form.png"), full_page=True)
    details.get_by_role("button", name="Trả kết quả").click()
    expect(page.locator("[data-status]").first).to_have_text("Đã trả kết quả")
    expect(page.locator("[data-result-file]")).to_contain_text("onestop-result-scan.pdf")
    page.screenshot(path=str(artifacts_dir / "onestop-8-returned.png"), full_page=True)

    # The applicant, without an account: code and phone number.
    public = new_page(browser, accept_downloads=True)
    public.goto(f"{base}/tra-cuu/")
    public.get_by_label("Mã hồ sơ").fill(dossier.code)
    public.get_by_label("Số điện thoại người nộp").fill("0905000000")
    public.get_by_role("button", name="Tra cứu").click()
    expect(public.locator("[data-track-error]")).to_contain_text("Không tìm thấy hồ sơ")
    public.screenshot(path=str(artifacts_dir / "onestop-9-track-miss.png"), full_page=True)
    public.get_by_label("Mã hồ sơ").fill(dossier.code)
    public.get_by_label("Số điện thoại người nộp").fill("0905123456")
    public.get_by_role("button", name="Tra cứu").click()
    expect(public.locator("[data-status]")).to_have_text("Đã trả kết quả")
    expect(public.locator(".os-track__result")).to_contain_text("Đinh *** Hoa")
    public.screenshot(path=str(artifacts_dir / "onestop-10-track-found.png"), full_page=True)
    public.context.close()

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.ever_paused and dossier.result_digitized
    page.context.close()
