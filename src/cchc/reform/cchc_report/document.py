"""The whole periodic CCHC report (báo cáo cải cách hành chính định kỳ) as DOCX, and its forms
as XLSX.

The body has the sections of seeds 002 and 003: I direction; II results in the six other areas
of the plan; III assessment (strengths, limits); IV directions for the next period; V proposals.
Each section is written from the figures (sections.py) unless the reform officer edited
it. Appendices: the plan progress table (seed 002) and forms 1-7 (seed 003). A sent report is
made from the figures frozen with it, and its file is written deterministically (fixed zip
times and core properties), so it regenerates with the same content.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from decimal import Decimal

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Mm
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cchc.reform.constants import AREA_ORDER, Area, ValueType
from cchc.reform.models import FormReport
from cchc.reform.plan_columns import ROMAN
from cchc.reform.selectors import SheetLine, report_sheets
from cchc.reports import layout, sentences
from cchc.reports.layout import (
    ISSUER_KIND,
    TEXT_WIDTH,
    cell_margins,
    row_flag,
    set_widths,
    shape,
    text,
)
from cchc.reports.numbers import (
    blank_long_date,
    date_range,
    decimal,
    integer,
    long_date,
    short_date,
)
from cchc.spreadsheet_safety import put

from .sections import SECTION_HEADINGS, report_figures, report_sections

DOCUMENT_SYMBOL = "BC-UBND"
# A fixed moment for what the file format stamps (zip entries, core properties of a draft).
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PLAN_AREA_TITLES = {
    Area.DIRECTION: "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH",
    Area.INSTITUTIONS: "CẢI CÁCH THỂ CHẾ",
    Area.PROCEDURES: "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    Area.ORGANISATION: "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
    Area.CIVIL_SERVICE: "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    Area.PUBLIC_FINANCE: "CẢI CÁCH TÀI CHÍNH CÔNG",
    Area.DIGITAL_GOVERNMENT: "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
}


def shown_value(line: SheetLine) -> str:
    """A row's value as the forms print it: 1.234, 82, 5,2, a choice's code, or its text."""
    value = line.value
    if value is None or not line.reported:
        return ""
    if line.row.value_type == ValueType.TEXT:
        return value.text
    if value.number is None:
        return value.text
    number = value.value
    if line.row.value_type == ValueType.COUNT and number == number.to_integral():
        return integer(int(number))
    return decimal(number, value.places)


def line_note(line: SheetLine) -> str:
    note = line.value.note if line.value is not None else ""
    return "; ".join(part for part in (note, line.row.note) if part)


# --- document pieces -------------------------------------------------------------------


def _paragraphs(document: DocumentObject, content: str) -> None:
    for chunk in content.splitlines() or [""]:
        chunk = chunk.strip()
        if not chunk:
            continue
        paragraph = shape(
            document.add_paragraph(),
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=6,
            indent=Cm(1.27),
            line=1.15,
        )
        text(paragraph, chunk)


def _heading(document: DocumentObject, content: str, *, size: float = 14) -> None:
    paragraph = shape(
        document.add_paragraph(),
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        before=6,
        after=6,
        indent=Cm(1.27),
        keep_next=True,
    )
    text(paragraph, content, size=size, bold=True)


def _put(cell: _Cell, content: str, *, size: float = 11, bold=False, italic=False, align=None):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = shape(
        cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    )
    text(paragraph, content, size=size, bold=bold, italic=italic)


def _grid(document: DocumentObject, headers: Sequence[str], widths: Sequence[Length], rows: int):
    grid = document.add_table(rows=1 + rows, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(grid, Mm(1), Mm(0.5))
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        _put(cell, header, bold=True)
    row_flag(grid.rows[0], "w:tblHeader")
    row_flag(grid.rows[0], "w:cantSplit")
    return grid


def _appendix_title(
    document: DocumentObject, titles: Sequence[str], note: str, *, landscape: bool
) -> None:
    """A new page (landscape for the wide plan table) with the bold titles and the italic note."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if landscape != (section.orientation == WD_ORIENT.LANDSCAPE):
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = section.page_height, section.page_width
    for title in titles:
        text(shape(document.add_paragraph()), title, bold=True)
    text(shape(document.add_paragraph(), after=6), note, italic=True, size=13)


def _plan_appendix(document: DocumentObject, plan: Mapping, unit_name: str, reference: str):
    year = plan.get("year")
    _appendix_title(
        document,
        ["Phụ lục I", f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRIỂN KHAI NĂM {year}"],
        f"(Kèm theo {reference} của Ủy ban nhân dân {sentences.unit_in_text(unit_name)})",
        landscape=True,
    )
    tasks = list(plan.get("tasks") or [])
    headers = (
        "TT",
        "Nội dung",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
        "Đã thực hiện",
        "Sản phẩm đầu ra",
        "Tỷ lệ hoàn thành nhiệm vụ",
    )
    widths = [Mm(w) for w in (10, 80, 30, 30, 28, 30, 30, 24)]
    grid = _grid(document, headers, widths, len(tasks) + len(AREA_ORDER))
    index = 1
    for numeral, area in zip(ROMAN, AREA_ORDER, strict=True):
        cells = grid.rows[index].cells
        _put(cells[0], numeral, bold=True)
        merged = cells[1].merge(cells[-1])
        _put(merged, PLAN_AREA_TITLES[area], bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        index += 1
        for number, task in enumerate((t for t in tasks if t["area"] == area), 1):
            cells = grid.rows[index].cells
            row_flag(grid.rows[index], "w:cantSplit")
            percent = task.get("percent_done")
            shown = [
                str(number),
                task["content"],
                task["responsible"],
                task["coordinating"],
                task["deadline"],
                task["status_text"],
                task["output"],
                "" if percent is None else f"{decimal(Decimal(percent), 0)}%",
            ]
            for j, (cell, content) in enumerate(zip(cells, shown, strict=True)):
                left = j in (1, 2, 3, 5, 6)
                _put(cell, content, size=11, align=WD_ALIGN_PARAGRAPH.LEFT if left else None)
            index += 1
    set_widths(grid, widths)
    if not tasks:
        paragraph = shape(document.add_paragraph(), before=6)
        text(paragraph, f"Đơn vị chưa có kế hoạch CCHC năm {year}.", italic=True, size=12)


def _forms_appendix(document: DocumentObject, report: FormReport, reference: str) -> None:
    for sheet in report_sheets(report):
        titles = [f"Biểu mẫu {sheet.form.number}", sheet.form.title.upper()]
        if sheet.form.number == 1:
            titles[:0] = ["Phụ lục II", "CÁC BIỂU MẪU THỐNG KÊ CẢI CÁCH HÀNH CHÍNH"]
        note = (
            f"(Kèm theo {reference}; số liệu {date_range(report.period_start, report.period_end)})"
        )
        _appendix_title(document, titles, note, landscape=False)
        headers = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
        widths = [Mm(14), Mm(85), Mm(24), Mm(20), Mm(22)]
        grid = _grid(document, headers, widths, len(sheet.lines))
        for i, line in enumerate(sheet.lines, 1):
            cells = grid.rows[i].cells
            row_flag(grid.rows[i], "w:cantSplit")
            title = line.row.value_type == ValueType.NONE
            _put(cells[0], line.row.number, size=11, bold=title)
            _put(cells[1], line.row.label, size=11, bold=title, align=WD_ALIGN_PARAGRAPH.LEFT)
            _put(cells[2], line.row.unit, size=10)
            _put(cells[3], shown_value(line), size=11)
            _put(cells[4], line_note(line), size=10, italic=True)
        set_widths(grid, widths)


def _stamped(data: bytes) -> bytes:
    """The same package with every entry stamped at one fixed time, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def document_title(report: FormReport) -> str:
    phrase = sentences.period_phrase(report.period_label, report.period_start, report.period_end)
    return f"Kết quả thực hiện công tác cải cách hành chính {phrase}"


def render_cchc_report(
    report: FormReport,
    *,
    sections: Mapping[str, str] | None = None,
    number: str = "",
    signer: str = "",
    recipients: Sequence[str] | None = None,
    issued_on: dt.date | None = None,
) -> bytes:
    """The periodic CCHC report of `report`'s unit and period as DOCX bytes.

    `sections` overrides the sections' text by key (default: the stored edits, else the text
    written from the figures); `number` the document number ("05" → "Số: 05/BC-UBND");
    `recipients` the "Nơi nhận" lines (default: the parent unit's UBND; "Lưu: VT." last).
    """
    unit = report.unit
    figures = report_figures(report)
    texts = {**report_sections(report, figures), **(sections or {})}
    phrase = sentences.period_phrase(report.period_label, report.period_start, report.period_end)
    issuer_in_text = f"Ủy ban nhân dân {sentences.unit_in_text(unit.name)}"

    document = Document()
    layout.setup_page(document)
    props = document.core_properties
    props.title = document_title(report)
    props.author = props.last_modified_by = unit.name
    props.revision = report.version
    stamp = report.submitted_at or EPOCH
    props.created = props.modified = stamp.replace(microsecond=0)
    place = unit.place_name or sentences.place_of(unit.name)
    date_text = long_date(issued_on) if issued_on else blank_long_date(report.period_end.year)
    number_line = layout.document_number(number, DOCUMENT_SYMBOL)
    layout.header(
        document,
        parent_body="",
        issuer=[ISSUER_KIND, unit.name.upper()],
        number_line=number_line,
        place_date=f"{place}, {date_text}",
    )
    text(shape(document.add_paragraph(), before=18), "BÁO CÁO", bold=True)
    text(shape(document.add_paragraph()), document_title(report), bold=True)
    layout.rule(document, Mm(40), TEXT_WIDTH, before=2)
    shape(document.add_paragraph(), after=6)
    _paragraphs(
        document,
        f"{issuer_in_text} báo cáo kết quả thực hiện công tác cải cách hành chính {phrase} "
        f"(số liệu {date_range(report.period_start, report.period_end)}) như sau:",
    )
    current_top = ""
    for key, (top, heading) in SECTION_HEADINGS.items():
        if top != current_top:
            _heading(document, top)
            current_top = top
        if heading:
            _heading(document, heading)
        _paragraphs(document, texts.get(key, "") or "Không có.")
    _paragraphs(
        document,
        f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {phrase} "
        f"của {issuer_in_text}./.",
    )
    parent = unit.parent
    default_recipients = [f"UBND {sentences.unit_in_text(parent.name)}"] if parent else []
    layout.closing(
        document,
        recipients=default_recipients if recipients is None else recipients,
        authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer=signer,
    )
    reference = f"Báo cáo {number_line.replace('Số:', 'số').strip()}"
    _plan_appendix(document, figures["plan"], unit.name, reference)
    _forms_appendix(document, report, reference)
    out = io.BytesIO()
    document.save(out)
    return _stamped(out.getvalue())


# --- the forms as XLSX -------------------------------------------------------------------

XLSX_FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _cell_value(line: SheetLine):
    value = line.value
    if value is None or not line.reported:
        return None
    if value.number is None:
        return value.text or None
    number = value.value
    return int(number) if number == number.to_integral() and value.places == 0 else number


def render_forms_xlsx(report: FormReport) -> bytes:
    """Forms 1-7 of the report, one sheet per form: STT, label, unit, value, note."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in report_sheets(report):
        ws = workbook.create_sheet(f"Biểu mẫu {sheet.form.number}")
        ws.merge_cells("A1:E1")
        banner = put(ws, 1, 1, f"Biểu mẫu {sheet.form.number}: {sheet.form.title}")
        banner.font = Font(name=XLSX_FONT, size=13, bold=True)
        ws.merge_cells("A2:E2")
        subtitle = put(
            ws,
            2,
            1,
            f"{report.unit.name} – {short_date(report.period_start)}"
            f" – {short_date(report.period_end)}",
        )
        subtitle.font = Font(name=XLSX_FONT, size=12, italic=True)
        for col, (title, width) in enumerate(
            (
                ("STT", 9),
                ("Chỉ tiêu thống kê", 70),
                ("Đơn vị tính", 16),
                ("Số liệu", 14),
                ("Ghi chú", 24),
            ),
            1,
        ):
            cell = put(ws, 4, col, title)
            cell.font = Font(name=XLSX_FONT, size=12, bold=True)
            cell.alignment, cell.border = CENTER, BOX
            ws.column_dimensions[get_column_letter(col)].width = width
        for i, line in enumerate(sheet.lines, 5):
            bold = line.row.value_type == ValueType.NONE
            values = (
                line.row.number,
                line.row.label,
                line.row.unit,
                _cell_value(line),
                line_note(line),
            )
            for col, value in enumerate(values, 1):
                cell = put(ws, i, col, value if value != "" else None)
                cell.font = Font(name=XLSX_FONT, size=12, bold=bold)
                cell.border, cell.alignment = BOX, WRAP if col == 2 else CENTER
                if col == 4 and line.value is not None and line.value.places:
                    cell.number_format = "0." + "0" * line.value.places
        ws.freeze_panes = "A5"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
