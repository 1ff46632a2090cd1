"""The public status page: code and phone, or the receipt's signed QR link; one answer for
every miss, and a budget of attempts per IP address."""

import pytest
from django.urls import reverse

from cchc.dossiers import services
from cchc.onestop import tracking
from cchc.org.constants import Role

from .conftest import receive_now

TRACK = reverse("track")
NOT_FOUND = "Không tìm thấy hồ sơ khớp với mã hồ sơ và số điện thoại đã nhập."


def look_up(client, code, phone, ip="203.0.113.7"):
    return client.post(TRACK, {"code": code, "phone": phone}, REMOTE_ADDR=ip)


def test_the_form_needs_no_login(client, db):
    response = client.get(TRACK)
    assert response.status_code == 200
    assert "Tra cứu tình trạng hồ sơ" in response.content.decode()


def test_code_and_phone_show_the_status_and_appointment(client, world, dossier):
    response = look_up(client, dossier.code, "0912345678")
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Được tiếp nhận" in html
    assert f"{dossier.due_date:%d/%m/%Y}" in html
    assert "Nguyễn *** An" in html  # the name is masked
    assert "officer@" not in html  # no officer is named
    assert dossier.applicant_id_number not in html


def test_code_case_and_phone_spelling_do_not_matter(client, world, dossier):
    response = look_up(client, dossier.code.lower(), "+84 912.345.678")
    assert dossier.code in response.content.decode()


def test_wrong_code_and_wrong_phone_get_the_same_answer(client, world, dossier):
    wrong_phone = look_up(client, dossier.code, "0900000000")
    wrong_code = look_up(client, dossier.code + "9", "0912345678")
    assert wrong_phone.status_code == wrong_code.status_code == 200
    for response in (wrong_phone, wrong_code):
        assert NOT_FOUND in response.content.decode()
        assert "Được tiếp nhận" not in response.content.decode()


def test_a_dossier_without_a_phone_cannot_be_found_by_an_empty_phone(client, world):
    dossier = receive_now(world, applicant_phone="")
    assert NOT_FOUND in look_up(client, dossier.code, "").content.decode()
    assert NOT_FOUND in look_up(client, dossier.code, "00000000").content.decode()


def test_attempts_are_limited_per_ip_address(client, world, dossier):
    for _ in range(10):
        assert look_up(client, "NO-SUCH-CODE", "0900000000").status_code == 200
    blocked = look_up(client, dossier.code, "0912345678")
    assert blocked.status_code == 429
    assert "quá 10 lần trong 10 phút" in blocked.content.decode()
    # Another address still has its budget.
    assert look_up(client, dossier.code, "0912345678", ip="198.51.100.1").status_code == 200


def test_the_budget_is_a_setting(client, world, dossier, settings):
    settings.CCHC_TRACKING_RATE = (2, 60)
    look_up(client, "X", "0900000000")
    look_up(client, "X", "0900000000")
    assert look_up(client, dossier.code, "0912345678").status_code == 429


def test_the_signed_qr_link_opens_the_status_page(client, world, dossier):
    response = client.get(tracking.tracking_path(dossier))
    assert response.status_code == 200
    assert dossier.code in response.content.decode()
    assert "Được tiếp nhận" in response.content.decode()


def test_the_receipts_qr_link_opens_the_status_page(client, world, dossier):
    from urllib.parse import urlsplit

    forms = pytest.importorskip("cchc.onestop.paper_forms")
    url = urlsplit(forms.public_status_url(dossier))
    response = client.get(f"{url.path}?{url.query}")
    assert dossier.code in response.content.decode()
    assert "Được tiếp nhận" in response.content.decode()


def test_a_forged_or_damaged_link_is_refused_and_counted(client, world, dossier):
    forged = tracking.tracking_path(dossier)[:-3] + "xyz"
    response = client.get(forged, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert "Đường dẫn tra cứu không hợp lệ" in response.content.decode()
    assert dossier.code not in response.content.decode()
    for _ in range(9):
        client.get(forged, REMOTE_ADDR="203.0.113.9")
    assert client.get(forged, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_a_link_signed_for_something_else_is_refused(client, world, dossier):
    from django.core import signing

    token = signing.dumps({"code": dossier.code}, salt="another.purpose")
    response = client.get(TRACK, {"t": token})
    assert dossier.code not in response.content.decode()


def test_a_paused_dossier_tells_the_applicant_what_to_supplement(client, world, dossier):
    services.request_supplement(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        reason="Bổ sung bản sao giấy chứng sinh",
    )
    html = client.get(tracking.tracking_path(dossier)).content.decode()
    assert "Yêu cầu bổ sung" in html
    assert "Bổ sung bản sao giấy chứng sinh" in html


def test_phone_numbers_are_compared_as_digits():
    assert tracking.normalise_phone("+84 (912) 345-678") == "0912345678"
    assert tracking.normalise_phone("84912345678") == "0912345678"
    assert tracking.normalise_phone("0912 345 678") == "0912345678"


def test_names_are_masked():
    assert tracking.masked_name("Nguyễn Văn An") == "Nguyễn *** An"
    assert tracking.masked_name("An") == "A***"
    assert tracking.masked_name("") == ""


def test_attempts_are_limited_per_code_from_all_addresses(client, world, dossier, settings):
    settings.CCHC_TRACKING_CODE_RATE = (3, 600)
    for n in range(3):
        response = look_up(client, dossier.code.lower(), "0900000000", ip=f"198.51.100.{n}")
        assert response.status_code == 200
    blocked = look_up(client, f" {dossier.code} ", "0912345678", ip="198.51.100.77")
    assert blocked.status_code == 429
    assert "Mã hồ sơ này đã được tra cứu quá 3 lần trong 10 phút" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    # Another code is not blocked by it.
    assert look_up(client, "OTHER-CODE", "0900000000", ip="198.51.100.78").status_code == 200
