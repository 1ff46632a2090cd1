"""The reform office's pages: each page, scope (another unit's data is not found), roles, the
live check of typed values, and submitting, approving, returning through the web."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from cchc.org.constants import Role
from cchc.reform.constants import Area, AssignedFrom, ReportStatus, TaskStatus
from cchc.reform.models import FormReport, FormSet, PlanTask, ReportSection
from cchc.reform.services import create_report

from .factories import Q1_2023, PlanTaskFactory, ReformPlanFactory, officer

START, END = Q1_2023
Q1 = {"kind": "quarter", "number": 1, "year": 2023}


@pytest.fixture
def form_set(db) -> FormSet:
    return FormSet.objects.get(year=2023, version=1)


@pytest.fixture
def people(tree) -> dict:
    return {
        "c1": officer(tree["P-D-1"]),
        "c2": officer(tree["P-D-2"]),
        "d": officer(tree["P-D"]),
        "d_leader": officer(tree["P-D"], Role.LEADER),
        "c1_one_stop": officer(tree["P-D-1"], Role.OFFICER),
    }


@pytest.fixture
def report(tree, form_set, people) -> FormReport:
    return create_report(
        unit=tree["P-D-1"], form_set=form_set, start=START, end=END, user=people["c1"]
    )


def as_user(client, user):
    client.force_login(user)
    return client


def test_index_creates_the_report_of_the_chosen_period(client, people, form_set):
    c = as_user(client, people["c1"])
    page = c.get(reverse("reform:index"), Q1)
    assert page.status_code == 200
    assert "Lập báo cáo kỳ này" in page.content.decode()
    response = c.post(reverse("reform:report_create"), Q1)
    report = FormReport.objects.get()
    assert response.url == reverse("reform:report", args=[report.pk])
    assert (report.period_start, report.period_end) == Q1_2023


def test_entry_page_locks_computed_rows_and_offers_manual_ones(client, people, report):
    page = as_user(client, people["c1"]).get(reverse("reform:report", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="v-1-3.3.1"' in html  # manual
    assert 'name="v-1-2.1"' not in html  # from the plan: computed, locked
    assert 'id="val-1-2_1"' in html


def test_live_check_shows_the_contradiction_and_not_after_fixing(client, people, report):
    c = as_user(client, people["c1"])
    url = reverse("reform:report_check", args=[report.pk])
    bad = c.post(url, {"v-1-3.3.1": "5", "v-1-3.3.2": "7"}).content.decode()
    assert "không thể nhiều hơn số vấn đề phát hiện" in bad
    assert 'id="val-1-3_3" class="rf-computed rf-locked" hx-swap-oob="true">140' in bad
    good = c.post(url, {"v-1-3.3.1": "5", "v-1-3.3.2": "4"}).content.decode()
    assert "không thể nhiều hơn số vấn đề phát hiện" not in good
    assert "Số liệu không có mâu thuẫn" in good
    assert not report.values.filter(row__code="3.3.1", row__form__number=1).exists()


def test_vietnamese_decimal_input_is_read(client, people, report):
    c = as_user(client, people["c1"])
    c.post(reverse("reform:report", args=[report.pk]), {"v-1-3.3.1": "1.234", "v-1-3.3.2": "4"})
    assert report.values.get(row__code="3.3.1", row__form__number=1).value == 1234


def test_submit_is_refused_with_the_messages_then_accepted(client, people, report):
    c = as_user(client, people["c1"])
    page_url = reverse("reform:report", args=[report.pk])
    c.post(page_url, {"v-1-3.3.1": "5", "v-1-3.3.2": "7"})
    submit = reverse("reform:report_action", args=[report.pk, "submit"])
    page = c.post(submit, follow=True).content.decode()
    assert "Chưa gửi được" in page and "không thể nhiều hơn" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    c.post(page_url, {"v-1-3.3.1": "5", "v-1-3.3.2": "4"})
    c.post(submit)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    page = c.get(page_url).content.decode()
    assert 'name="v-1-3.3.1"' not in page  # frozen
    assert "Gửi báo cáo" in page  # history


def test_level_above_approves_or_returns_with_a_comment(client, people, report, tree):
    as_user(client, people["c1"]).post(reverse("reform:report_action", args=[report.pk, "submit"]))
    c = as_user(client, people["d_leader"])
    subs = c.get(reverse("reform:subordinates"), Q1).content.decode()
    assert "Gửi đúng hạn" in subs and tree["P-D-2"].name in subs
    c.post(reverse("reform:report_action", args=[report.pk, "return"]), {"comment": "Sai 3.3"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_comment == "Sai 3.3"
    page = as_user(client, people["c1"]).get(reverse("reform:report", args=[report.pk]))
    assert "Sai 3.3" in page.content.decode()


def test_approve_through_the_web(client, people, report):
    as_user(client, people["c1"]).post(reverse("reform:report_action", args=[report.pk, "submit"]))
    as_user(client, people["d"]).post(reverse("reform:report_action", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_own_unit_cannot_approve_and_one_stop_officer_cannot_enter(client, people, report):
    c = as_user(client, people["c1"])
    c.post(reverse("reform:report_action", args=[report.pk, "submit"]))
    c.post(reverse("reform:report_action", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    c = as_user(client, people["c1_one_stop"])
    page = c.get(reverse("reform:report", args=[report.pk])).content.decode()
    assert 'name="v-1-3.3.1"' not in page


@pytest.mark.parametrize(
    "name",
    ["reform:report", "reform:report_docx", "reform:report_xlsx", "reform:report_sections"],
)
def test_another_units_report_is_not_found(client, people, report, name):
    response = as_user(client, people["c2"]).get(reverse(name, args=[report.pk]))
    assert response.status_code == 404


def test_another_unit_is_not_found(client, people, tree):
    c = as_user(client, people["c1"])
    for name in ("reform:index", "reform:plan", "reform:subordinates"):
        assert c.get(reverse(name), {"unit": "P-D-2"}).status_code == 404


def test_rollup_page_sums_the_sent_forms(client, people, report, form_set, tree):
    c1 = as_user(client, people["c1"])
    c1.post(reverse("reform:report", args=[report.pk]), {"v-1-3.3.1": "5", "v-1-3.3.2": "4"})
    c1.post(reverse("reform:report_action", args=[report.pk, "submit"]))
    other = create_report(
        unit=tree["P-D-2"], form_set=form_set, start=START, end=END, user=people["c2"]
    )
    c2 = as_user(client, people["c2"])
    c2.post(reverse("reform:report", args=[other.pk]), {"v-1-3.3.1": "3", "v-1-3.3.2": "3"})
    c2.post(reverse("reform:report_action", args=[other.pk, "submit"]))
    html = as_user(client, people["d"]).get(reverse("reform:subordinates"), Q1).content.decode()
    assert 'data-row="1:3.3.1">8<' in html
    assert 'data-row="1:3.3">87,5<' in html


def test_plan_page_groups_tasks_and_counts_the_assigned_ones(client, people, tree):
    plan = ReformPlanFactory(unit=tree["P-D-1"], year=2023)
    PlanTaskFactory(plan=plan, area=Area.PROCEDURES, content="Rà soát TTHC")
    PlanTaskFactory(
        plan=plan,
        area=Area.INSTITUTIONS,
        content="Kiểm tra văn bản",
        assigned_from=AssignedFrom.PROVINCE,
        status=TaskStatus.DONE,
    )
    html = as_user(client, people["c1"]).get(reverse("reform:plan"), {"year": 2023}).content
    html = html.decode()
    assert "Rà soát TTHC" in html and "Cải cách thể chế" in html
    assert 'data-kpi="assigned">1<' in html and 'data-kpi="done">1<' in html


def test_plan_tasks_are_added_done_and_proven(client, people, tree):
    c = as_user(client, people["c1"])
    c.post(reverse("reform:plan_create") + "?unit=P-D-1", {"year": 2023})
    plan = tree["P-D-1"].reform_plans.get(year=2023)
    response = c.post(
        reverse("reform:task_add", args=[plan.pk]),
        {
            "area": Area.DIGITAL_GOVERNMENT,
            "content": "Số hóa hồ sơ",
            "deadline": "30/06/2023",
            "status": TaskStatus.NOT_STARTED,
            "assigned_from": AssignedFrom.SELF,
        },
    )
    assert response.status_code == 302
    task = PlanTask.objects.get()
    assert task.deadline.isoformat() == "2023-06-30"
    c.post(reverse("reform:task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4")
    c.post(reverse("reform:task_evidence", args=[task.pk]), {"file": upload, "title": "Biên bản"})
    evidence = task.evidence.get()
    assert c.get(reverse("reform:evidence", args=[evidence.pk])).status_code == 200
    assert (
        as_user(client, people["c2"])
        .get(reverse("reform:evidence", args=[evidence.pk]))
        .status_code
        == 404
    )


def test_plan_exports_and_imports_xlsx(client, people, tree):
    plan = ReformPlanFactory(unit=tree["P-D-1"], year=2023)
    PlanTaskFactory(plan=plan, area=Area.PROCEDURES, content="Rà soát TTHC")
    c = as_user(client, people["c1"])
    data = c.get(reverse("reform:plan_export", args=[plan.pk])).content
    PlanTask.objects.all().delete()
    upload = SimpleUploadedFile("plan.xlsx", data)
    c.post(reverse("reform:plan_import") + "?unit=P-D-1", {"year": 2023, "file": upload})
    assert list(PlanTask.objects.values_list("content", flat=True)) == ["Rà soát TTHC"]


def test_plan_of_another_unit_cannot_be_edited(client, people, tree):
    plan = ReformPlanFactory(unit=tree["P-D-1"], year=2023)
    task = PlanTaskFactory(plan=plan)
    c = as_user(client, people["c2"])
    assert c.get(reverse("reform:task_edit", args=[task.pk])).status_code == 404
    c = as_user(client, people["d"])  # the district sees the commune's plan, cannot edit it
    assert c.get(reverse("reform:task_edit", args=[task.pk])).status_code == 403


def test_sections_are_edited_and_exported(client, people, report):
    c = as_user(client, people["c1"])
    url = reverse("reform:report_sections", args=[report.pk])
    page = c.get(url).content.decode()
    assert "I. CÔNG TÁC CHỈ ĐẠO" in page
    c.post(url, {"proposals": "Đề nghị bố trí kinh phí."})
    assert ReportSection.objects.get(report=report, key="proposals").text == (
        "Đề nghị bố trí kinh phí."
    )
    docx = c.get(reverse("reform:report_docx", args=[report.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Đề nghị bố trí kinh phí." in text


def test_pages_need_a_login(client, report):
    response = client.get(reverse("reform:report", args=[report.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_index_reads_the_period_from_the_address(client, people, form_set):
    html = as_user(client, people["c1"]).get(reverse("reform:index"), Q1).content.decode()
    assert "Quý I/2023" in html
