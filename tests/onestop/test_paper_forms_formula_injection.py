"""Hostile text in the tracking book stays text (issue 8 item 3)."""

import datetime as dt
import io

import openpyxl

from cchc.onestop.paper_forms.tracking_book import render_tracking_book
from tests.factories import DossierFactory, ProcedureFactory
from tests.spreadsheet_checks import AT, DDE, HYPERLINK, MINUS, PLUS, assert_text_cells

DAY = dt.date(2023, 3, 1)


def test_tracking_book_writes_applicant_texts_as_string_cells(tree):
    DossierFactory(
        unit=tree["P-D-1"],
        procedure=ProcedureFactory(name=MINUS),
        applicant_name=HYPERLINK,
        applicant_address=DDE,
        applicant_phone=PLUS,
        end_reason=AT,
        code="D-1",
    )
    data = render_tracking_book(tree["P-D"], DAY, DAY)
    found = assert_text_cells(data, at_least=4)
    assert {c.value for c in found} >= {HYPERLINK, MINUS, f"{DDE}, {PLUS}", AT}
    row = openpyxl.load_workbook(io.BytesIO(data)).active[6]
    assert (row[0].value, row[0].data_type) == (1, "n")  # STT stays a number
    assert row[5].value == dt.datetime(2023, 3, 1)  # and dates stay dates


def test_tracking_book_drops_control_characters_instead_of_failing(tree):
    DossierFactory(unit=tree["P-D-1"], applicant_name="Nguyễn\x01 Văn\x1f An", code="D-2")
    data = render_tracking_book(tree["P-D-1"], DAY, DAY)
    assert openpyxl.load_workbook(io.BytesIO(data)).active["D6"].value == "Nguyễn Văn An"
