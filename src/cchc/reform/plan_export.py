"""The reform plan as XLSX, in the layout of seed 002's appendix ("Tiến độ thực hiện các nhiệm
vụ cải cách hành chính"): one section per area (I-VII), tasks numbered within it, the columns of
plan_columns.py. Read back by plan_import.py.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cchc.reports.numbers import DOCUMENT_LANGUAGE
from cchc.spreadsheet_safety import put

from .constants import AREA_ORDER, Area, AssignedFrom, TaskStatus
from .models import ReformPlan
from .plan_columns import COLUMNS, ROMAN, deadline_cell

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
SECTION_TITLES = {
    Area.DIRECTION: "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH",
    Area.INSTITUTIONS: "CẢI CÁCH THỂ CHẾ",
    Area.PROCEDURES: "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    Area.ORGANISATION: "CẢI CÁCH TỔ CHỨC BỘ MÁY HCNN",
    Area.CIVIL_SERVICE: "CẢI CÁCH CÔNG VỤ",
    Area.PUBLIC_FINANCE: "CẢI CÁCH TÀI CHÍNH CÔNG",
    Area.DIGITAL_GOVERNMENT: "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
}


def export_plan(plan: ReformPlan) -> bytes:
    # The workbook is a Vietnamese document whatever the officer's UI language: headings are
    # what import reads back.
    with translation.override(DOCUMENT_LANGUAGE):
        return _export_plan(plan)


def _export_plan(plan: ReformPlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Tiến độ nhiệm vụ CCHC"))
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    banner = put(
        ws, 1, 1, f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRIỂN KHAI NĂM {plan.year}"
    )
    banner.font, banner.alignment = Font(name=FONT, size=13, bold=True), CENTER
    ws.merge_cells(f"A2:{last}2")
    subtitle = put(ws, 2, 1, f"({plan.title} – {plan.unit.name})")
    subtitle.font, subtitle.alignment = Font(name=FONT, size=12, italic=True), CENTER
    header_row = 4
    for i, (_key, title, width) in enumerate(COLUMNS, 1):
        cell = put(ws, header_row, i, title)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment, cell.border = CENTER, BOX
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)

    tasks = list(plan.tasks.order_by("order", "pk"))
    row = header_row + 1
    for numeral, area in zip(ROMAN, AREA_ORDER, strict=True):
        mine = [t for t in tasks if t.area == area]
        put(ws, row, 1, numeral)
        put(ws, row, 2, SECTION_TITLES[area])
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(COLUMNS))
        for col in range(1, len(COLUMNS) + 1):
            cell = ws.cell(row, col)
            cell.font = Font(name=FONT, size=12, bold=True)
            cell.border, cell.alignment = BOX, WRAP
        row += 1
        for number, task in enumerate(mine, 1):
            cells = {
                "order": number,
                "content": task.content,
                "responsible": task.responsible,
                "coordinating": task.coordinating,
                "deadline": deadline_cell(task),
                "status": task.status_text or str(TaskStatus(task.status).label),
                "output": task.output,
                "percent_done": None if task.percent_done is None else task.percent_done / 100,
                "assigned_from": str(AssignedFrom(task.assigned_from).label),
                "done_on": task.done_on,
                "note": task.note,
            }
            for col, (key, _title, _width) in enumerate(COLUMNS, 1):
                # Task texts are string cells, never live formulas.
                cell = put(ws, row, col, cells[key] if cells[key] != "" else None)
                cell.font = Font(name=FONT, size=12)
                cell.border, cell.alignment = BOX, CENTER if col == 1 else WRAP
                if key == "percent_done":
                    cell.number_format = "0%"
                elif key == "done_on":
                    cell.number_format = "dd/mm/yyyy"
            row += 1
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
