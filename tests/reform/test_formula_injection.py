"""Hostile text in the plan and forms workbooks stays text and round-trips (issue 8 item 3)."""

import io

from openpyxl import load_workbook

from cchc.reform.cchc_report.document import render_forms_xlsx
from cchc.reform.constants import Area
from cchc.reform.models import FormSet, ReformPlan
from cchc.reform.plan_export import export_plan
from cchc.reform.plan_import import import_plan
from cchc.reform.services import create_report, enter_values
from tests.spreadsheet_checks import AT, DDE, HYPERLINK, MINUS, PLUS, assert_text_cells

from .factories import Q1_2023, PlanTaskFactory, ReformPlanFactory, officer

TASK_TEXTS = ("content", "responsible", "coordinating", "output", "note")


def test_plan_task_texts_are_string_cells_and_import_back_the_same(tree):
    commune = tree["P-D-1"]
    plan = ReformPlanFactory(unit=commune, year=2023, title=MINUS)
    PlanTaskFactory(
        plan=plan,
        area=Area.PROCEDURES,
        content=HYPERLINK,
        responsible=DDE,
        coordinating=PLUS,
        output=AT,
        note=MINUS,
        percent_done=50,
    )
    data = export_plan(plan)
    assert_text_cells(data, at_least=5)
    percent = next(c for c in load_workbook(io.BytesIO(data)).active["H"] if c.value == 0.5)
    assert percent.data_type == "n"  # numbers stay numbers

    other = tree["P-D-2"]
    assert import_plan(unit=other, year=2023, data=data, user=officer(other)).errors == []
    copy = ReformPlan.objects.get(unit=other, year=2023).tasks.get()
    assert [getattr(copy, name) for name in TASK_TEXTS] == [HYPERLINK, DDE, PLUS, AT, MINUS]


def test_forms_workbook_writes_unit_name_and_notes_as_string_cells(tree):
    commune = tree["P-D-1"]
    commune.name = HYPERLINK
    commune.save()
    user = officer(commune)
    form_set = FormSet.objects.get(year=2023, version=1)
    report = create_report(
        unit=commune, form_set=form_set, start=Q1_2023[0], end=Q1_2023[1], user=user
    )
    enter_values(report, {(1, "1"): 4}, notes={(1, "1"): DDE}, user=user)
    report.refresh_from_db()
    data = render_forms_xlsx(report)
    assert_text_cells(data, (HYPERLINK, DDE), at_least=8)
