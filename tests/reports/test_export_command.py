"""cchc export_report writes the documents and refuses figures that do not add up."""

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cchc.reports import pdf


def test_exports_docx_and_xlsx_for_a_regular_period(kim_thach, tmp_path):
    out = tmp_path / "report.docx"
    call_command(
        "export_report",
        unit="QT-VL-KT",
        kind="half",
        year=2023,
        output=str(out),
        doc_number="05",
        signer="Nguyễn Như Thanh",
        stdout=io.StringIO(),
    )
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả giải quyết thủ tục hành chính 6 tháng đầu năm 2023" in text
    assert "(số liệu từ ngày 15/12/2022 đến ngày 14/06/2023)" in text
    xlsx = tmp_path / "report.xlsx"
    call_command(
        "export_report",
        unit="QT-VL-KT",
        start="2022-12-15",
        end="2023-06-12",
        format="xlsx",
        output=str(xlsx),
        stdout=io.StringIO(),
    )
    assert "Theo lĩnh vực" in openpyxl.load_workbook(xlsx).sheetnames


def test_unknown_unit_and_missing_period_exit_2(kim_thach, tmp_path):
    with pytest.raises(CommandError) as unknown:
        call_command("export_report", unit="NOPE", kind="year", year=2023, output="x.docx")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as no_period:
        call_command("export_report", unit="QT-VL-KT", output=str(tmp_path / "x.docx"))
    assert no_period.value.returncode == 2


def test_pdf_without_libreoffice_exits_2(kim_thach, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_report",
            unit="QT-VL-KT",
            kind="half",
            year=2023,
            format="pdf",
            output=str(tmp_path / "x.pdf"),
        )
    assert refused.value.returncode == 2
    assert not (tmp_path / "x.pdf").exists()
