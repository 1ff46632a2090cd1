"""The period report as PDF: its DOCX converted by LibreOffice (cchc.reports.pdf)."""

from ..pdf import docx_to_pdf, soffice
from .docx import render_period_report_docx


def render_period_report_pdf(stats, unit, period, **options) -> bytes | None:
    """The report of render_period_report_docx (same arguments) as PDF, or None without
    LibreOffice."""
    if soffice() is None:
        return None
    return docx_to_pdf(render_period_report_docx(stats, unit, period, **options))
