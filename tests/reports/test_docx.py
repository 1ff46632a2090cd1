"""The DOCX report: Nghị định 30/2020 layout, and the published figures in its sentences and tables."""

import datetime as dt

import pytest
from docx.shared import Mm, Pt

from cchc.reports.checks import InvalidStatistics
from cchc.reports.period_report.docx import (
    document_number,
    recipient_lines,
    render_period_report_docx,
)

from .reading import compare, docx_text, figures_from_docx, open_docx


def render(loaded, **options) -> bytes:
    options.setdefault("signer", "Nguyễn Như Thanh")
    return render_period_report_docx(loaded.stats, loaded.unit, loaded.period, **options)


def test_tables_and_sentences_hold_the_published_figures_kim_thach(kim_thach):
    document = open_docx(render(kim_thach))
    assert compare(kim_thach.expected, figures_from_docx(document)) == []
    text = docx_text(document)
    assert "Tổng số hồ sơ tiếp nhận là 692 hồ sơ" in text
    assert "kỳ trước chuyển qua là 19 hồ sơ; trong kỳ là 673 hồ sơ" in text
    assert "(trong đó, trực tuyến: 319 hồ sơ)" in text
    assert "Đã giải quyết 651 hồ sơ (trước hạn: 650 hồ sơ, đúng hạn: 1 hồ sơ)" in text
    assert "Tỷ lệ hồ sơ trực tuyến đạt 84,17% (319/379 hồ sơ)" in text
    assert "tỷ lệ số hóa đầy đủ thành phần hồ sơ đạt 77,56%" in text
    assert "tỷ lệ số hóa kết quả đạt 99,39%" in text
    assert "quá hạn: 0" not in text  # zero parts are left out


def test_tables_and_sentences_hold_the_published_figures_kbang(kbang):
    document = open_docx(render(kbang))
    assert compare(kbang.expected, figures_from_docx(document)) == []
    text = docx_text(document)
    assert "- Cấp huyện: Tổng số hồ sơ tiếp nhận là 752 hồ sơ" in text
    assert "- Cấp xã: Tổng số hồ sơ tiếp nhận là 2.467 hồ sơ" in text
    assert "cấp xã: 0,08% (2/2.467 hồ sơ)" in text


def test_page_is_a4_with_the_official_margins_and_times_new_roman(kim_thach):
    document = open_docx(render(kim_thach))
    section = document.sections[0]
    mm = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 20, 20, 30, 15]
    assert section.orientation == 0  # portrait
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = {run.font.name for p in document.paragraphs for run in p.runs}
    assert fonts <= {"Times New Roman"}


def test_page_numbers_top_centre_from_page_two(kim_thach):
    section = open_docx(render(kim_thach)).sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_header_issuing_body_motto_number_place_and_date(kim_thach):
    document = open_docx(render(kim_thach, number=5, issued_on=dt.date(2023, 6, 12)))
    header = document.tables[0]
    left = [p for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in left] == ["ỦY BAN NHÂN DÂN", "XÃ KIM THẠCH"]
    assert all(run.bold for p in left for run in p.runs)
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(run.bold for p in right for run in p.runs)
    assert header.cell(1, 0).text == "Số: 05/BC-UBND"
    date_line = header.cell(1, 1).paragraphs[0]
    assert date_line.text == "Kim Thạch, ngày 12 tháng 6 năm 2023"
    assert date_line.runs[0].italic
    # the rules under the issuing body and the motto are borders of empty paragraphs
    assert "w:pBdr" in header.cell(0, 0)._element.xml
    assert "w:pBdr" in header.cell(0, 1)._element.xml


def test_parent_body_line_is_regular_caps_above_the_issuing_body(kim_thach):
    document = open_docx(render(kim_thach, parent_body="UBND huyện Vĩnh Linh"))
    first = document.tables[0].cell(0, 0).paragraphs[0]
    assert first.text == "UBND HUYỆN VĨNH LINH"
    assert not first.runs[0].bold


def test_title_summary_and_body_format(kim_thach):
    document = open_docx(render(kim_thach))
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "Kết quả giải quyết thủ tục hành chính 6 tháng đầu năm 2023"
    assert document.paragraphs[title].runs[0].bold
    body = next(p for p in document.paragraphs if p.text.startswith("Tổng số hồ sơ tiếp nhận"))
    fmt = body.paragraph_format
    assert fmt.alignment == 3  # justified
    assert fmt.first_line_indent == pytest.approx(Mm(12.7), abs=Mm(0.1))
    assert fmt.space_after == Pt(6)


def test_recipients_and_signature_block(kim_thach):
    document = open_docx(render(kim_thach))
    closing = document.tables[-1]
    left = [p for p in closing.cell(0, 0).paragraphs if p.text]
    assert left[0].text == "Nơi nhận:"
    assert left[0].runs[0].bold and left[0].runs[0].italic
    assert left[0].runs[0].font.size == Pt(12)
    assert [p.text for p in left[1:]] == ["- UBND huyện Vĩnh Linh;", "- Lưu: VT."]
    assert all(p.runs[0].font.size == Pt(11) for p in left[1:])
    right = [p.text for p in closing.cell(0, 1).paragraphs if p.text]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Như Thanh"]


def test_recipient_lines_end_with_the_filing_line():
    assert recipient_lines(["UBND huyện", "- Phòng Nội vụ;", "Lưu: VT, VP"]) == [
        "- UBND huyện;",
        "- Phòng Nội vụ;",
        "- Lưu: VT, VP.",
    ]
    assert recipient_lines([]) == ["- Lưu: VT."]


def test_document_number_pads_under_ten_and_leaves_a_blank():
    assert document_number(5) == "Số: 05/BC-UBND"
    assert document_number("12") == "Số: 12/BC-UBND"
    assert document_number("40/BC-UBND") == "Số: 40/BC-UBND"
    assert document_number("").startswith("Số:") and document_number("").endswith("/BC-UBND")


def test_broken_figures_are_refused_with_the_broken_rules(kim_thach):
    stats = kim_thach.stats
    stats["dossiers"]["by_field"]["Hộ tịch"]["early"] -= 1
    with pytest.raises(InvalidStatistics) as refused:
        render_period_report_docx(stats, kim_thach.unit, kim_thach.period)
    assert any("dossiers.by_field.Hộ tịch" in line for line in refused.value.problems)
    assert render_period_report_docx(stats, kim_thach.unit, kim_thach.period, allow_invalid=True)


def test_tables_repeat_their_header_rows_and_align_labels_left(kim_thach):
    document = open_docx(render(kim_thach))
    table = document.tables[1]
    assert table.rows[0].cells[1].text == "Lĩnh vực"
    assert all("w:tblHeader" in row._tr.xml for row in table.rows[:2])
    first = table.rows[2].cells
    assert first[1].paragraphs[0].alignment == 0  # left
    assert first[2].paragraphs[0].alignment == 1  # centre
    assert first[2].paragraphs[0].runs[0].font.name == "Times New Roman"
    total = table.rows[-1].cells
    assert total[1].text == "Tổng cộng" and total[2].paragraphs[0].runs[0].bold


def test_rendering_runs_a_fixed_number_of_queries_however_many_units(
    kbang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # subtree units, level labels, the parent unit
        render_period_report_docx(kbang.stats, kbang.unit, kbang.period, include_trends=False)
    # The monthly trends add the cut-off rule, the subtree and one grouped count query.
    with django_assert_max_num_queries(7):
        render_period_report_docx(kbang.stats, kbang.unit, kbang.period)
