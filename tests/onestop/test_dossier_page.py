"""The dossier page and every action through the web: forms post the version the officer saw,
a stale version changes nothing, and every refusal is a message, never an error page."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.constants import EventAction, Satisfaction, Status
from cchc.dossiers.models import Dossier, DossierEvent, FileKind
from cchc.dossiers.transitions import Action
from cchc.org.constants import Role
from cchc.workcalendar import calendar
from cchc.workcalendar.calendar import VN_TZ

from .conftest import client_of, receive_now


def page_url(dossier) -> str:
    return reverse("onestop:dossier", args=[dossier.code])


def action_url(dossier, action) -> str:
    return reverse("onestop:action", args=[dossier.code, Action(action).value])


def post_action(client, dossier, action, version=None, **fields):
    prefix = Action(action).value
    data = {f"{prefix}-expected_version": dossier.version if version is None else version}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return client.post(action_url(dossier, action), data)


def assigned(world, dossier):
    return services.assign_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        assignee=world.staff[Role.SPECIALIST],
    )


def resolved(world, dossier):
    dossier = assigned(world, dossier)
    return services.resolve_dossier(
        dossier, actor=world.staff[Role.SPECIALIST], expected_version=dossier.version
    )


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# ---------------------------------------------------------------------------- the page


def test_dossier_page_shows_details_papers_timeline_and_due_date(officer, world, dossier):
    response = officer.get(page_url(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert f'data-due="{dossier.due_date:%d/%m/%Y}"' in html
    assert 'data-action="received"' in html  # the timeline's first event
    assert "Được tiếp nhận" in html


def test_the_allowed_actions_are_small_forms_posting_the_version(officer, world, dossier):
    html = officer.get(page_url(dossier)).content.decode()
    for action in (Action.REQUEST_SUPPLEMENT, Action.REJECT, Action.WITHDRAW, Action.APOLOGISE):
        assert f'data-action="{action.value}"' in html
        assert f'name="{action.value}-expected_version" value="{dossier.version}"' in html
    # Assigning and forwarding load their choices when opened.
    assert f'hx-get="{action_url(dossier, Action.ASSIGN)}"' in html
    # Not this officer's to take.
    assert 'data-action="resolve"' not in html
    assert 'data-action="stop"' not in html


def test_a_specialist_sees_their_own_actions(specialist, world, dossier):
    html = specialist.get(page_url(dossier)).content.decode()
    assert 'data-action="resolve"' in html
    assert 'data-action="assign"' not in html
    assert 'data-action="return_result"' not in html


def test_pauses_and_their_moved_due_date_are_shown(officer, world, dossier):
    staff = world.staff
    dossier = services.request_supplement(
        dossier, actor=staff[Role.OFFICER], expected_version=dossier.version, reason="Thiếu CCCD"
    )
    html = officer.get(page_url(dossier)).content.decode()
    assert 'id="pauses"' in html
    assert "Thiếu CCCD" in html
    assert "đang tạm dừng" in html
    dossier = services.resume_dossier(
        dossier, actor=staff[Role.OFFICER], expected_version=dossier.version
    )
    html = officer.get(page_url(dossier)).content.decode()
    assert "Tạm dừng 0 ngày làm việc" in html


def test_an_apology_appointment_is_shown_beside_the_legal_due_date(officer, world, dossier):
    new_day = calendar.add_working_days(dossier.due_date, 2)
    dossier = services.apologise(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        new_appointment=new_day,
        reason="Chờ xác minh",
    )
    html = officer.get(page_url(dossier)).content.decode()
    assert f'data-appointment="{new_day:%d/%m/%Y}"' in html
    assert 'data-action="apologise"' not in html  # only once
    assert "apology-docx" in html


@pytest.mark.parametrize("days_left", [1, 0])
def test_an_apology_sent_too_late_is_marked_on_the_timeline(officer, world, days_left):
    # Received three weeks ago (an apology cannot be dated in the future).
    received = dt.datetime.combine(
        calendar.next_working_day(dt.date.today() - dt.timedelta(days=21)), dt.time(8), tzinfo=VN_TZ
    )
    dossier = receive_now(world, at=received)
    sent = dossier.due_date
    while calendar.working_days_between(sent, dossier.due_date) < days_left:
        sent -= dt.timedelta(days=1)
    at = max(dt.datetime.combine(sent, dt.time(16), tzinfo=VN_TZ), dossier.received_at)
    dossier = services.apologise(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        new_appointment=calendar.add_working_days(dossier.due_date, 2),
        reason="Chờ xác minh",
        at=at + dt.timedelta(minutes=1),
    )
    html = officer.get(page_url(dossier)).content.decode()
    assert ("data-apology-late" in html) is (days_left == 0)
    if not days_left:
        assert "phải gửi trước hạn giải quyết ít nhất 1 ngày làm việc" in html


# ---------------------------------------------------------------------------- each action


def test_assign_form_lists_the_people_who_may_process_it(officer, world, dossier):
    response = officer.get(action_url(dossier, Action.ASSIGN), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{world.staff[Role.SPECIALIST].pk}"' in html
    assert f'<option value="{world.district[Role.LEADER].pk}"' in html  # a unit above
    assert f'<option value="{world.sibling[Role.SPECIALIST].pk}"' not in html
    assert f'<option value="{world.staff[Role.OFFICER].pk}"' not in html
    assert "<html" not in html  # a fragment for htmx


def test_assign_through_the_web(officer, world, dossier):
    response = post_action(
        officer, dossier, Action.ASSIGN, assignee=world.staff[Role.SPECIALIST].pk, note="Gấp"
    )
    assert response.status_code == 303
    assert response["Location"] == page_url(dossier)
    dossier = fresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.assignee == world.staff[Role.SPECIALIST]
    page = officer.get(page_url(dossier)).content.decode()
    assert "Đã thực hiện “Phân công xử lý” cho hồ sơ" in page


def test_forward_to_a_department_and_to_the_district(officer, world, dossier):
    form = officer.get(action_url(dossier, Action.FORWARD)).content.decode()
    assert "Tư pháp" in form and world.tree["P-D"].name in form
    post_action(officer, dossier, Action.FORWARD, to_department=world.department.pk)
    dossier = fresh(dossier)
    assert dossier.department == world.department
    post_action(officer, dossier, Action.FORWARD, to_unit=world.tree["P-D"].pk)
    dossier = fresh(dossier)
    assert dossier.handling_unit == world.tree["P-D"]
    event = dossier.events.filter(action=EventAction.FORWARDED).last()
    assert event.to_unit == world.tree["P-D"]


def test_request_supplement_and_resume_through_the_web(officer, world, dossier):
    response = post_action(
        officer,
        dossier,
        Action.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao giấy chứng sinh",
        items="Giấy chứng sinh (bản sao)\nCCCD của mẹ",
    )
    assert response.status_code == 303
    dossier = fresh(dossier)
    assert dossier.status == Status.SUPPLEMENT
    event = dossier.events.get(action=EventAction.SUPPLEMENT_REQUESTED)
    assert event.data["items"] == ["Giấy chứng sinh (bản sao)", "CCCD của mẹ"]
    assert "CCCD của mẹ" in officer.get(page_url(dossier)).content.decode()
    post_action(officer, dossier, Action.RESUME, note="Đã nhận bổ sung")
    assert fresh(dossier).status == Status.PROCESSING


def test_resolve_then_return_the_result_with_its_file(officer, specialist, world, dossier):
    dossier = assigned(world, dossier)
    post_action(specialist, dossier, Action.RESOLVE, note="Đủ điều kiện")
    dossier = fresh(dossier)
    assert dossier.status == Status.RESOLVED
    response = officer.post(
        action_url(dossier, Action.RETURN_RESULT),
        {
            "return_result-expected_version": dossier.version,
            "return_result-result_file": SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 result"),
            "return_result-paid_online": "yes",
            "return_result-fee": "8000",
            "return_result-satisfaction": Satisfaction.SATISFIED,
        },
    )
    assert response.status_code == 303
    dossier = fresh(dossier)
    assert dossier.status == Status.RETURNED
    assert dossier.result_digitized is True
    assert dossier.paid_online is True
    assert dossier.satisfaction == Satisfaction.SATISFIED
    result = dossier.files.get(kind=FileKind.RESULT)
    page = officer.get(page_url(dossier)).content.decode()
    assert "ket-qua.pdf" in page
    download = officer.get(reverse("onestop:file", args=[dossier.code, result.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 result"


def test_reject_withdraw_and_stop_through_the_web(officer, leader, world):
    rejected = receive_now(world)
    post_action(officer, rejected, Action.REJECT, reason="Không thuộc thẩm quyền")
    assert fresh(rejected).status == Status.NOT_ACCEPTED
    withdrawn = receive_now(world)
    post_action(officer, withdrawn, Action.WITHDRAW, reason="")
    assert fresh(withdrawn).status == Status.WITHDRAWN
    stopped = receive_now(world)
    post_action(leader, stopped, Action.STOP, reason="Có tranh chấp")
    assert fresh(stopped).status == Status.STOPPED
    html = officer.get(page_url(fresh(rejected))).content.decode()
    assert "Không thuộc thẩm quyền" in html
    assert "Hồ sơ đã kết thúc; không còn thao tác nào." in html


def test_apologise_with_a_new_date_through_the_web(officer, world, dossier):
    new_day = calendar.add_working_days(dossier.due_date, 1)
    response = post_action(
        officer, dossier, Action.APOLOGISE, new_appointment=f"{new_day:%d/%m/%Y}", reason="Chờ"
    )
    assert response.status_code == 303
    assert fresh(dossier).appointment_at.date() == new_day


# ---------------------------------------------------------------------------- refusals


def test_a_stale_version_changes_nothing_and_says_so(officer, world, dossier):
    seen = dossier.version
    services.request_supplement(  # somebody else, meanwhile
        dossier, actor=world.staff[Role.SPECIALIST], expected_version=seen, reason="Thiếu giấy"
    )
    response = post_action(officer, dossier, Action.REJECT, version=seen, reason="Sai thủ tục")
    assert response.status_code == 409
    html = response.content.decode()
    assert "đã được người khác cập nhật" in html
    assert "không có thay đổi nào được ghi" in html
    dossier = fresh(dossier)
    assert dossier.status == Status.SUPPLEMENT
    assert not dossier.end_reason
    assert f'name="withdraw-expected_version" value="{dossier.version}"' in html  # page is fresh


def test_a_role_that_may_not_act_is_told_so(specialist, world, dossier):
    dossier = resolved(world, dossier)
    response = post_action(specialist, dossier, Action.RETURN_RESULT)
    assert response.status_code == 403
    assert "Vai trò của bạn không được phép thực hiện thao tác “Trả kết quả”" in (
        response.content.decode()
    )
    assert fresh(dossier).status == Status.RESOLVED


def test_an_action_not_allowed_in_this_status_is_a_message(officer, world, dossier):
    response = post_action(officer, dossier, Action.RESUME)
    assert response.status_code == 409
    assert "Không thể “Tiếp tục xử lý” hồ sơ đang ở trạng thái “Được tiếp nhận”" in (
        response.content.decode()
    )


def test_invalid_input_keeps_the_form_open_with_its_error(officer, world, dossier):
    response = post_action(officer, dossier, Action.REJECT, reason="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-action="reject" open' in html
    assert "Thông tin nhập chưa hợp lệ" in html
    assert fresh(dossier).status == Status.RECEIVED


def test_an_apology_date_before_the_due_date_is_refused_by_the_service(officer, world, dossier):
    response = post_action(
        officer,
        dossier,
        Action.APOLOGISE,
        new_appointment=f"{dossier.received_date:%d/%m/%Y}",
        reason="Chờ",
    )
    assert response.status_code == 400
    assert "Ngày hẹn lại phải sau hạn giải quyết" in response.content.decode()


def test_a_missing_version_is_a_form_error_not_a_crash(officer, world, dossier):
    response = officer.post(action_url(dossier, Action.WITHDRAW), {})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["receive", "fly", "RESUME"])
def test_unknown_actions_are_not_found(officer, world, dossier, name):
    assert officer.post(reverse("onestop:action", args=[dossier.code, name])).status_code == 404


def test_the_action_page_works_without_javascript(officer, world, dossier):
    html = officer.get(action_url(dossier, Action.REJECT)).content.decode()
    assert "<html" in html and 'name="reject-reason"' in html


def test_an_action_no_longer_available_says_so(specialist, world, dossier):
    html = specialist.get(action_url(dossier, Action.RETURN_RESULT)).content.decode()
    assert "không còn khả dụng" in html


def test_the_event_log_records_the_web_actor(officer, world, dossier):
    post_action(officer, dossier, Action.WITHDRAW, reason="Xin rút")
    event = DossierEvent.objects.get(dossier=dossier, action=EventAction.WITHDRAWN)
    assert event.actor == world.staff[Role.OFFICER]


# ---------------------------------------------------------------------------- printing


def test_a_failing_form_is_a_message_not_an_error_page(officer, world, dossier, monkeypatch):
    from types import SimpleNamespace

    from cchc.onestop import views

    def broken(kind, dossier, *, actor=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "paper_forms", SimpleNamespace(render_form=broken))
    response = officer.get(reverse("onestop:print", args=[dossier.code, "receipt", "docx"]))
    assert response.status_code == 302
    assert "Không tạo được" in officer.get(response["Location"]).content.decode()


def test_a_form_that_does_not_apply_says_why(officer, world, dossier):
    pytest.importorskip("cchc.onestop.paper_forms")
    response = officer.get(reverse("onestop:print", args=[dossier.code, "rejection", "docx"]))
    assert response.status_code == 302
    assert "không bị từ chối" in officer.get(response["Location"]).content.decode()


def test_printing_hands_over_what_the_forms_module_renders(officer, world, dossier, monkeypatch):
    from types import SimpleNamespace

    from cchc.onestop import views

    calls = []

    def render_form(kind, dossier, *, actor=None):
        calls.append((kind, dossier.code, actor))
        return b"PK docx"

    monkeypatch.setattr(
        views,
        "paper_forms",
        SimpleNamespace(render_form=render_form, render_form_pdf=lambda *a, **k: None),
    )
    response = officer.get(reverse("onestop:print", args=[dossier.code, "receipt", "docx"]))
    assert response.status_code == 200
    assert response.content == b"PK docx"
    assert f"giay-tiep-nhan-{dossier.code}.docx" in response["Content-Disposition"]
    assert calls == [("receipt", dossier.code, world.staff[Role.OFFICER])]
    # No PDF without LibreOffice: a message, and the DOCX is offered instead.
    response = officer.get(reverse("onestop:print", args=[dossier.code, "receipt", "pdf"]))
    assert response.status_code == 302


@pytest.mark.parametrize("kind,fmt", [("menu", "docx"), ("receipt", "odt")])
def test_unknown_forms_are_not_found(officer, world, dossier, kind, fmt):
    assert officer.get(reverse("onestop:print", args=[dossier.code, kind, fmt])).status_code == 404


@pytest.mark.parametrize("kind", ["receipt", "control_slip"])
def test_real_forms_print_as_docx(officer, world, dossier, kind):
    forms = pytest.importorskip("cchc.onestop.paper_forms")
    assert forms
    response = officer.get(reverse("onestop:print", args=[dossier.code, kind, "docx"]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_tracking_book_is_exported_for_a_period(officer, world, dossier):
    pytest.importorskip("cchc.onestop.paper_forms")
    day = f"{dossier.received_date:%d/%m/%Y}"
    response = officer.get(reverse("onestop:tracking_book"), {"start": day, "end": day})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_tracking_book_needs_a_valid_period(officer, world):
    response = officer.get(
        reverse("onestop:tracking_book"), {"start": "31/12/2025", "end": "01/01/2025"}
    )
    assert response.status_code == 302


def test_assigning_without_anybody_to_assign_says_what_to_do(world):
    from tests.factories import UnitFactory, UserFactory

    lonely = UnitFactory(code="LONE", level=world.unit.level)
    officer = UserFactory(username="mc.lone", unit=lonely, role=Role.OFFICER)
    dossier = receive_now(world, actor=officer, unit=lonely)
    client = client_of(officer)
    html = client.get(action_url(dossier, Action.ASSIGN), HTTP_HX_REQUEST="true").content.decode()
    assert "Chưa có chuyên viên hoặc lãnh đạo nào" in html
