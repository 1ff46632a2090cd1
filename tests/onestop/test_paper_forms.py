"""The one-stop paper forms of a dossier (DOCX, ND 30 layout), the tracking book (XLSX) and the QR code
of the public status page, for dossiers taken through the lifecycle services."""

import datetime as dt
import io
import shutil
import subprocess
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.core import signing
from docx.shared import Pt

from cchc.dossiers.constants import Channel
from cchc.dossiers.services import (
    ReceivedComponent,
    apologise,
    assign_dossier,
    forward_dossier,
    receive_dossier,
    reject_dossier,
    request_supplement,
    resolve_dossier,
    resume_dossier,
    return_result,
    stop_dossier,
)
from cchc.onestop.paper_forms import (
    FORM_KINDS,
    TRACK_SIGNING_SALT,
    public_status_url,
    qr_png,
    render_form,
    render_form_pdf,
    render_tracking_book,
)
from cchc.org.constants import Role
from cchc.reports import pdf
from tests.factories import (
    DepartmentFactory,
    DossierFactory,
    ProcedureComponentFactory,
    ProcedureFactory,
    staff_of,
    vn_moment,
)
from tests.reports.reading import open_docx

D = dt.date
RECEIVED_ON = D(2023, 3, 1)  # a Wednesday: 3 working days → due Monday 06/03/2023
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def world(tree):
    unit = tree["P-D-1"]
    unit.name = "Xã Kim Thạch"
    unit.save()
    district = tree["P-D"]
    district.name = "Huyện Vĩnh Linh"
    district.save()
    staff = staff_of(unit)
    for role, name in (
        (Role.OFFICER, "Trần Thị Bình"),
        (Role.SPECIALIST, "Phạm Văn Dũng"),
        (Role.LEADER, "Lê Văn Cường"),
    ):
        staff[role].first_name = name
        staff[role].phone = "0233 3820 123" if role == Role.SPECIALIST else ""
        staff[role].job_title = "Chủ tịch UBND xã" if role == Role.LEADER else ""
        staff[role].save()
    procedure = ProcedureFactory(
        processing_time=3, fee=20000, name="Đăng ký khai sinh", code="1.001193"
    )
    return SimpleNamespace(
        tree=tree,
        unit=unit,
        procedure=procedure,
        birth_form=ProcedureComponentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh"),
        staff=staff,
        district_department=DepartmentFactory(unit=district, code="TP", name="Phòng Tư pháp"),
    )


def receive(world, day=RECEIVED_ON, hour=9, unit=None, actor=None, **kwargs):
    options = {
        "actor": actor or world.staff[Role.OFFICER],
        "unit": unit or world.unit,
        "procedure": world.procedure,
        "channel": Channel.DIRECT,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001090000001",
        "applicant_phone": "0912345678",
        "applicant_address": "Thôn 3, xã Kim Thạch",
        "applicant_email": "an@example.vn",
        "request_summary": "Đăng ký khai sinh cho con",
        "components": [
            ReceivedComponent(component=world.birth_form, originals=1),
            ReceivedComponent(name="Giấy chứng sinh", certified_copies=1, photocopies=2),
        ],
        "at": vn_moment(day, hour),
    }
    options.update(kwargs)
    return receive_dossier(**options)


def step(dossier, service, actor, day, hour, **kwargs):
    return service(
        dossier, actor=actor, expected_version=dossier.version, at=vn_moment(day, hour), **kwargs
    )


@pytest.fixture
def travelled(world):
    """Received 01/03, forwarded to the district (liên thông), paused 02/03–06/03 (due moves
    to 08/03), apology on 07/03 with a new appointment on 10/03, resolved on time on 08/03,
    returned late on 09/03."""
    s = world.staff
    dossier = receive(world)
    dossier = step(dossier, assign_dossier, s[Role.OFFICER], RECEIVED_ON, 10,
                   assignee=s[Role.SPECIALIST])  # fmt: skip
    dossier = step(dossier, forward_dossier, s[Role.SPECIALIST], D(2023, 3, 2), 9,
                   to_unit=world.tree["P-D"], to_department=world.district_department,
                   note="Xin ý kiến Phòng Tư pháp")  # fmt: skip
    dossier = step(dossier, request_supplement, s[Role.SPECIALIST], D(2023, 3, 2), 10,
                   reason="Giấy chứng sinh chưa có xác nhận",
                   items=["Bản sao giấy chứng sinh có chứng thực", "Giấy xác nhận cư trú"])  # fmt: skip
    dossier = step(dossier, resume_dossier, s[Role.OFFICER], D(2023, 3, 6), 9)
    dossier = step(dossier, apologise, s[Role.LEADER], D(2023, 3, 7), 10,
                   new_appointment=D(2023, 3, 10), reason="Chờ xác minh nơi cư trú")  # fmt: skip
    dossier = step(dossier, resolve_dossier, s[Role.SPECIALIST], D(2023, 3, 8), 15)
    return step(dossier, return_result, s[Role.OFFICER], D(2023, 3, 9), 9)


def all_text(document) -> str:
    """The paragraphs and the table cells, nested tables included, in document order."""

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                yield cell.text
                for inner in cell.tables:
                    yield from cells(inner)

    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cells(table))
    return "\n".join(parts)


def form(kind, dossier, **options):
    document = open_docx(render_form(kind, dossier, **options))
    return document, all_text(document)


# ---------------------------------------------------------------------------- receipt


def test_receipt_holds_code_applicant_papers_times_fees_and_book_number(world):
    dossier = receive(world)
    document, text = form("receipt", dossier)
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == [
        "UBND XÃ KIM THẠCH",
        "BỘ PHẬN MỘT CỬA",
    ]
    assert header.cell(1, 0).text == "Số: 01/TNHS-BPMC"
    assert header.cell(1, 1).text == "Kim Thạch, ngày 01 tháng 3 năm 2023"
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Tiếp nhận hồ sơ của: Ông/Bà Nguyễn Văn An" in text
    assert "Địa chỉ: Thôn 3, xã Kim Thạch" in text
    assert "Số điện thoại: 0912345678; Thư điện tử: an@example.vn" in text
    assert "Nội dung yêu cầu giải quyết: Đăng ký khai sinh cho con" in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc." in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 01/03/2023." in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 06/03/2023." in text
    assert "6. Nhận kết quả tại: Bộ phận Một cửa xã Kim Thạch." in text
    assert "7. Phí, lệ phí: 20.000 đồng." in text
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: 2023, Số thứ tự: 01." in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Trần Thị Bình" in text  # the receiving officer signs


def test_receipt_lists_each_paper_with_its_originals_certified_copies_and_photocopies(world):
    document, _ = form("receipt", receive(world))
    papers = next(t for t in document.tables if t.rows[0].cells[1].text == "Tên giấy tờ")
    assert [[c.text for c in row.cells] for row in papers.rows] == [
        ["TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản chụp"],
        ["1", "Tờ khai đăng ký khai sinh", "1", "", ""],
        ["2", "Giấy chứng sinh", "", "1", "2"],
    ]


def test_receipt_carries_one_qr_code_image(world):
    document, _ = form("receipt", receive(world))
    assert len(document.inline_shapes) == 1
    image = document.inline_shapes[0]
    blob = document.part.related_parts[image._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert blob.blob.startswith(PNG)
    assert round(image.width.mm) == 28


def test_receipt_numbers_run_per_unit_and_year(world):
    first = receive(world, hour=8)
    receive(world, unit=world.tree["P-D-2"], actor=staff_of(world.tree["P-D-2"])[Role.OFFICER])
    second = receive(world, hour=10)
    _, text = form("receipt", second)
    assert "Số thứ tự: 02." in text
    _, text = form("receipt", first)
    assert "Số thứ tự: 01." in text


def test_postal_receipt_sends_the_result_by_post_and_free_procedure_says_no_fee(world):
    world.procedure.fee = 0
    world.procedure.save()
    _, text = form("receipt", receive(world, channel=Channel.POSTAL))
    assert "Nhận kết quả tại: qua dịch vụ bưu chính công ích" in text
    assert "7. Phí, lệ phí: Không." in text


# ---------------------------------------------------------------------------- public status QR


def test_public_status_url_carries_the_code_signed_with_the_tracking_salt(world, settings):
    dossier = receive(world)
    url = public_status_url(dossier)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:8000"
    assert parts.path == "/tra-cuu/"
    token = parse_qs(parts.query)["t"][0]
    assert signing.loads(token, salt=TRACK_SIGNING_SALT) == {
        "id": dossier.pk,
        "code": dossier.code,
        "v": 0,
    }
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="another.salt")

    settings.CCHC_PUBLIC_BASE_URL = "https://motcua.example.gov.vn/"
    assert public_status_url(dossier).startswith("https://motcua.example.gov.vn/tra-cuu/?t=")


def test_qr_png_is_a_png_that_grows_with_the_url():
    short, long = qr_png("http://a/"), qr_png("http://a/" + "x" * 300)
    assert short.startswith(PNG) and long.startswith(PNG)

    def width(png: bytes) -> int:
        return int.from_bytes(png[16:20], "big")  # IHDR width

    assert width(long) > width(short)


# ---------------------------------------------------------------------------- other forms


def test_supplement_request_lists_items_reason_pause_and_contact_officer(world):
    s = world.staff
    dossier = receive(world)
    dossier = step(dossier, request_supplement, s[Role.SPECIALIST], D(2023, 3, 2), 10,
                   reason="Giấy chứng sinh chưa có xác nhận",
                   items=["Bản sao giấy chứng sinh có chứng thực", "Giấy xác nhận cư trú"])  # fmt: skip
    document, text = form("supplement", dossier)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert document.tables[0].cell(1, 0).text == "Số: 01/YCBS-BPMC"
    assert document.tables[0].cell(1, 1).text == "Kim Thạch, ngày 02 tháng 3 năm 2023"
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Hồ sơ của: Ông/Bà Nguyễn Văn An" in text
    assert "Ngày tiếp nhận hồ sơ: 01/03/2023" in text
    assert "1. Bản sao giấy chứng sinh có chứng thực" in text
    assert "2. Giấy xác nhận cư trú" in text
    assert "Lý do: Giấy chứng sinh chưa có xác nhận" in text
    assert "tạm dừng từ ngày 02/03/2023" in text
    assert "liên hệ với Phạm Văn Dũng, số điện thoại 0233 3820 123" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_supplement_request_without_items_repeats_the_reason_as_the_item(world):
    dossier = receive(world)
    dossier = step(dossier, request_supplement, world.staff[Role.OFFICER], RECEIVED_ON, 11,
                   reason="Thiếu ảnh 4x6")  # fmt: skip
    _, text = form("supplement", dossier)
    assert "1. Thiếu ảnh 4x6" in text


def test_rejection_gives_the_reason(world):
    dossier = receive(world)
    dossier = step(dossier, reject_dossier, world.staff[Role.OFFICER], RECEIVED_ON, 10,
                   reason="Không thuộc thẩm quyền giải quyết của xã")  # fmt: skip
    document, text = form("rejection", dossier)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert document.tables[0].cell(1, 0).text == "Số: 01/TCHS-BPMC"
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Tiếp nhận hồ sơ của: Ông/Bà Nguyễn Văn An" in text
    assert (
        "UBND xã Kim Thạch không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau: "
        "Không thuộc thẩm quyền giải quyết của xã."
    ) in text
    assert "Trần Thị Bình" in text


def test_apology_states_receipt_due_date_reason_and_new_appointment_signed_by_the_head(
    travelled,
):
    document, text = form("apology", travelled)
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ KIM THẠCH",
    ]
    assert header.cell(1, 0).text == "Số: 01/XL-UBND"
    assert header.cell(1, 1).text == "Kim Thạch, ngày 07 tháng 3 năm 2023"
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Kính gửi: Ông/Bà Nguyễn Văn An." in text
    assert "Ngày 01/03/2023, UBND xã Kim Thạch tiếp nhận hồ sơ" in text
    assert f"mã hồ sơ {travelled.code}" in text
    # The due date in force when the apology was written (moved by the pause), not the first.
    assert "Thời hạn giải quyết theo quy định: ngày 08/03/2023." in text
    assert "vì lý do: Chờ xác minh nơi cư trú." in text
    assert "hẹn trả kết quả vào 17 giờ 00 phút, ngày 10/03/2023." in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "Lê Văn Cường" in text
    assert "- Lưu: VT." in text


def test_apology_by_a_deputy_is_signed_for_the_chairman(travelled, world):
    deputy = world.staff[Role.LEADER]
    deputy.job_title = "Phó Chủ tịch UBND xã"
    deputy.save()
    _, text = form("apology", travelled, actor=deputy)
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text


def test_form_titles_can_follow_the_older_circular(travelled, settings):
    settings.CCHC_FORM_TITLES = {"apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"}
    _, text = form("apology", travelled)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text


def test_stop_notice_gives_the_date_and_reason(world):
    dossier = receive(world)
    dossier = step(dossier, stop_dossier, world.staff[Role.LEADER], D(2023, 3, 3), 14,
                   reason="Có tranh chấp về quyền nuôi con")  # fmt: skip
    document, text = form("stop", dossier)
    assert document.tables[0].cell(1, 0).text == "Số: 01/TB-UBND"
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert f"mã hồ sơ {dossier.code}" in text
    assert (
        "thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày 03/03/2023, vì lý do: "
        "Có tranh chấp về quyền nuôi con."
    ) in text
    assert "Lê Văn Cường" in text


@pytest.mark.parametrize("kind", ["supplement", "rejection", "apology", "stop"])
def test_form_that_does_not_apply_raises_a_vietnamese_value_error(world, kind):
    dossier = receive(world)
    with pytest.raises(ValueError, match=rf"Hồ sơ {dossier.code} .*không lập được"):
        render_form(kind, dossier)


def test_unknown_form_kind_is_refused(world):
    with pytest.raises(ValueError, match="Không có mẫu"):
        render_form("receipt2", receive(world))


def test_every_form_is_a4_in_times_new_roman(travelled):
    for kind in ("receipt", "apology", "control_slip"):
        document = open_docx(render_form(kind, travelled))
        section = document.sections[0]
        assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
        assert [round(x.mm) for x in (section.left_margin, section.right_margin)] == [30, 15]
        assert document.styles["Normal"].font.size == Pt(14)
        runs = [r for p in document.paragraphs for r in p.runs]
        runs += [
            r
            for t in document.tables
            for row in t.rows
            for c in row.cells
            for p in c.paragraphs
            for r in p.runs
        ]
        assert {r.font.name for r in runs} == {"Times New Roman"}


def test_rendering_a_form_takes_a_fixed_number_of_queries(travelled, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        render_form("control_slip", travelled)
    with django_assert_max_num_queries(6):
        render_form("receipt", travelled)


# ---------------------------------------------------------------------------- control slip


def slip_rows(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TÊN CƠ QUAN")
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_control_slip_has_a_row_per_hand_over_with_time_people_and_result(travelled):
    document, text = form("control_slip", travelled)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {travelled.code}" in text
    assert "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 01/TNHS-BPMC)" in text
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Tư pháp, Huyện Vĩnh Linh" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Huyện Vĩnh Linh" in text
    rows = slip_rows(document)
    assert [(r[0], r[2]) for r in rows] == [
        ("1. Giao: Người nộp hồ sơ\nNhận: Bộ phận Một cửa", "Trước hạn"),
        ("2. Giao: Bộ phận Một cửa\nNhận: UBND xã Kim Thạch", "Trước hạn"),
        ("3. Giao: UBND xã Kim Thạch\nNhận: Phòng Tư pháp, Huyện Vĩnh Linh", "Trước hạn"),
        ("4. Giao: Phòng Tư pháp, Huyện Vĩnh Linh\nNhận: Người nộp hồ sơ", "Trước hạn"),
        ("5. Giao: Người nộp hồ sơ\nNhận: Phòng Tư pháp, Huyện Vĩnh Linh", "Trước hạn"),
        ("6. Giao: Phòng Tư pháp, Huyện Vĩnh Linh\nNhận: Bộ phận Một cửa", "Đúng hạn"),
        ("7. Giao: Bộ phận Một cửa\nNhận: Người nộp hồ sơ", "Quá hạn"),
    ]
    assert rows[0][1] == (
        "09 giờ 00 phút\nngày 01/03/2023\nNgười giao: Nguyễn Văn An\nNgười nhận: Trần Thị Bình"
    )
    assert rows[1][1].endswith("Người giao: Trần Thị Bình\nNgười nhận: Phạm Văn Dũng")
    assert rows[2][3] == "Xin ý kiến Phòng Tư pháp"
    assert "Bản sao giấy chứng sinh có chứng thực" in rows[3][3]
    assert "Tạm dừng 2 ngày làm việc" in rows[4][3]
    # The apology is a letter, not a hand-over: it is noted under the table.
    assert "đã có văn bản xin lỗi, hẹn lại ngày trả kết quả: 17 giờ 00 phút, ngày 10/03/2023" in (
        text
    )


def test_control_slip_step_after_the_due_date_is_late_even_with_an_apology(world):
    s = world.staff
    dossier = receive(world)
    dossier = step(dossier, apologise, s[Role.OFFICER], D(2023, 3, 2), 9,
                   new_appointment=D(2023, 3, 9), reason="Chờ xác minh")  # fmt: skip
    dossier = step(dossier, resolve_dossier, s[Role.SPECIALIST], D(2023, 3, 7), 9)
    rows = slip_rows(open_docx(render_form("control_slip", dossier)))
    assert [r[2] for r in rows] == ["Trước hạn", "Quá hạn"]


def test_control_slip_of_an_imported_dossier_starts_with_its_receipt(world):
    dossier = DossierFactory(unit=world.unit, procedure=world.procedure, applicant_name="Hà Vy")
    rows = slip_rows(open_docx(render_form("control_slip", dossier)))
    assert len(rows) == 1
    assert rows[0][0] == "1. Giao: Người nộp hồ sơ\nNhận: Bộ phận Một cửa"
    assert rows[0][1].startswith("08 giờ 00 phút\nngày 01/03/2023")


# ---------------------------------------------------------------------------- tracking book


def test_tracking_book_has_a_row_per_dossier_of_the_subtree_in_the_period(world, travelled):
    other = staff_of(world.tree["P-D-2"])[Role.OFFICER]
    sibling = receive(world, day=D(2023, 3, 2), unit=world.tree["P-D-2"], actor=other)
    receive(world, day=D(2023, 4, 3))  # after the period
    receive(world, unit=world.tree["Q-1"], actor=staff_of(world.tree["Q-1"])[Role.OFFICER])

    book = openpyxl.load_workbook(
        io.BytesIO(render_tracking_book(world.tree["P-D"], D(2023, 3, 1), D(2023, 3, 31)))
    )
    sheet = book.active
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Huyện Vĩnh Linh" in sheet["A2"].value
    assert "từ ngày 01/03/2023 đến ngày 31/03/2023" in sheet["A2"].value
    headers = [c.value for c in sheet[4]]
    assert headers[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert headers[-2:] == ["Kết quả (trước hạn/ đúng hạn/ quá hạn)", "Ghi chú"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert [(r[0], r[1]) for r in rows] == [(1, travelled.code), (2, sibling.code)]
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Tên thủ tục hành chính"] == "Đăng ký khai sinh"
    assert first["Người nộp hồ sơ"] == "Nguyễn Văn An"
    assert first["Địa chỉ, số điện thoại"] == "Thôn 3, xã Kim Thạch, 0912345678"
    assert first["Ngày nhận hồ sơ"] == dt.datetime(2023, 3, 1)
    assert first["Ngày hẹn trả kết quả"] == dt.datetime(2023, 3, 8)
    assert first["Ngày chuyển xử lý"] == dt.datetime(2023, 3, 1)
    assert first["Ngày có kết quả"] == dt.datetime(2023, 3, 8)
    assert first["Ngày trả kết quả"] == dt.datetime(2023, 3, 9)
    assert first["Kết quả (trước hạn/ đúng hạn/ quá hạn)"] == "Đúng hạn"
    assert "Hẹn lại (xin lỗi): 10/03/2023" in first["Ghi chú"]
    assert "Liên thông: Huyện Vĩnh Linh" in first["Ghi chú"]
    second = dict(zip(headers, rows[1], strict=True))
    assert second["Kết quả (trước hạn/ đúng hạn/ quá hạn)"] == "Được tiếp nhận"
    assert second["Ngày có kết quả"] is None

    cell = sheet["F6"]
    assert cell.number_format.upper() == "DD/MM/YYYY"
    assert cell.font.name == "Times New Roman"
    assert cell.border.left.style == "thin"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert "A1:L1" in {str(r) for r in sheet.merged_cells.ranges}


def test_tracking_book_of_an_empty_period_has_only_its_header(world):
    book = openpyxl.load_workbook(
        io.BytesIO(render_tracking_book(world.unit, D(2024, 1, 1), D(2024, 1, 31)))
    )
    assert book.active.max_row == 5


def test_tracking_book_takes_one_query_whatever_the_number_of_dossiers(
    world, django_assert_num_queries
):
    for hour in (8, 9, 10, 11):
        receive(world, hour=hour)
    with django_assert_num_queries(1):
        render_tracking_book(world.unit, RECEIVED_ON, RECEIVED_ON)


# ---------------------------------------------------------------------------- PDF


def test_no_pdf_without_libreoffice(world, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert render_form_pdf("receipt", receive(world)) is None


@pytest.mark.slow
def test_receipt_renders_to_pdf_and_a_png_artifact(world, artifacts_dir):
    if pdf.soffice() is None:
        pytest.skip("LibreOffice is not installed: no PDF rendering")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: no PNG of the PDF")
    dossier = receive(world)
    data = render_form_pdf("receipt", dossier)
    assert data.startswith(b"%PDF")
    stem = "form-receipt"
    (artifacts_dir / f"{stem}.docx").write_bytes(render_form("receipt", dossier))
    (artifacts_dir / f"{stem}.pdf").write_bytes(data)
    for old in artifacts_dir.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(artifacts_dir / f"{stem}.pdf"),
         str(artifacts_dir / stem)],
        check=True,
        timeout=120,
    )  # fmt: skip
    pages = sorted(artifacts_dir.glob(f"{stem}-*.png"))
    assert len(pages) == 1  # the receipt fits on one page
    assert pages[0].stat().st_size > 10_000


def test_form_kinds_are_the_six_one_stop_forms():
    assert FORM_KINDS == (
        "receipt",
        "supplement",
        "rejection",
        "apology",
        "stop",
        "control_slip",
    )
