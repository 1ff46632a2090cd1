"""The written periodic CCHC report: sections from the figures, the officer's edits, appendix
tables with the forms' values and the plan, the same content when regenerated after sending."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.reform.cchc_report.document import render_cchc_report, render_forms_xlsx
from cchc.reform.cchc_report.sections import SECTION_KEYS, report_sections
from cchc.reform.constants import Area, AssignedFrom, TaskStatus
from cchc.reform.models import FormSet, ReportSection
from cchc.reform.services import create_report, enter_values, submit_report
from tests.factories import ProcedureFactory

from .factories import Q1_2023, PlanTaskFactory, ReformPlanFactory, officer, resolved

START, END = Q1_2023
D = dt.date


@pytest.fixture
def form_set(db) -> FormSet:
    return FormSet.objects.get(year=2023, version=1)


@pytest.fixture
def report(tree, form_set):
    commune = tree["P-D-1"]
    procedure = ProcedureFactory(code="XA-1", level="commune", online_level="full")
    resolved(commune, procedure, D(2023, 3, 1), D(2023, 3, 2))
    resolved(commune, procedure, D(2023, 3, 1), D(2023, 3, 10))
    plan = ReformPlanFactory(unit=commune, year=2023)
    PlanTaskFactory(
        plan=plan,
        area=Area.PROCEDURES,
        content="Rà soát, đơn giản hóa thủ tục hành chính",
        status=TaskStatus.DONE,
        done_on=D(2023, 2, 1),
        percent_done=100,
        output="Báo cáo",
        deadline=D(2023, 3, 1),
        assigned_from=AssignedFrom.PROVINCE,
    )
    PlanTaskFactory(plan=plan, area=Area.DIRECTION, content="Ban hành kế hoạch tuyên truyền CCHC")
    user = officer(commune)
    report = create_report(unit=commune, form_set=form_set, start=START, end=END, user=user)
    enter_values(report, {(1, "1"): 4, (1, "3.3.1"): 5, (1, "3.3.2"): 3}, user=user)
    report.refresh_from_db()
    report.user = user
    return report


def body_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_report_has_the_five_sections_written_from_the_figures(report):
    document = Document(io.BytesIO(render_cchc_report(report, number="12", signer="Nguyễn A")))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("I. CÔNG TÁC CHỈ ĐẠO", "II. KẾT QUẢ", "III. ĐÁNH GIÁ CHUNG", "IV. ", "V. "):
        assert heading in text
    assert "2. Cải cách thủ tục hành chính" in text
    assert "Tổng số hồ sơ tiếp nhận là 2 hồ sơ" in text
    assert "đã hoàn thành 1/2 nhiệm vụ" in text
    assert "Rà soát, đơn giản hóa thủ tục hành chính: đã hoàn thành (Báo cáo)." in text
    assert "phát hiện 5 vấn đề, đã xử lý xong 3 vấn đề" in text
    assert "Số: 12/BC-UBND" in all_text(document)


def test_appendix_tables_hold_the_plan_and_the_forms_values(report):
    document = Document(io.BytesIO(render_cchc_report(report)))
    plan_table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    plan_cells = [[c.text for c in row.cells] for row in plan_table.rows]
    assert any("Rà soát, đơn giản hóa thủ tục hành chính" in row for row in plan_cells)
    assert any(row[-1] == "100%" for row in plan_cells)
    forms = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(forms) == 7
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in forms[0].rows}
    assert rows["3.3.1"][3] == "5" and rows["3.3.2"][3] == "3"
    assert rows["3.3"][3] == "60"
    assert rows["2.1"][3] == "2"


def test_the_officers_edit_replaces_a_section(report):
    ReportSection.objects.create(report=report, key="proposals", text="Đề nghị cấp 02 máy scan.")
    assert report_sections(report)["proposals"] == "Đề nghị cấp 02 máy scan."
    assert set(report_sections(report)) == set(SECTION_KEYS)
    text = "\n".join(p.text for p in Document(io.BytesIO(render_cchc_report(report))).paragraphs)
    assert "Đề nghị cấp 02 máy scan." in text


def test_docx_is_deterministic(report):
    first, second = render_cchc_report(report), render_cchc_report(report)
    assert body_xml(first) == body_xml(second)
    assert first == second


def test_sent_report_regenerates_the_same_content_after_figures_change(report, tree):
    submit_report(report, user=report.user)
    report.refresh_from_db()
    before = render_cchc_report(report)
    # New dossiers and a finished task change the live figures, not the sent report.
    procedure = ProcedureFactory(code="XA-2", level="commune")
    resolved(tree["P-D-1"], procedure, D(2023, 3, 2), D(2023, 3, 3))
    task = report.unit.reform_plans.get().tasks.get(area=Area.DIRECTION)
    task.status, task.done_on = TaskStatus.DONE, D(2023, 3, 5)
    task.save()
    after = render_cchc_report(report)
    assert body_xml(before) == body_xml(after)
    assert before == after


def test_forms_xlsx_has_one_sheet_per_form(report):
    workbook = load_workbook(io.BytesIO(render_forms_xlsx(report)))
    assert workbook.sheetnames == [f"Biểu mẫu {n}" for n in range(1, 8)]
    ws = workbook["Biểu mẫu 1"]
    values = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(5, ws.max_row + 1)}
    assert values["3.3.1"] == 5 and values["2.1"] == 2
