"""A page of the DOCX rendered through LibreOffice (DOCX → PDF → PNG), kept for a person to look at."""

import shutil
import subprocess

import pytest

from cchc.reports import pdf
from cchc.reports.period_report.docx import render_period_report_docx

from .conftest import load


def test_no_pdf_without_libreoffice(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert pdf.soffice() is None
    assert pdf.docx_to_pdf(b"not even a docx") is None


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["kim-thach-2023h1", "kbang-2023q1"])
def test_docx_renders_to_pdf_and_png_artifacts(folder, db, fixtures_dir, artifacts_dir):
    if pdf.soffice() is None:
        pytest.skip(
            "LibreOffice is not installed (apt-get install -y --no-install-recommends "
            "libreoffice-writer-nogui poppler-utils): no PDF rendering"
        )
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: no PNG of the PDF")
    loaded = load(fixtures_dir, folder)
    document = render_period_report_docx(
        loaded.stats, loaded.unit, loaded.period, number=5, signer="Nguyễn Văn A"
    )
    data = pdf.docx_to_pdf(document)
    assert data.startswith(b"%PDF")
    stem = f"report-{loaded.folder}"
    (artifacts_dir / f"{stem}.docx").write_bytes(document)
    (artifacts_dir / f"{stem}.pdf").write_bytes(data)
    for old in artifacts_dir.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            str(artifacts_dir / f"{stem}.pdf"),
            str(artifacts_dir / stem),
        ],
        check=True,
        timeout=120,
    )
    pages = sorted(artifacts_dir.glob(f"{stem}-*.png"))
    assert len(pages) >= 2
    assert all(page.stat().st_size > 10_000 for page in pages)
