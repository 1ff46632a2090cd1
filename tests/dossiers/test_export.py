"""The dossier CSV export: same format as the import, and it reads back to the same data."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from cchc.catalog.constants import TimeUnit
from cchc.dossiers.constants import Status
from cchc.dossiers.exchange import COLUMNS, import_dossiers, write_csv
from cchc.dossiers.models import Dossier, DossierPause
from cchc.workcalendar.calendar import VN_TZ
from tests.dossiers.test_import import csv_bytes, row
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

NOT_COMPARED = {"id", "created_at", "updated_at"}


@pytest.fixture
def catalogue(tree):
    field = FieldFactory(name="Hộ tịch")
    FieldFactory(name="Đất đai")  # a field of the catalogue without a procedure here
    return {
        "T3": ProcedureFactory(code="T3", field=field, processing_time=3, online_level="partial"),
        "T4H": ProcedureFactory(
            code="T4H",
            field=field,
            processing_time=4,
            time_unit=TimeUnit.WORKING_HOURS,
            online_level="full",
        ),
    }


def snapshot() -> tuple[list[dict], list[dict]]:
    """Every stored value of every dossier and pause, keys by code rather than by id."""
    names = [f.attname for f in Dossier._meta.concrete_fields if f.attname not in NOT_COMPARED]
    by_code = {
        "unit_id": "unit__code",
        "procedure_id": "procedure__code",
        "field_id": "field__name",
    }
    dossiers = list(Dossier.objects.order_by("code").values(*[by_code.get(n, n) for n in names]))
    pause_names = [
        f.attname
        for f in DossierPause._meta.concrete_fields
        if f.attname not in {"id", "dossier_id"}
    ]
    pauses = list(
        DossierPause.objects.order_by("dossier__code").values("dossier__code", *pause_names)
    )
    return dossiers, pauses


def export() -> str:
    stream = io.StringIO()
    write_csv(Dossier.objects.all(), stream)
    return stream.getvalue()


VARIED = [
    row(code="A"),
    row(code="B", received_at="2023-03-01T08:15:30", due_at="2023-03-08"),
    row(code="C", procedure_code="T4H", received_at="2023-03-03T15:00"),
    row(code="D", procedure_code="T4H", received_at="2023-03-03T15:00+00:00", due_at=""),
    row(
        code="E",
        status="resolved",
        resolved_at="2023-03-06T10:20",
        input_digitization="partial",
        result_digitized="1",
        fee="25000",
        paid_online="0",
    ),
    row(code="F", status="paused", paused_at="2023-03-02T14:00", online_level="none"),
    row(code="G", status="rejected", closed_at="2023-03-02", channel="online"),
    row(code="H", status="withdrawn", closed_at="2023-03-03", channel="postal"),
    row(code="I", procedure_code="", field="Đất đai", due_at="2023-03-20T11:00"),
    row(code='J, "quoted"\nline', unit_code="Q-1", status="resolved", resolved_at="2023-03-10"),
]


def test_export_then_import_into_an_empty_database_gives_back_every_value(catalogue):
    report = import_dossiers(csv_bytes(*VARIED))
    assert (report.imported, report.errors) == (len(VARIED), [])
    original = snapshot()
    assert (len(original[0]), len(original[1])) == (len(VARIED), 1)
    text = export()
    Dossier.objects.all().delete()
    assert not DossierPause.objects.exists()
    again = import_dossiers(text.encode("utf-8"))
    assert (again.imported, again.errors) == (len(VARIED), [])
    assert snapshot() == original


def test_export_writes_the_import_format(catalogue):
    import_dossiers(csv_bytes(*VARIED))
    rows = list(csv.DictReader(io.StringIO(export())))
    assert list(rows[0]) == list(COLUMNS)
    got = {r["code"]: r for r in rows}
    assert got["A"]["due_at"] == "2023-03-06"  # a day-based due date is a date
    assert got["C"]["due_at"] == "2023-03-06T09:30:00"  # an hour-based one keeps its time
    assert got["D"]["received_at"] == "2023-03-03T22:00:00"  # Vietnam time, no offset
    assert got["F"]["paused_at"] == "2023-03-02T14:00:00"
    assert (got["G"]["status"], got["G"]["closed_at"], got["G"]["resolved_at"]) == (
        "rejected",
        "2023-03-02",
        "",
    )
    assert got["E"]["resolved_at"] == "2023-03-06T10:20:00"
    assert (got["E"]["fee"], got["E"]["paid_online"], got["A"]["fee"]) == ("25000", "0", "")


def test_hours_based_due_date_survives_the_round_trip(catalogue):
    import_dossiers(csv_bytes(row(code="C", procedure_code="T4H", received_at="2023-03-03T15:00")))
    due = Dossier.objects.get().due_at
    assert due == dt.datetime(2023, 3, 6, 9, 30, tzinfo=VN_TZ)
    text = export()
    Dossier.objects.all().delete()
    # Even when the catalogue changes in between, the exported due date is what comes back.
    catalogue["T4H"].processing_time = 8
    catalogue["T4H"].save()
    import_dossiers(text.encode())
    assert Dossier.objects.get().due_at == due


def test_reimporting_an_export_of_dossiers_received_in_the_app_changes_nothing(catalogue, tree):
    DossierFactory(
        code="APP-1",
        unit=tree["P-D-1"],
        procedure=catalogue["T3"],
        received_at=dt.datetime(2023, 3, 1, 9, 41, 7, 123456, tzinfo=VN_TZ),
    )
    DossierFactory(
        code="APP-2",
        procedure=catalogue["T3"],
        status=Status.RETURNED,
        outcome="resolved",
        ended_at=dt.datetime(2023, 3, 2, 16, 5, 59, 999999, tzinfo=VN_TZ),
        ended_date=dt.date(2023, 3, 2),
        timeliness="early",
    )
    report = import_dossiers(export().encode())
    assert (report.imported, report.unchanged, report.errors) == (0, 2, [])


def test_export_command_writes_a_units_subtree_to_stdout_or_a_file(catalogue, tmp_path):
    import_dossiers(csv_bytes(*VARIED))
    out, err = io.StringIO(), io.StringIO()
    call_command("export_dossiers", unit="Q", stdout=out, stderr=err)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["code"] for r in rows] == ['J, "quoted"\nline']
    assert err.getvalue() == "Đã xuất 1 hồ sơ.\n"
    path = tmp_path / "out.csv"
    call_command("export_dossiers", output=str(path), bom=True, stderr=io.StringIO())
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcode,unit_code,")
    report = import_dossiers(data)
    assert (report.imported, report.unchanged, report.errors) == (0, len(VARIED), [])


HANDED_OVER = [
    row(code="R1", status="resolved", resolved_at="2023-03-06", returned_at="2023-03-07T10:00"),
    row(code="R0", status="resolved", resolved_at="2023-03-06", result_returned="0", fee="30000"),
    row(code="RU", status="resolved", resolved_at="2023-03-06", result_returned="1"),
    row(code="R?", status="resolved", resolved_at="2023-03-06", fee="30000"),  # not said
]


def test_the_hand_over_columns_tell_returned_not_yet_returned_and_not_said(catalogue):
    report = import_dossiers(csv_bytes(*HANDED_OVER))
    assert (report.imported, report.errors, report.warnings) == (4, [], [])
    got = {
        d.code: (d.status, d.returned_at is not None, d.return_tracked)
        for d in Dossier.objects.all()
    }
    assert got == {
        "R1": (Status.RETURNED, True, True),
        "R0": (Status.RESOLVED, False, True),  # resolved, its result not handed over yet
        "RU": (Status.RETURNED, False, False),  # handed over, at an unknown moment
        "R?": (Status.RESOLVED, False, False),  # as a file without the columns says it
    }
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(export()))}
    assert {code: (r["returned_at"], r["result_returned"]) for code, r in rows.items()} == {
        "R1": ("2023-03-07T10:00:00", "1"),
        "R0": ("", "0"),
        "RU": ("", "1"),
        "R?": ("", ""),
    }


def test_the_hand_over_survives_export_and_reimport_and_reads_unchanged(catalogue):
    import_dossiers(csv_bytes(*HANDED_OVER))
    original = snapshot()
    text = export()
    again = import_dossiers(text.encode())  # the same dossiers: nothing changes
    assert (again.imported, again.unchanged, again.errors) == (0, 4, [])
    Dossier.objects.all().delete()
    assert import_dossiers(text.encode()).errors == []
    assert snapshot() == original


def test_a_stored_hand_over_is_not_overwritten_by_a_file_that_says_otherwise(catalogue):
    import_dossiers(csv_bytes(HANDED_OVER[1]))
    report = import_dossiers(csv_bytes({**HANDED_OVER[1], "result_returned": "1"}))
    assert report.imported == 0
    assert [(e.line, e.column) for e in report.errors] == [(2, "code")]
    assert "result_returned" in report.errors[0].reason


RESOLVED = {"status": "resolved", "resolved_at": "2023-03-06"}


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"status": "processing", "result_returned": "1"}, "result_returned"),
        (
            {"status": "rejected", "closed_at": "2023-03-02", "returned_at": "2023-03-03"},
            "returned_at",
        ),
        ({**RESOLVED, "returned_at": "2023-03-05"}, "returned_at"),  # before its resolution
        ({**RESOLVED, "returned_at": "2023-03-07", "result_returned": "0"}, "result_returned"),
        ({**RESOLVED, "returned_at": "2099-01-01"}, "returned_at"),  # in the future
        ({**RESOLVED, "result_returned": "2"}, "result_returned"),
    ],
)
def test_a_hand_over_that_cannot_be_is_rejected_with_its_column(catalogue, values, column):
    report = import_dossiers(csv_bytes(row(code="X", **values)))
    assert report.imported == 0
    assert [e.column for e in report.errors] == [column]
