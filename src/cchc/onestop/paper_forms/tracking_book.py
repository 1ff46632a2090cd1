"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 07 of Thông tư 03/2025/TT-VPCP) as XLSX: a row per
dossier received by a unit's subtree in a period.

Written in openpyxl's write-only mode from one streamed query (the first hand-over to the
handling side read by a subquery), so a year of a province's dossiers does not sit in memory.
The official columns were not seen (regulations.md §1, [NC]); these are the ones the
provincial systems print. Dates are real dates shown dd/mm/yyyy; the result is early, on
time or late by the legal due date, else the dossier's status.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from copy import copy

from django.db.models import OuterRef, Subquery
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.dossiers.clock import local_date
from cchc.dossiers.constants import EventAction, Outcome, Status, Timeliness
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.org.models import Unit
from cchc.reports.numbers import DOCUMENT_LANGUAGE, date_range, short_date
from cchc.spreadsheet_safety import set_value

FONT = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# (header, width in characters)
COLUMNS = (
    ("STT", 5),
    ("Mã hồ sơ", 19),
    ("Tên thủ tục hành chính", 34),
    ("Người nộp hồ sơ", 20),
    ("Địa chỉ, số điện thoại", 28),
    ("Ngày nhận hồ sơ", 11),
    ("Ngày hẹn trả kết quả", 11),
    ("Ngày chuyển xử lý", 11),
    ("Ngày có kết quả", 11),
    ("Ngày trả kết quả", 11),
    ("Kết quả (trước hạn/ đúng hạn/ quá hạn)", 13),
    ("Ghi chú", 26),
)
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 2
LEFT_COLUMNS = (2, 3, 4, 11)  # the texts; numbers and dates are centred
LINE_HEIGHT = 15  # points, a line of 11 pt Times New Roman
CHARACTERS_PER_WIDTH = 1.15  # Times New Roman characters per unit of column width
HANDED_ON = (EventAction.ASSIGNED, EventAction.FORWARDED)
FIELDS = (
    "code",
    "procedure__name",
    "field__name",
    "applicant_name",
    "applicant_address",
    "applicant_phone",
    "received_date",
    "due_date",
    "appointment_at",
    "outcome",
    "status",
    "timeliness",
    "ended_date",
    "returned_at",
    "end_reason",
    "handling_unit__name",
    "handed_on_at",
)


def _font(*, bold: bool = False, italic: bool = False, size: int = 11) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _lines(values: list) -> int:
    """How many lines the longest wrapped text of a row takes, roughly."""
    return max(
        1,
        *(
            math.ceil(len(value) / (width * CHARACTERS_PER_WIDTH))
            for value, (_, width) in zip(values, COLUMNS, strict=True)
            if isinstance(value, str)
        ),
    )


def _row_values(index: int, d: dict) -> list:
    if d["outcome"] == Outcome.RESOLVED:
        result = str(Timeliness(d["timeliness"]).label) if d["timeliness"] else ""
    else:
        result = str(Status(d["status"]).label)
    notes = []
    if d["handling_unit__name"]:
        notes.append(f"Liên thông: {d['handling_unit__name']}")
    if d["appointment_at"]:
        notes.append(f"Hẹn lại (xin lỗi): {short_date(local_date(d['appointment_at']))}")
    if d["end_reason"]:
        notes.append(d["end_reason"])
    contact = ", ".join(x for x in (d["applicant_address"], d["applicant_phone"]) if x)
    resolved = d["outcome"] == Outcome.RESOLVED
    return [
        index,
        d["code"],
        d["procedure__name"] or d["field__name"],
        d["applicant_name"],
        contact,
        d["received_date"],
        d["due_date"],
        local_date(d["handed_on_at"]) if d["handed_on_at"] else None,
        d["ended_date"] if resolved else None,
        local_date(d["returned_at"]) if d["returned_at"] else None,
        result,
        "; ".join(notes),
    ]


def render_tracking_book(unit: Unit, start: dt.date, end: dt.date) -> bytes:
    """The tracking book of the dossiers received by `unit`'s subtree from `start` to `end`
    (both included), oldest first, as XLSX bytes."""
    handed_on = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action__in=HANDED_ON)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    dossiers = (
        Dossier.objects.filter(
            unit__path__startswith=unit.path, received_date__gte=start, received_date__lte=end
        )
        .annotate(handed_on_at=Subquery(handed_on))
        .order_by("received_at", "pk")
        .values(*FIELDS)
    )
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Sổ theo dõi hồ sơ")
    last = get_column_letter(len(COLUMNS))
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    for row in (1, 2):
        ws.merged_cells.add(f"A{row}:{last}{row}")

    def style(*, font, alignment=CENTER, border=BOX, number_format=None):
        template = WriteOnlyCell(ws)
        template.font, template.alignment = font, alignment
        if border is not None:
            template.border = border
        if number_format is not None:
            template.number_format = number_format
        return template._style

    def cell(value, template):
        # A copy of a prepared style array: setting font, border and alignment on each cell
        # of a large book costs twice as much as the rest of writing it.
        # Texts (an applicant's name) are string cells: never a live formula.
        made = set_value(WriteOnlyCell(ws), value)
        made._style = copy(template)
        return made

    title = style(font=_font(bold=True, size=14), border=None)
    subtitle = style(font=_font(italic=True, size=12), border=None)
    heading = style(font=_font(bold=True))
    numbering = style(font=_font(italic=True, size=9))
    body_left, body_centre = style(font=_font(), alignment=LEFT), style(font=_font())
    body_date = style(font=_font(), number_format=DATE_FORMAT)
    columns = [body_left if j in LEFT_COLUMNS else body_centre for j in range(len(COLUMNS))]

    with translation.override(DOCUMENT_LANGUAGE):
        ws.append([cell("SỔ THEO DÕI HỒ SƠ", title)])
        ws.append([cell(f"{unit.name} - hồ sơ tiếp nhận {date_range(start, end)}", subtitle)])
        ws.append([])
        ws.row_dimensions[HEADER_ROW].height = 45
        ws.append([cell(header, heading) for header, _ in COLUMNS])
        ws.append([cell(f"({i})", numbering) for i in range(1, len(COLUMNS) + 1)])
        for index, dossier in enumerate(dossiers.iterator(chunk_size=2000), start=1):
            values = _row_values(index, dossier)
            # The height of a row of wrapped text: LibreOffice does not fit it on opening. Set
            # just before the row is streamed out and dropped after, so the book's rows do not
            # pile up in memory.
            row = FIRST_ROW + index - 1
            lines = _lines(values)
            if lines > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * lines
            ws.append(
                [
                    cell(value, body_date if isinstance(value, dt.date) else columns[j])
                    for j, value in enumerate(values)
                ]
            )
            ws.row_dimensions.pop(row, None)
    workbook.properties.creator = "cchc"
    workbook.properties.title = f"Sổ theo dõi hồ sơ - {unit.name}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
