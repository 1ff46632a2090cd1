"""The page of an administrative document as Nghị định 30/2020/NĐ-CP (Phụ lục I) lays it out,
shared by the periodic report (docx.py) and the one-stop forms (forms.py).

A4 portrait, margins 20/20/30/15 mm, Times New Roman; the header table of issuing body and
national motto with their rules, number and place/date line; the signature block with the
recipients; page numbers top centre from page 2. Built on python-docx, with the few pieces of
WordprocessingML it has no API for (paragraph borders, table properties, the PAGE field).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_SIZE = 14
TEXT_WIDTH = Mm(210 - 30 - 15)
HEADER_LEFT, HEADER_RIGHT = Mm(64), Mm(101)
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
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


# --- runs, paragraphs, rules ------------------------------------------------------------


def set_run_font(run, *, size: float | None = None, bold=None, italic=None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def text(
    paragraph: Paragraph,
    content: str,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """Append a run of `content` in Times New Roman to `paragraph`."""
    set_run_font(paragraph.add_run(content), size=size, bold=bold, italic=italic)
    return paragraph


def shape(
    paragraph: Paragraph,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent: Length | None = None,
    line: float = 1.0,
    keep_next: bool = False,
) -> Paragraph:
    """Set the alignment, spacing (pt), first-line indent and line spacing of `paragraph`."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    if indent is not None:
        fmt.first_line_indent = indent
    if keep_next:
        fmt.keep_with_next = True
    return paragraph


def rule(container, width: Length, box: Length, *, before: float = 0) -> Paragraph:
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
    borders.append(element("w:top", val="single", sz="6", space="1", color="000000"))
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    set_run_font(paragraph.add_run(""), size=2)
    return paragraph


def text_width(content: str, size: float, *, bold: bool = False) -> Length:
    """A rough width of `content` in Times New Roman, to size the rules under header lines."""
    upper = sum(1 for ch in content if ch.isupper())
    other = len(content) - upper
    em = (0.72 if bold else 0.68) * upper + (0.48 if bold else 0.44) * other
    return Pt(em * size)


def next_paragraph(cell: _Cell) -> Paragraph:
    """The cell's first paragraph while it is still empty, else a new one after the last."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].runs:
        return paragraphs[0]
    return cell.add_paragraph()


# --- tables -----------------------------------------------------------------------------


def put_ordered(parent, child, order: Sequence[str]) -> None:
    """Put `child` into `parent` where the schema's `order` of children wants it (Word
    refuses a file whose elements are out of order), replacing one with the same tag."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    position = order.index(next(t for t in order if qn(t) == tag))
    later = {qn(t) for t in order[position + 1 :]}
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)


def element(tag: str, **attributes: str):
    """A WordprocessingML element with w:-prefixed attributes."""
    made = OxmlElement(tag)
    for key, value in attributes.items():
        made.set(qn(f"w:{key}"), value)
    return made


def set_widths(table: DocxTable, widths: Sequence[Length]) -> None:
    """Fix the column widths of `table` (a merged cell spans the sum of its columns)."""
    table.autofit = False
    twips = [Length(int(width)).twips for width in widths]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc_width = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_width.set(qn("w:w"), str(sum(twips[column : column + span])))
            tc_width.set(qn("w:type"), "dxa")
            column += span
    put_ordered(table._tbl.tblPr, element("w:tblW", w=str(sum(twips)), type="dxa"), TBL_PR)


def no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{edge}", val="nil"))
    put_ordered(table._tbl.tblPr, borders, TBL_PR)


def cell_margins(table: DocxTable, left_right: Length, top_bottom: Length) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (
        ("top", top_bottom),
        ("left", left_right),
        ("bottom", top_bottom),
        ("right", left_right),
    ):
        margins.append(element(f"w:{edge}", w=str(Length(int(value)).twips), type="dxa"))
    put_ordered(table._tbl.tblPr, margins, TBL_PR)


def row_flag(row, tag: str) -> None:
    """Set an on/off property of a table row (w:tblHeader repeats it, w:cantSplit keeps it)."""
    put_ordered(row._tr.get_or_add_trPr(), element(tag, val="true"), TR_PR)


def layout_table(document: DocumentObject, rows: int, widths: Sequence[Length]) -> DocxTable:
    """A borderless table of fixed `widths`, to place blocks side by side (header, signatures)."""
    table = document.add_table(rows=rows, cols=len(widths))
    no_borders(table)
    cell_margins(table, Mm(0.5), Mm(0))
    set_widths(table, widths)
    return table


# --- the page ---------------------------------------------------------------------------


def _page_number_field(paragraph: Paragraph, size: float) -> None:
    """A PAGE field, so Word and LibreOffice print the page number."""

    def char(kind: str):
        made = OxmlElement("w:fldChar")
        made.set(qn("w:fldCharType"), kind)
        return made

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for part in (char("begin"), instruction, char("separate")):
        run = paragraph.add_run()
        set_run_font(run, size=size)
        run._r.append(part)
    set_run_font(paragraph.add_run("2"), size=size)
    run = paragraph.add_run()
    set_run_font(run, size=size)
    run._r.append(char("end"))


def setup_page(document: DocumentObject) -> None:
    """A4 portrait, the ND 30 margins, Times New Roman 14 pt Vietnamese, page numbers top
    centre on every page but the first."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = shape(section.header.paragraphs[0])
    _page_number_field(header, 13)

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    r_pr.append(element("w:lang", val="vi-VN"))
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def document_number(number: str | int, symbol: str) -> str:
    """ "Số: 05/BC-UBND"; a blank for the clerk when no number is given yet."""
    content = str(number).strip()
    if not content:
        return f"Số:{NBSP * 8}/{symbol}"
    if "/" in content:
        return f"Số: {content}"
    return f"Số: {int(content):02d}/{symbol}" if content.isdigit() else f"Số: {content}/{symbol}"


def header(
    document: DocumentObject,
    *,
    parent_body: str,
    issuer: Sequence[str],
    number_line: str,
    place_date: str,
) -> DocxTable:
    """The header table: the parent body (regular) and the issuing body (bold) over a short
    rule on the left, the national name and motto over a rule on the right; then the number
    line and the italic place and date line."""
    table = layout_table(document, 2, [HEADER_LEFT, HEADER_RIGHT])
    left, right = table.cell(0, 0), table.cell(0, 1)

    if parent_body:
        text(shape(next_paragraph(left)), parent_body.upper(), size=13)
    for line in issuer:
        text(shape(next_paragraph(left)), line, size=13, bold=True)
    widest = max(text_width(line, 13, bold=True) for line in issuer)
    rule(left, Length(int(widest * 0.4)), HEADER_LEFT, before=4)

    text(shape(next_paragraph(right)), NATIONAL_NAME, size=12, bold=True)
    text(shape(next_paragraph(right)), MOTTO, size=13, bold=True)
    rule(right, text_width(MOTTO, 13, bold=True), HEADER_RIGHT, before=3)

    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    if number_line:
        text(shape(number_cell.paragraphs[0], before=6), number_line, size=13)
    if place_date:
        text(shape(date_cell.paragraphs[0], before=6), place_date, size=14, italic=True)
    return table


def recipient_lines(recipients: Iterable[str]) -> list[str]:
    """ "- UBND huyện Vĩnh Linh;" ... "- Lưu: VT.": a dash before each, ";" after all but the
    last, which is the filing line ("Lưu: VT, ...") and ends with "."."""
    names = [r.strip().lstrip("-").strip().rstrip(";.").strip() for r in recipients]
    names = [n for n in names if n]
    archive = [n for n in names if n.startswith("Lưu")]
    names = [n for n in names if not n.startswith("Lưu")] + (archive[-1:] or ["Lưu: VT"])
    return [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]


def closing(
    document: DocumentObject,
    *,
    recipients: Iterable[str],
    authority: str,
    signer_title: str,
    signer: str,
) -> DocxTable:
    """The recipients ("Nơi nhận:") on the left, the signature block on the right: authority
    and title in bold capitals, room to sign, the signer's name in bold."""
    table = layout_table(document, 1, [Mm(75), TEXT_WIDTH - Mm(75)])
    row_flag(table.rows[0], "w:cantSplit")
    left, right = table.cell(0, 0), table.cell(0, 1)

    align_left = WD_ALIGN_PARAGRAPH.LEFT
    text(
        shape(next_paragraph(left), align=align_left, before=6),
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
    )
    for line in recipient_lines(recipients):
        text(shape(left.add_paragraph(), align=align_left), line, size=11)

    if authority:
        text(shape(next_paragraph(right), before=6), authority.upper(), bold=True)
    title_before = 0 if authority else 6
    text(shape(next_paragraph(right), before=title_before), signer_title.upper(), bold=True)
    for _ in range(4):
        shape(right.add_paragraph(), after=6)
    text(shape(right.add_paragraph()), signer, bold=True)
    return table
