"""The periodic TTHC report as DOCX, laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) asks.

A4 portrait, margins 20/20/30/15 mm, Times New Roman. Issuing body and national motto
header, number and symbol, place and date, title and summary, a 14 pt justified body with
the figures written out (sentences.py) and the tables (tables.py), recipients and signature
block; page numbers top centre from page 2.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from cchc.org.models import Unit
from cchc.stats.periods import Period

from . import sentences
from .checks import ensure_valid
from .numbers import blank_long_date, date_range, decimal, integer, long_date
from .tables import SECTION, SUBTOTAL, TOTAL, Table, build_tables

FONT = "Times New Roman"
BODY_SIZE = 14
TEXT_WIDTH = Mm(210 - 30 - 15)
HEADER_LEFT, HEADER_RIGHT = Mm(64), Mm(101)
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_SYMBOL = "BC-UBND"
ISSUER_KIND = "ỦY BAN NHÂN DÂN"
NBSP = "\u00a0"
# The order of the children of w:tblPr and w:trPr in the schema.
TBL_PR = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)
TR_PR = ("w:cnfStyle", "w:gridBefore", "w:gridAfter", "w:cantSplit", "w:trHeight", "w:tblHeader")
# Elements of w:pPr that must follow w:pBdr (the order of the schema).
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:rPr",
    "w:sectPr",
)


# --- low-level helpers ------------------------------------------------------------------


def _set_run_font(run, *, size: float | None = None, bold=None, italic=None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _text(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    _set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _format(
    paragraph: Paragraph,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent: Length | None = None,
    line: float = 1.0,
    keep_next: bool = False,
) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    if indent is not None:
        fmt.first_line_indent = indent
    if keep_next:
        fmt.keep_with_next = True
    return paragraph


def _rule(container, width: Length, box: Length, *, before: float = 0) -> Paragraph:
    """A short horizontal rule of `width`, centred in a box of width `box` (ND 30 "đường kẻ").

    Drawn as the top border of an empty 2 pt paragraph indented from both sides, which Word
    and LibreOffice both render without any drawing object.
    """
    paragraph = container.add_paragraph()
    side = max(int((box - width) / 2), 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Length(side)
    fmt.space_before, fmt.space_after = Pt(before), Pt(0)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    borders.append(_element("w:top", val="single", sz="6", space="1", color="000000"))
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    _set_run_font(paragraph.add_run(""), size=2)
    return paragraph


def _text_width(text: str, size: float, *, bold: bool = False) -> Length:
    """A rough width of `text` in Times New Roman, to size the rules under the header lines."""
    upper = sum(1 for ch in text if ch.isupper())
    other = len(text) - upper
    em = (0.72 if bold else 0.68) * upper + (0.48 if bold else 0.44) * other
    return Pt(em * size)


def _next_paragraph(cell: _Cell) -> Paragraph:
    """The cell's first paragraph while it is still empty, else a new one after the last."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].runs:
        return paragraphs[0]
    return cell.add_paragraph()


def _put_ordered(parent, element, order: Sequence[str]) -> None:
    """Put `element` into `parent` where the schema's `order` of children wants it (Word
    refuses a file whose elements are out of order), replacing one with the same tag."""
    tag = element.tag
    for old in parent.findall(tag):
        parent.remove(old)
    position = order.index(next(t for t in order if qn(t) == tag))
    later = {qn(t) for t in order[position + 1 :]}
    for index, child in enumerate(parent):
        if child.tag in later:
            parent.insert(index, element)
            return
    parent.append(element)


def _element(tag: str, **attributes: str):
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _set_widths(table: DocxTable, widths: Sequence[Length]) -> None:
    table.autofit = False
    twips = [Length(int(width)).twips for width in widths]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))
    # A fixed layout takes the widths of the cells themselves: a merged cell spans the sum.
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc_width = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_width.set(qn("w:w"), str(sum(twips[column : column + span])))
            tc_width.set(qn("w:type"), "dxa")
            column += span
    _put_ordered(table._tbl.tblPr, _element("w:tblW", w=str(sum(twips)), type="dxa"), TBL_PR)


def _no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="nil"))
    _put_ordered(table._tbl.tblPr, borders, TBL_PR)


def _cell_margins(table: DocxTable, left_right: Length, top_bottom: Length) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (
        ("top", top_bottom),
        ("left", left_right),
        ("bottom", top_bottom),
        ("right", left_right),
    ):
        margins.append(_element(f"w:{edge}", w=str(Length(int(value)).twips), type="dxa"))
    _put_ordered(table._tbl.tblPr, margins, TBL_PR)


def _row_flag(row, tag: str) -> None:
    """Set an on/off property of a table row (w:tblHeader repeats it, w:cantSplit keeps it)."""
    _put_ordered(row._tr.get_or_add_trPr(), _element(tag, val="true"), TR_PR)


def _page_number_field(paragraph: Paragraph, size: float) -> None:
    """A PAGE field, so Word and LibreOffice print the page number."""

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for part in (char("begin"), instruction, char("separate")):
        run = paragraph.add_run()
        _set_run_font(run, size=size)
        run._r.append(part)
    _set_run_font(paragraph.add_run("2"), size=size)
    run = paragraph.add_run()
    _set_run_font(run, size=size)
    run._r.append(char("end"))


# --- the document -----------------------------------------------------------------------


def _setup(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = _format(section.header.paragraphs[0])
    _page_number_field(header, 13)

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    r_pr.append(_element("w:lang", val="vi-VN"))
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def document_number(number: str | int = "", symbol: str = DOCUMENT_SYMBOL) -> str:
    """ "Số: 05/BC-UBND"; a blank for the clerk when no number is given yet."""
    text = str(number).strip()
    if not text:
        return f"Số:{NBSP * 8}/{symbol}"
    if "/" in text:
        return f"Số: {text}"
    return f"Số: {int(text):02d}/{symbol}" if text.isdigit() else f"Số: {text}/{symbol}"


def _header(
    document: DocumentObject,
    unit: Unit,
    *,
    parent_body: str,
    number: str | int,
    place: str,
    issued_on: dt.date | None,
    year: int,
) -> None:
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    _cell_margins(table, Mm(0.5), Mm(0))
    _set_widths(table, [HEADER_LEFT, HEADER_RIGHT])
    left, right = table.cell(0, 0), table.cell(0, 1)

    if parent_body:
        _text(_format(_next_paragraph(left)), parent_body.upper(), size=13)
    issuer_lines = [ISSUER_KIND, unit.name.upper()]
    for line in issuer_lines:
        _text(_format(_next_paragraph(left)), line, size=13, bold=True)
    widest = max(_text_width(line, 13, bold=True) for line in issuer_lines)
    _rule(left, Length(int(widest * 0.4)), HEADER_LEFT, before=4)

    _text(_format(_next_paragraph(right)), NATIONAL_NAME, size=12, bold=True)
    _text(_format(_next_paragraph(right)), MOTTO, size=13, bold=True)
    _rule(right, _text_width(MOTTO, 13, bold=True), HEADER_RIGHT, before=3)

    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    _text(_format(number_cell.paragraphs[0], before=6), document_number(number), size=13)
    date_text = long_date(issued_on) if issued_on else blank_long_date(year)
    _text(_format(date_cell.paragraphs[0], before=6), f"{place}, {date_text}", size=14, italic=True)


def _title(document: DocumentObject, summary: str) -> None:
    _text(_format(document.add_paragraph(), before=18), "BÁO CÁO", bold=True)
    _text(_format(document.add_paragraph()), summary, bold=True)
    width = _text_width(summary, BODY_SIZE, bold=True)
    _rule(document, Length(int(min(width, TEXT_WIDTH) / 3)), TEXT_WIDTH, before=2)
    _format(document.add_paragraph(), after=6)


def _body(document: DocumentObject, text: str, *, bold: bool = False) -> Paragraph:
    paragraph = _format(
        document.add_paragraph(),
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        after=6,
        indent=Cm(1.27),
        keep_next=bold,
    )
    return _text(paragraph, text, bold=bold)


def _figure(value, *, is_rate: bool) -> str:
    if value is None:
        return "-"
    return decimal(value) if is_rate else integer(value)


def _table(document: DocumentObject, table: Table, caption: str, label_width: Length) -> None:
    """A report table: two merged header rows, a row per entry, the totals row in bold."""
    _text(
        _format(document.add_paragraph(), before=6, after=3, keep_next=True),
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
    _cell_margins(grid, Mm(0.4), Mm(0.5))
    header_size = 9 if len(columns) > 10 else 10.5
    value_size = 10 if len(columns) > 10 else 11

    def put(cell: _Cell, text: str, *, size: float, bold=False, italic=False, align=None) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = _format(
            cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.CENTER if align is None else align
        )
        _text(paragraph, text, size=size, bold=bold, italic=italic)

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
    for upper, lower, text in merged:
        put(upper.merge(lower), text, size=header_size, bold=True)
    for row in grid.rows[:2]:
        _row_flag(row, "w:tblHeader")
        _row_flag(row, "w:cantSplit")

    for index, row in enumerate(table.rows, start=2):
        cells = grid.rows[index].cells
        _row_flag(grid.rows[index], "w:cantSplit")
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
    _set_widths(grid, widths)
    if table.note:
        _text(
            _format(document.add_paragraph(), before=3, after=6), table.note, size=12, italic=True
        )


def _closing(
    document: DocumentObject,
    *,
    recipients: Iterable[str],
    authority: str,
    signer_title: str,
    signer: str,
) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_margins(table, Mm(0.5), Mm(0))
    _set_widths(table, [Mm(75), TEXT_WIDTH - Mm(75)])
    _row_flag(table.rows[0], "w:cantSplit")
    left, right = table.cell(0, 0), table.cell(0, 1)

    align_left = WD_ALIGN_PARAGRAPH.LEFT
    _text(
        _format(_next_paragraph(left), align=align_left, before=6),
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
    )
    for line in recipient_lines(recipients):
        _text(_format(left.add_paragraph(), align=align_left), line, size=11)

    _text(_format(_next_paragraph(right), before=6), authority.upper(), bold=True)
    _text(_format(right.add_paragraph()), signer_title.upper(), bold=True)
    for _ in range(4):
        _format(right.add_paragraph(), after=6)
    _text(_format(right.add_paragraph()), signer, bold=True)


def recipient_lines(recipients: Iterable[str]) -> list[str]:
    """ "- UBND huyện Vĩnh Linh;" ... "- Lưu: VT.": a dash before each, ";" after all but the
    last, which is the filing line ("Lưu: VT, ...") and ends with "."."""
    names = [r.strip().lstrip("-").strip().rstrip(";.").strip() for r in recipients]
    names = [n for n in names if n]
    archive = [n for n in names if n.startswith("Lưu")]
    names = [n for n in names if not n.startswith("Lưu")] + (archive[-1:] or ["Lưu: VT"])
    return [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]


def default_recipients(unit: Unit) -> list[str]:
    parent = unit.parent
    return [f"UBND {sentences.unit_in_text(parent.name)}"] if parent else []


def render_docx(
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
) -> bytes:
    """The periodic report on the TTHC results of `unit` for `period`, as DOCX bytes.

    `number` is the document number ("05" → "Số: 05/BC-UBND"; empty leaves a blank),
    `place` the place name of the date line (default: the unit's place_name, else its name
    without "Xã"/"Huyện"...), `issued_on` the date (default: left blank to fill in at signing),
    `recipients` the "Nơi nhận" lines (default: the parent unit's UBND; "Lưu: VT." is added
    last), `parent_body` an optional line above the issuing body (ND 30: the direct parent
    body, if any). Raises InvalidStatistics when `stats` breaks rules of validate_stats,
    unless `allow_invalid`.
    """
    ensure_valid(stats, allow_invalid=allow_invalid)
    tables = build_tables(stats, unit, period)
    phrase = sentences.period_phrase(period.label, period.start, period.end)
    issuer_in_text = f"Ủy ban nhân dân {sentences.unit_in_text(unit.name)}"

    document = Document()
    _setup(document)
    document.core_properties.title = f"Báo cáo kết quả giải quyết TTHC {phrase}"
    document.core_properties.author = unit.name
    _header(
        document,
        unit,
        parent_body=parent_body,
        number=number,
        place=place or unit.place_name or sentences.place_of(unit.name),
        issued_on=issued_on,
        year=(issued_on or period.end).year,
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

    _body(
        document,
        f"Trên đây là báo cáo kết quả giải quyết thủ tục hành chính {phrase} "
        f"của {issuer_in_text}./.",
    ).paragraph_format.keep_with_next = True
    _closing(
        document,
        recipients=default_recipients(unit) if recipients is None else recipients,
        authority=authority,
        signer_title=signer_title,
        signer=signer,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
