"""A CSV cell holding a control character (which DOCX and XLSX cannot hold) is a row error
with its line and column, never a stored value that later breaks an export; a NUL byte makes
the file unreadable as text (PostgreSQL cannot hold it either)."""

import pytest

from cchc.csvfiles import CsvFileError
from cchc.dossiers.exchange import import_dossiers
from cchc.dossiers.models import Dossier
from tests.dossiers.test_import import csv_bytes, row
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(tree):
    return ProcedureFactory(code="T3", field=FieldFactory(name="Hộ tịch"), processing_time=3)


@pytest.mark.parametrize("bad", ["\x01", "\x1b", "\x7f\x08"])
def test_a_control_character_in_a_cell_rejects_that_row_only(catalogue, bad):
    report = import_dossiers(csv_bytes(row(code="OK-1"), row(code=f"HS{bad}2"), row(code="OK-3")))
    assert report.imported == 2
    [error] = report.errors
    assert (error.line, error.column) == (3, "code")
    assert "ký tự" in str(error)
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["OK-1", "OK-3"]


def test_a_nul_byte_makes_the_file_unreadable_and_stores_nothing(catalogue):
    with pytest.raises(CsvFileError, match="NUL"):
        import_dossiers(csv_bytes(row(code="OK-1"), row(code="HS\x002")))
    assert not Dossier.objects.exists()
