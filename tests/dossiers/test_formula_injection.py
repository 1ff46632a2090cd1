"""CSV text that a spreadsheet would run is neutralised, and reads back the same (item 3)."""

import csv
import io

import pytest

from cchc.catalog.models import Procedure
from cchc.catalog.services import import_procedures_csv
from cchc.dossiers.exchange import import_dossiers, write_csv
from cchc.dossiers.models import Dossier
from cchc.org.models import Unit
from cchc.org.services import import_units_csv
from cchc.spreadsheet_safety import csv_read_text, csv_text
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory, UnitFactory
from tests.spreadsheet_checks import AT, DDE, HYPERLINK, MINUS, PLUS


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (DDE, "'" + DDE),
        (AT, "'" + AT),
        (MINUS, "'" + MINUS),
        (PLUS, "'" + PLUS),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # an apostrophe already there survives the round trip
        ("'abc", "'abc"),
        ("Hộ tịch", "Hộ tịch"),
        ("2023-01-01", "2023-01-01"),
        ("", ""),
    ],
)
def test_csv_text_neutralises_formulas_and_reading_takes_it_back(value, written):
    assert csv_text(value) == written
    assert csv_read_text(written) == value


@pytest.fixture
def hostile(tree):
    unit = UnitFactory(code=MINUS, parent=tree["P-D"], level=tree["P-D-1"].level)
    procedure = ProcedureFactory(code=AT, field=FieldFactory(name=HYPERLINK), fee=8000)
    DossierFactory(code=DDE, unit=unit, procedure=procedure, fee=8000)
    DossierFactory(code="+1", unit=tree["P-D-1"], procedure=procedure)
    return unit


def exported() -> str:
    stream = io.StringIO()
    write_csv(Dossier.objects.all(), stream)
    return stream.getvalue()


def test_dossier_csv_neutralises_text_and_keeps_numbers(hostile):
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(exported()))}
    assert set(rows) == {"'" + DDE, "'+1"}
    row = rows["'" + DDE]
    assert (row["unit_code"], row["procedure_code"], row["field"]) == (
        "'" + MINUS,
        "'" + AT,
        "'" + HYPERLINK,
    )
    assert row["fee"] == "8000"
    assert row["received_at"] == "2023-03-01T08:00:00"


def test_dossier_csv_export_then_import_is_the_same(hostile):
    first = exported()
    stored = sorted(Dossier.objects.values_list("code", "unit__code", "procedure__code", "fee"))
    Dossier.objects.all().delete()
    report = import_dossiers(first.encode())
    assert (report.imported, report.errors) == (2, [])
    assert sorted(Dossier.objects.values_list("code", "unit__code", "procedure__code", "fee")) == (
        stored
    )
    assert exported() == first
    again = import_dossiers(first.encode())
    assert (again.imported, again.unchanged, again.errors) == (0, 2, [])


def test_units_and_procedures_csv_take_the_added_apostrophe_off(tree):
    units = (
        f"code,name,level,parent_code\n'{MINUS},\"'{HYPERLINK.replace('"', '""')}\",commune,P-D\n"
    )
    assert import_units_csv(units.encode()).errors == []
    assert Unit.objects.get(code=MINUS).name == HYPERLINK
    procedures = (
        "code,name,field,level,processing_days,online_level,fee\n"
        f"'{AT},'{PLUS},'-Hộ tịch,commune,3,none,0\n"
    )
    assert import_procedures_csv(procedures.encode()).errors == []
    procedure = Procedure.objects.get(code=AT)
    assert (procedure.name, procedure.field.name) == (PLUS, "-Hộ tịch")
