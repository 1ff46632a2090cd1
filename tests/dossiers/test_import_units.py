"""`import_dossiers`: a code is a key within its receiving unit, and an import for a person
stays inside their scope (issue 8, item 1)."""

import pytest

from cchc.dossiers.exchange import import_dossiers
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.org.models import Unit
from tests.dossiers.test_import import csv_bytes, row
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(tree):
    return ProcedureFactory(code="T3", field=FieldFactory(name="Hộ tịch"), processing_time=3)


def scope_of(*codes: str):
    return Unit.objects.filter(code__in=codes)


def test_the_same_code_in_two_units_is_two_dossiers(catalogue):
    data = csv_bytes(row(code="A", unit_code="P-D-1"), row(code="A", unit_code="Q-1"))
    report = import_dossiers(data)
    assert (report.imported, report.errors) == (2, [])
    assert sorted(Dossier.objects.values_list("unit__code", "code")) == [
        ("P-D-1", "A"),
        ("Q-1", "A"),
    ]
    assert DossierEvent.objects.count() == 2
    again = import_dossiers(data)
    assert (again.imported, again.unchanged, again.errors) == (0, 2, [])


def test_another_units_dossier_neither_blocks_a_code_nor_is_quoted(catalogue, tree):
    DossierFactory(code="KB-1", unit=tree["Q-1"], procedure=catalogue)
    report = import_dossiers(
        csv_bytes(row(code="KB-1", unit_code="P-D-1", status="resolved", resolved_at="2023-03-02")),
        scope=scope_of("P-D", "P-D-1", "P-D-2"),
    )
    assert (report.imported, report.errors) == (1, [])
    mine = Dossier.objects.get(code="KB-1", unit=tree["P-D-1"])
    assert mine.outcome == "resolved"
    assert Dossier.objects.get(code="KB-1", unit=tree["Q-1"]).outcome == ""


def test_a_stored_dossier_of_the_unit_is_still_compared_and_not_overwritten(catalogue, tree):
    import_dossiers(csv_bytes(row(code="A", unit_code="P-D-1")))
    report = import_dossiers(
        csv_bytes(row(code="A", unit_code="P-D-1", status="resolved", resolved_at="2023-03-02")),
        scope=scope_of("P-D-1"),
    )
    assert report.imported == 0
    assert [(e.line, e.column) for e in report.errors] == [(2, "code")]
    assert "đã có trong hệ thống với dữ liệu khác" in report.errors[0].reason
    assert Dossier.objects.get().outcome == ""


def test_a_row_outside_the_scope_gets_the_answer_of_a_unit_that_does_not_exist(catalogue):
    report = import_dossiers(
        csv_bytes(
            row(code="A", unit_code="P-D-1"),
            row(code="B", unit_code="Q-1"),
            row(code="C", unit_code="NOPE"),
        ),
        scope=scope_of("P-D-1"),
    )
    assert report.imported == 1
    assert [e.reason for e in report.errors] == [
        "đơn vị 'Q-1' không có hoặc nằm ngoài phạm vi của bạn",
        "đơn vị 'NOPE' không có hoặc nằm ngoài phạm vi của bạn",
    ]
    assert list(Dossier.objects.values_list("code", flat=True)) == ["A"]


def test_one_code_twice_in_a_file_for_two_units_is_not_a_repetition(catalogue):
    report = import_dossiers(
        csv_bytes(
            row(code="A", unit_code="P-D-1"),
            row(code="A", unit_code="P-D-2", status="resolved", resolved_at="2023-03-02"),
            row(code="B", unit_code="P-D-1"),
            row(code="B", unit_code="P-D-1", channel="online"),
        )
    )
    assert report.imported == 2
    assert [(e.line, e.column) for e in report.errors] == [(4, "code"), (5, "code")]
    assert sorted(Dossier.objects.values_list("unit__code", "code")) == [
        ("P-D-1", "A"),
        ("P-D-2", "A"),
    ]
