"""Export buttons: the page's unit and period as XLSX, DOCX and PDF through the reports
package, checked first against the rules of validate_stats."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from cchc.reports.pdf import soffice
from cchc.stats.selectors import period_statistics
from tests.reports.reading import compare, figures_from_docx, open_docx
from tests.web.conftest import KBANG_PUBLISHED, KIM_THACH_PUBLISHED

HOME = reverse("web:home")


def export_url(fmt: str) -> str:
    return reverse("web:export", args=[fmt])


def document_text(data: bytes) -> str:
    """The text of a DOCX, its header and signature tables included."""
    document = open_docx(data)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def broken_statistics(monkeypatch):
    """Figures that do not add up (one more resolved dossier than its parts), as typed by hand."""

    def broken(unit, start, end):
        stats = period_statistics(unit, start, end)
        stats["dossiers"]["all"]["resolved"] += 1
        return stats

    monkeypatch.setattr("cchc.web.views.period_statistics", broken)


@pytest.mark.parametrize(
    ("client_fixture", "folder", "period", "unit"),
    [
        ("officer_client", "kim-thach-2023h1", KIM_THACH_PUBLISHED, "QT-VL-KT"),
        ("leader_client", "kbang-2023q1", KBANG_PUBLISHED, "GL-KB"),
    ],
)
def test_docx_export_holds_the_published_figures(
    db, request, fixtures_dir, client_fixture, folder, period, unit
):
    client = request.getfixturevalue(client_fixture)
    response = client.get(export_url("docx"), {"unit": unit, **period})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-{unit}-20221215-{period["end"][6:]}'
        f'{period["end"][3:5]}{period["end"][:2]}.docx"'
    )
    expected = json.loads((fixtures_dir / folder / "expected.json").read_text())
    assert compare(expected, figures_from_docx(open_docx(response.content))) == []


def test_docx_form_fields_go_into_the_document(officer_client):
    response = officer_client.get(
        export_url("docx"),
        {
            "unit": "QT-VL-KT",
            **KIM_THACH_PUBLISHED,
            "number": "42",
            "signer": "Nguyễn Văn Ký",
            "recipients": "UBND huyện Vĩnh Linh\nPhòng Nội vụ huyện",
        },
    )
    text = document_text(response.content)
    assert "42/BC-UBND" in text
    assert "Nguyễn Văn Ký" in text
    assert "- Phòng Nội vụ huyện;" in text


def test_document_names_a_typed_period_by_its_dates(officer_client):
    response = officer_client.get(export_url("docx"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED})
    text = document_text(response.content)
    assert "từ ngày 15/12/2022 đến ngày 12/06/2023" in text
    assert "tùy chọn" not in text


def test_document_is_vietnamese_when_the_page_is_english(officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": HOME})
    response = officer_client.get(
        export_url("docx"), {"unit": "QT-VL-KT", "kind": "quarter", "year": "2023", "quarter": "1"}
    )
    text = document_text(response.content)
    assert "quý I/2023" in text
    assert "Quarter" not in text


def test_xlsx_export_has_a_sheet_per_table(officer_client):
    response = officer_client.get(export_url("xlsx"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Theo lĩnh vực",
        "Theo cấp",
        "Theo đơn vị",
        "Số hóa",
        "DVC trực tuyến",
        "Diễn biến",  # a commune has no subordinate units: no ranking sheet
    ]
    values = [c for row in workbook["Theo lĩnh vực"].iter_rows(values_only=True) for c in row]
    assert 217 in values and 159 in values  # Chứng thực: received, online


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_pdf_export_when_libreoffice_is_installed(officer_client):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    assert f'formaction="{export_url("pdf")}"' in html
    response = officer_client.get(export_url("pdf"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_no_pdf_button_without_libreoffice(officer_client, monkeypatch):
    monkeypatch.setattr("cchc.web.views.soffice", lambda: None)
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    assert f'formaction="{export_url("xlsx")}"' in html
    assert f'formaction="{export_url("pdf")}"' not in html
    response = officer_client.get(export_url("pdf"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED})
    assert response.status_code == 404


def test_valid_figures_say_so_above_the_tables(officer_client):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    assert 'id="checked"' in html
    assert 'id="problems"' not in html


def test_broken_rules_are_shown_above_the_tables(officer_client, broken_statistics):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    assert 'id="problems"' in html
    problems = html.split('id="problems"')[1].split("</div>")[0]
    assert "Số liệu chưa khớp" in problems
    assert "resolved" in problems  # the rule names the figure
    assert html.index('id="problems"') < html.index('id="table-overall"')
    assert "sẽ hỏi xác nhận trước khi xuất" in html


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_export_of_broken_figures_asks_for_confirmation(officer_client, broken_statistics, fmt):
    params = {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED, "signer": "Lê Văn A"}
    response = officer_client.get(export_url(fmt), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Vẫn xuất báo cáo" in html
    assert 'name="confirm" value="1"' in html
    assert 'value="Lê Văn A"' in html  # what was typed is kept
    confirmed = officer_client.get(export_url(fmt), {**params, "confirm": "1"})
    assert confirmed.status_code == 200
    assert "attachment" in confirmed["Content-Disposition"]


def test_confirmed_xlsx_of_broken_figures_lists_them_first(officer_client, broken_statistics):
    response = officer_client.get(
        export_url("xlsx"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED, "confirm": "1"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Cần kiểm tra"


def test_too_long_document_number_is_a_form_error(officer_client):
    response = officer_client.get(
        export_url("docx"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED, "number": "9" * 30}
    )
    assert response.status_code == 400
    assert "Số văn bản" in response.content.decode()


@pytest.mark.parametrize("code", ["GL-KB", "QT", "NO-SUCH-UNIT"])
def test_export_outside_the_users_subtree_is_not_found(officer_client, kbang, code):
    response = officer_client.get(export_url("xlsx"), {"unit": code, **KBANG_PUBLISHED})
    assert response.status_code == 404


def test_unknown_format_is_not_found(officer_client):
    response = officer_client.get(export_url("odt"), {"unit": "QT-VL-KT", **KIM_THACH_PUBLISHED})
    assert response.status_code == 404
