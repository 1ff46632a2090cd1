"""The periodic TTHC report as DOCX, laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) asks.

A4 portrait, margins 20/20/30/15 mm, Times New Roman. Issuing body and national motto
header, number and symbol, place and date, title and summary, a 14 pt justified body with
the figures written out (sentences.py) and the tables (tables.py), recipients and signature
block; page numbers top centre from page 2. The page, header and signature block are
layout.py's, shared with the one-stop forms.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Mm, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from cchc.org.models import Unit
from cchc.stats.periods import Period
from cchc.stats.trends import RATES, TrendFigures

from .. import layout, sentences
from ..checks import ensure_valid
from ..layout import (
    BODY_SIZE,
    ISSUER_KIND,
    TEXT_WIDTH,
    cell_margins,
    recipient_lines,
    row_flag,
    rule,
    set_widths,
    shape,
    text,
    text_width,
)
from ..numbers import blank_long_date, date_range, decimal, integer, long_date
from ..trends_chart import LEGEND, line_chart_png
from .tables import SECTION, SUBTOTAL, TOTAL, Table, build_tables
from .trends_tables import figures_for, monthly_table, ranking_table

__all__ = ["default_recipients", "document_number", "recipient_lines", "render_period_report_docx"]

DOCUMENT_SYMBOL = "BC-UBND"


def document_number(number: str | int = "", symbol: str = DOCUMENT_SYMBOL) -> str:
    """ "Số: 05/BC-UBND"; a blank for the clerk when no number is given yet."""
    return layout.document_number(number, symbol)


def _title(document: DocumentObject, summary: str) -> None:
    text(shape(document.add_paragraph(), before=18), "BÁO CÁO", bold=True)
    text(shape(document.add_paragraph()), summary, bold=True)
    width = text_width(summary, BODY_SIZE, bold=True)
    rule(document, Length(int(min(width, TEXT_WIDTH) / 3)), TEXT_WIDTH, before=2)
    shape(document.add_paragraph(), after=6)


def _body(document: DocumentObject, content: str, *, bold: bool = False) -> Paragraph:
    paragraph = shape(
        document.add_paragraph(),
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        after=6,
        indent=Cm(1.27),
        keep_next=bold,
    )
    return text(paragraph, content, bold=bold)


def _figure(value, *, is_rate: bool) -> str:
    if value is None:
        return "-"
    return decimal(value) if is_rate else integer(value)


def _table(document: DocumentObject, table: Table, caption: str, label_width: Length) -> None:
    """A report table: two merged header rows, a row per entry, the totals row in bold."""
    text(
        shape(document.add_paragraph(), before=6, after=3, keep_next=True),
        caption,
        size=13,
        bold=True,
    )
    columns = list(table.columns)
    number_width = Mm(8)
    value_width = Length(int((TEXT_WIDTH - number_width - label_width) / len(columns)))
    widths = [number_width, label_width] + [value_width] * len(columns)
    grid = document.add_table(rows=2 + len(table.rows), cols=2 + len(columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(grid, Mm(0.4), Mm(0.5))
    header_size = 9 if len(columns) > 10 else 10.5
    value_size = 10 if len(columns) > 10 else 11

    def put(
        cell: _Cell, content: str, *, size: float, bold=False, italic=False, align=None
    ) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = shape(
            cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.CENTER if align is None else align
        )
        text(paragraph, content, size=size, bold=bold, italic=italic)

    top, bottom = grid.rows[0].cells, grid.rows[1].cells
    merged = [(top[0], bottom[0], "STT"), (top[1], bottom[1], table.label_header)]
    i = 0
    while i < len(columns):
        column = columns[i]
        if not column.group:
            merged.append((top[2 + i], bottom[2 + i], column.header))
            i += 1
            continue
        span = 1
        while i + span < len(columns) and columns[i + span].group == column.group:
            span += 1
        group_cell = top[2 + i].merge(top[2 + i + span - 1]) if span > 1 else top[2 + i]
        put(group_cell, column.group, size=header_size, bold=True)
        for j in range(span):
            put(bottom[2 + i + j], columns[i + j].header, size=header_size - 0.5)
        i += span
    for upper, lower, label in merged:
        put(upper.merge(lower), label, size=header_size, bold=True)
    for row in grid.rows[:2]:
        row_flag(row, "w:tblHeader")
        row_flag(row, "w:cantSplit")

    for index, row in enumerate(table.rows, start=2):
        cells = grid.rows[index].cells
        row_flag(grid.rows[index], "w:cantSplit")
        strong = row.kind in (SUBTOTAL, TOTAL, SECTION)
        put(cells[0], row.number, size=value_size)
        if row.kind == SECTION:
            label_cell = cells[1].merge(cells[-1])
            put(label_cell, row.label, size=value_size, bold=True, italic=True)
            label_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
            continue
        put(cells[1], row.label, size=value_size, bold=strong, align=WD_ALIGN_PARAGRAPH.LEFT)
        for j, column in enumerate(columns):
            value = row.values.get(column.key)
            put(cells[2 + j], _figure(value, is_rate=column.is_rate), size=value_size, bold=strong)
    for paragraph in (p for cell in grid.rows[-1].cells for p in cell.paragraphs):
        paragraph.paragraph_format.keep_with_next = True  # the note stays under the table
    set_widths(grid, widths)
    if table.note:
        text(shape(document.add_paragraph(), before=3, after=6), table.note, size=12, italic=True)


MARKS = {"circle": "●", "square": "■", "diamond": "◆", "triangle": "▲"}


def _trends(document: DocumentObject, figures: TrendFigures, period: Period, number: int) -> int:
    """Section 4: the rates of the 12 reporting months (a table and a line chart) and the
    ranking of the subordinate units. Returns the number of the next table."""
    _body(document, "4. Diễn biến theo tháng", bold=True)
    months = figures.months
    _body(
        document,
        f"Tỷ lệ giải quyết đúng hạn, tỷ lệ hồ sơ trực tuyến, tỷ lệ số hóa hồ sơ khi tiếp nhận "
        f"và tỷ lệ số hóa kết quả giải quyết của {len(months)} tháng báo cáo gần nhất "
        f"({date_range(months[0].period.start, months[-1].period.end)}) như sau:",
    )
    _table(
        document,
        monthly_table(figures, period, counts=False),
        f"Bảng {number}. Tỷ lệ giải quyết đúng hạn, trực tuyến, số hóa theo tháng",
        Mm(40),
    )
    number += 1
    series = [[cell.value for cell in cells] for _month, cells in figures.table]
    picture = shape(document.add_paragraph(), before=6, keep_next=True)
    run = picture.add_run()
    layout.set_run_font(run)
    run.add_picture(
        io.BytesIO(
            line_chart_png(
                [month.tick(i == 0) for i, month in enumerate(months)],
                [list(column) for column in zip(*series, strict=True)],
            )
        ),
        width=TEXT_WIDTH,
    )
    legend = shape(document.add_paragraph(), after=3, keep_next=True)
    for i, ((colour, mark), (_key, title, *_rest)) in enumerate(zip(LEGEND, RATES, strict=True)):
        run = legend.add_run(("    " if i else "") + f"—{MARKS[mark]}— ")
        layout.set_run_font(run, size=11, bold=True)
        run.font.color.rgb = RGBColor.from_string(colour)
        text(legend, str(title), size=11)
    text(
        shape(document.add_paragraph(), after=6),
        "Biểu đồ. Diễn biến các tỷ lệ theo tháng (%); tháng không có hồ sơ để tính tỷ lệ để trống",
        size=12,
        italic=True,
    )
    if figures.ranking:
        _table(
            document,
            ranking_table(figures, period, counts=False),
            f"Bảng {number}. Xếp hạng các đơn vị theo tỷ lệ giải quyết đúng hạn, "
            "trực tuyến, số hóa",
            Mm(50),
        )
        number += 1
    return number


def default_recipients(unit: Unit) -> list[str]:
    parent = unit.parent
    return [f"UBND {sentences.unit_in_text(parent.name)}"] if parent else []


def render_period_report_docx(
    stats: Mapping,
    unit: Unit,
    period: Period,
    *,
    number: str | int = "",
    place: str = "",
    signer: str = "",
    recipients: Sequence[str] | None = None,
    issued_on: dt.date | None = None,
    parent_body: str = "",
    authority: str = "TM. ỦY BAN NHÂN DÂN",
    signer_title: str = "CHỦ TỊCH",
    allow_invalid: bool = False,
    include_trends: bool = True,
    trends: TrendFigures | None = None,
) -> bytes:
    """The periodic report on the TTHC results of `unit` for `period`, as DOCX bytes.

    `number` is the document number ("05" → "Số: 05/BC-UBND"; empty leaves a blank),
    `place` the place name of the date line (default: the unit's place_name, else its name
    without "Xã"/"Huyện"...), `issued_on` the date (default: left blank to fill in at signing),
    `recipients` the "Nơi nhận" lines (default: the parent unit's UBND; "Lưu: VT." is added
    last), `parent_body` an optional line above the issuing body (ND 30: the direct parent
    body, if any). With `include_trends`, section 4 gives the rates of the 12 reporting months
    up to the period's end (a table and a line chart) and the ranking of the subordinate
    units (`trends`, else trends_tables.figures_for: three queries more). Raises
    InvalidStatistics when `stats` breaks rules of validate_stats, unless `allow_invalid`.
    """
    ensure_valid(stats, allow_invalid=allow_invalid)
    tables = build_tables(stats, unit, period)
    phrase = sentences.period_phrase(period.label, period.start, period.end)
    issuer_in_text = f"Ủy ban nhân dân {sentences.unit_in_text(unit.name)}"

    document = Document()
    layout.setup_page(document)
    document.core_properties.title = f"Báo cáo kết quả giải quyết TTHC {phrase}"
    document.core_properties.author = unit.name
    place = place or unit.place_name or sentences.place_of(unit.name)
    date_text = long_date(issued_on) if issued_on else blank_long_date(period.end.year)
    layout.header(
        document,
        parent_body=parent_body,
        issuer=[ISSUER_KIND, unit.name.upper()],
        number_line=document_number(number),
        place_date=f"{place}, {date_text}",
    )
    _title(document, f"Kết quả giải quyết thủ tục hành chính {phrase}")

    _body(
        document,
        f"{issuer_in_text} báo cáo kết quả tiếp nhận, giải quyết thủ tục hành chính "
        f"{phrase} (số liệu {date_range(period.start, period.end)}) như sau:",
    )
    counts = stats["dossiers"]["all"]
    _body(document, "1. Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính", bold=True)
    _body(document, sentences.dossier_results(counts))
    by_level = stats["dossiers"].get("by_level") or {}
    levels = [
        n for n in tables.level_labels if int((by_level.get(n) or {}).get("received_total") or 0)
    ]
    if len(levels) > 1:
        for name in levels:
            _body(
                document,
                f"- {tables.level_labels[name]}: {sentences.dossier_results(by_level[name])}",
            )
    _table(document, tables.by_field, "Bảng 1. Kết quả giải quyết hồ sơ theo lĩnh vực", Mm(22))
    next_number = 2
    if len(tables.by_level.data_rows()) > 1:
        _table(
            document,
            tables.by_level,
            f"Bảng {next_number}. Kết quả giải quyết hồ sơ theo cấp",
            Mm(22),
        )
        next_number += 1
    if len(tables.by_unit.data_rows()) > 1:
        _table(
            document,
            tables.by_unit,
            f"Bảng {next_number}. Kết quả giải quyết hồ sơ theo đơn vị",
            Mm(24),
        )
        next_number += 1

    _body(document, "2. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", bold=True)
    _body(document, sentences.digitization(stats.get("digitization") or {}))
    _table(
        document,
        tables.digitization,
        f"Bảng {next_number}. Kết quả số hóa hồ sơ, kết quả giải quyết TTHC",
        Mm(26),
    )
    next_number += 1

    _body(document, "3. Cung cấp dịch vụ công trực tuyến, thanh toán trực tuyến", bold=True)
    _body(
        document,
        sentences.online_services(
            stats.get("online_services") or {},
            counts,
            [(tables.level_labels[n], by_level[n]) for n in levels] if len(levels) > 1 else (),
        ),
    )
    fee_text = sentences.fees(stats.get("fees"))
    if fee_text:
        _body(document, fee_text)
    _table(
        document,
        tables.online_services,
        f"Bảng {next_number}. Kết quả cung cấp dịch vụ công trực tuyến",
        Mm(32),
    )
    next_number += 1
    if include_trends:
        _trends(document, trends or figures_for(unit, period), period, next_number)

    _body(
        document,
        f"Trên đây là báo cáo kết quả giải quyết thủ tục hành chính {phrase} "
        f"của {issuer_in_text}./.",
    ).paragraph_format.keep_with_next = True
    layout.closing(
        document,
        recipients=default_recipients(unit) if recipients is None else recipients,
        authority=authority,
        signer_title=signer_title,
        signer=signer,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
