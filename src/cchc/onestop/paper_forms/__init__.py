"""The paper forms of the one-stop desk (Thông tư 03/2025/TT-VPCP Mẫu 01–07): the forms of a
dossier (receipt, supplement request, rejection, apology, stop notice, process control slip) as
DOCX or PDF (documents.py), the tracking book as XLSX (tracking_book.py), and the hand-overs the
control slip lists (handovers.py).

Not to be mistaken for the one-stop's Django forms (cchc.onestop.forms), the reform office's
statistical forms 1–7 (cchc.reform.statistical_forms) or the period statistics report
(cchc.reports.period_report).
"""

from .documents import (
    FORM_KINDS,
    TRACK_SIGNING_SALT,
    public_status_url,
    qr_png,
    render_form,
    render_form_pdf,
)
from .tracking_book import render_tracking_book

__all__ = [
    "FORM_KINDS",
    "TRACK_SIGNING_SALT",
    "public_status_url",
    "qr_png",
    "render_form",
    "render_form_pdf",
    "render_tracking_book",
]
