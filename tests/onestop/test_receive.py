"""Receiving a dossier through the web: the live procedure search, the papers, the appointment
date from the working calendar, and the refusals."""

from django.urls import reverse
from django.utils import timezone

from cchc.dossiers.clock import legal_due
from cchc.dossiers.constants import Channel, Digitization, Status
from cchc.dossiers.models import Dossier
from cchc.org.constants import Role
from tests.factories import ProcedureFactory

from .conftest import client_of

RECEIVE = reverse("onestop:receive")
SEARCH = reverse("onestop:procedure_search")
PANEL = reverse("onestop:receive_panel")


def receive_data(world, **overrides):
    data = {
        "unit": world.unit.pk,
        "procedure": world.procedure.pk,
        "channel": Channel.DIRECT,
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001190000002",
        "applicant_phone": "0987654321",
        "applicant_address": "Thôn 1",
        "request_summary": "Đăng ký khai sinh cho con",
    }
    for paper in world.papers[:2]:
        data[f"c{paper.pk}"] = "on"
        data[f"c{paper.pk}_originals"] = "1"
        data[f"c{paper.pk}_certified"] = "0"
        data[f"c{paper.pk}_photocopies"] = "1"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_receive_page_offers_the_search_and_the_channels(officer, world):
    response = officer.get(RECEIVE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="procedure-q"' in html
    assert "Trực tiếp" in html and "Bưu chính công ích" in html
    assert "Chọn thủ tục để tính ngày hẹn." in html


def test_search_without_accents_finds_the_procedure_by_its_field(officer, world):
    response = officer.get(SEARCH, {"q": "ho tich"})
    assert world.procedure.code in response.content.decode()
    response = officer.get(SEARCH, {"q": "khai sinh"})
    assert "Thủ tục đăng ký khai sinh" in response.content.decode()


def test_search_by_exact_code_puts_that_procedure_first(officer, world):
    ProcedureFactory(code="1.000656.B", name="Thủ tục khác có mã gần giống")
    response = officer.get(SEARCH, {"q": "1.000656"})
    html = response.content.decode()
    assert html.index('data-procedure="1.000656"') < html.index('data-procedure="1.000656.B"')


def test_search_says_when_nothing_matches_and_skips_inactive_procedures(officer, world):
    ProcedureFactory(code="OLD-1", name="Thủ tục đã bãi bỏ", active=False)
    response = officer.get(SEARCH, {"q": "bai bo"})
    assert "OLD-1" not in response.content.decode()
    assert "Không tìm thấy thủ tục nào" in response.content.decode()


def test_choosing_a_procedure_shows_its_papers_and_the_appointment_date(officer, world):
    response = officer.get(PANEL, {"procedure": world.procedure.pk})
    html = response.content.decode()
    for paper in world.papers:
        assert paper.name in html
    expected = timezone.localtime(legal_due(world.procedure, timezone.now()))
    assert f'data-appointment="{expected:%d/%m/%Y}"' in html
    assert 'hx-swap-oob="true"' in html  # the appointment box beside the form follows


def test_panel_offers_reuse_of_the_applicants_digitised_results(officer, world):
    from django.core.files.base import ContentFile

    from cchc.dossiers import services

    from .conftest import receive_now

    earlier = receive_now(world, applicant_id_number="001190000002")
    staff = world.staff
    earlier = services.assign_dossier(
        earlier,
        actor=staff[Role.OFFICER],
        expected_version=earlier.version,
        assignee=staff[Role.SPECIALIST],
    )
    earlier = services.resolve_dossier(
        earlier, actor=staff[Role.SPECIALIST], expected_version=earlier.version
    )
    services.return_result(
        earlier,
        actor=staff[Role.OFFICER],
        expected_version=earlier.version,
        result_file=ContentFile(b"%PDF-1.4 result", name="giay-khai-sinh.pdf"),
    )
    response = officer.get(
        PANEL,
        {"procedure": world.procedure.pk, "applicant_id_number": "001190000002", "keep": "1"},
    )
    assert "giay-khai-sinh.pdf" in response.content.decode()
    result = earlier.files.get()
    data = receive_data(world, **{f"c{world.papers[0].pk}_reuse": str(result.pk)})
    response = officer.post(RECEIVE, data)
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    reused = dossier.files.get()
    assert reused.reused_from == result
    assert dossier.input_digitization == Digitization.PARTIAL


def test_receiving_creates_the_dossier_and_opens_its_page_with_the_receipt(officer, world):
    response = officer.post(RECEIVE, receive_data(world))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("onestop:dossier", args=[dossier.code]) + (
        "?vua-tiep-nhan=1"
    )
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.components.count() == 2
    assert dossier.components.get(component=world.papers[0]).photocopies == 1
    page = officer.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in page
    assert reverse("onestop:print", args=[dossier.code, "receipt", "docx"]) in page
    assert f"{dossier.due_date:%d/%m/%Y}" in page


def test_scanned_papers_are_stored_and_the_digitisation_follows(officer, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = receive_data(world)
    for paper in world.papers[:2]:
        data[f"c{paper.pk}_scan"] = SimpleUploadedFile(f"scan-{paper.pk}.pdf", b"%PDF-1.4 scan")
    officer.post(RECEIVE, data)
    dossier = Dossier.objects.get()
    assert dossier.input_digitization == Digitization.FULL
    assert dossier.files.count() == 2


def test_other_papers_are_received_one_per_line(officer, world):
    officer.post(RECEIVE, receive_data(world, other_papers="Giấy ủy quyền\n\nSổ hộ khẩu"))
    names = list(Dossier.objects.get().components.values_list("name", flat=True))
    assert names[-2:] == ["Giấy ủy quyền", "Sổ hộ khẩu"]


def test_missing_required_paper_is_refused_and_the_form_is_kept(officer, world):
    data = receive_data(world)
    del data[f"c{world.papers[1].pk}"]
    response = officer.post(RECEIVE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hồ sơ chưa đủ thành phần bắt buộc: Giấy chứng sinh." in html
    assert "Trần Thị Bình" in html  # what was typed is still there
    assert 'data-procedure="1.000656"' in html
    assert not Dossier.objects.exists()


def test_missing_procedure_and_name_are_shown_as_errors(officer, world):
    response = officer.post(RECEIVE, receive_data(world, procedure="", applicant_name=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy chọn thủ tục hành chính." in html
    assert not Dossier.objects.exists()


def test_a_specialist_is_told_they_may_not_receive(specialist, world):
    page = specialist.get(RECEIVE).content.decode()
    assert "Vai trò của bạn không được tiếp nhận hồ sơ" in page
    response = specialist.post(RECEIVE, receive_data(world))
    assert response.status_code == 400
    assert "không được phép thực hiện thao tác “Tiếp nhận”" in response.content.decode()
    assert not Dossier.objects.exists()


def test_receiving_for_a_unit_outside_the_subtree_is_refused(officer, world):
    response = officer.post(RECEIVE, receive_data(world, unit=world.tree["Q-1"].pk))
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_a_district_officer_may_receive_for_a_commune_of_the_district(world):
    client = client_of(world.district[Role.OFFICER])
    page = client.get(RECEIVE).content.decode()
    assert world.unit.name in page  # the unit picker lists the communes
    response = client.post(RECEIVE, receive_data(world))
    assert response.status_code == 302
    assert Dossier.objects.get().unit == world.unit


def test_anonymous_people_are_sent_to_the_login(client, world):
    response = client.get(RECEIVE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_procedures_of_the_officers_level_come_first(officer, world):
    for n in range(15):
        ProcedureFactory(code=f"0.{n:03d}", name=f"Khai sinh cấp tỉnh {n}", level="province")
    world.procedure.level = world.unit.level.name
    world.procedure.save()
    html = officer.get(SEARCH, {"q": "khai sinh"}).content.decode()
    assert html.index('data-procedure="1.000656"') < html.index('data-procedure="0.000"')
    assert html.count('class="os-choice"') == 12


def test_without_javascript_the_search_is_a_get_of_the_page_and_results_are_links(officer, world):
    """The search box has a button of its own (in <noscript>) that asks the receive page again
    with ?q=; each result links to the page with that procedure chosen."""
    html = officer.get(RECEIVE).content.decode()
    assert 'formmethod="get"' in html and "<noscript>" in html
    html = officer.get(RECEIVE, {"q": "ho tich", "tim": "1"}).content.decode()
    link = f'href="{RECEIVE}?procedure={world.procedure.pk}"'
    assert link in html
    assert 'value="ho tich"' in html  # the words stay in the box
    chosen = officer.get(RECEIVE, {"procedure": world.procedure.pk}).content.decode()
    for paper in world.papers:
        assert f'name="c{paper.pk}"' in chosen  # its papers to tick, then an ordinary POST
    response = officer.post(RECEIVE, receive_data(world))
    assert response.status_code == 302
    assert Dossier.objects.get().procedure == world.procedure


def test_ids_in_links_and_fields_are_not_written_as_vietnamese_numbers(officer, world):
    """Numbers on the page are 1.234 (Vietnamese grouping); ids in links and fields must stay
    12345, or a catalogue of thousands of procedures could not be chosen from."""
    big = ProcedureFactory(pk=12345, code="2.000001", name="Thủ tục chứng thực bản sao")
    found = officer.get(RECEIVE, {"q": "chung thuc"}).content.decode()
    assert f'href="{RECEIVE}?procedure=12345"' in found
    assert (
        f'hx-get="{PANEL}?procedure=12345"'
        in officer.get(SEARCH, {"q": "chung thuc"}).content.decode()
    )
    chosen = officer.get(RECEIVE, {"procedure": big.pk}).content.decode()
    assert 'name="procedure" value="12345"' in chosen
    response = officer.post(RECEIVE, receive_data(world, procedure=big.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get().procedure == big
