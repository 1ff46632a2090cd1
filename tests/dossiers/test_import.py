"""`import_dossiers`: the dossier CSV of exchange-format.md §1, bad input included."""

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from cchc.catalog.constants import TimeUnit
from cchc.catalog.models import Field
from cchc.dossiers import exchange
from cchc.dossiers.exchange import COLUMNS, ImportFileError, import_dossiers, parse_moment
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause
from cchc.workcalendar.calendar import VN_TZ
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

BASE = {
    "code": "HS-1",
    "unit_code": "P-D-1",
    "procedure_code": "T3",
    "field": "Hộ tịch",
    "channel": "direct",
    "received_at": "2023-03-01",
    "status": "processing",
}


def row(**values) -> dict:
    return {**BASE, **values}


def csv_bytes(*rows: dict, header=None) -> bytes:
    if header is None:
        given = {key for r in rows for key in r}
        header = [c for c in COLUMNS if c in given] + sorted(given - set(COLUMNS))
    stream = io.StringIO()
    writer = csv.DictWriter(
        stream, fieldnames=header, lineterminator="\n", restval="", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def vn(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


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


def run_command(path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_dossiers", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def reasons(report) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in report.errors]


# ---------------------------------------------------------------------------- good input


def test_valid_rows_are_stored_with_their_pause_and_import_event(catalogue):
    report = import_dossiers(
        csv_bytes(
            row(code="A", status="resolved", resolved_at="2023-03-03", input_digitization="full"),
            row(code="B", status="paused", paused_at="2023-03-02", fee="50000", paid_online="1"),
            row(code="C", status="rejected", closed_at="2023-03-02", result_digitized="0"),
        ),
        source="test.csv",
    )
    assert (report.imported, report.unchanged, report.errors) == (3, 0, [])
    a = Dossier.objects.get(code="A")
    assert (a.outcome, a.ended_date, a.timeliness) == ("resolved", dt.date(2023, 3, 3), "early")
    assert (a.input_digitization, a.input_digitization_given) == ("full", True)
    assert a.online_level == "partial"  # from the procedure when the file leaves it empty
    b = Dossier.objects.get(code="B")
    assert (b.status, b.fee, b.paid_online, b.ever_paused) == ("supplement", 50000, True, True)
    pause = DossierPause.objects.get(dossier=b)
    assert (pause.started_date, pause.resumed_at) == (dt.date(2023, 3, 2), None)
    assert Dossier.objects.get(code="C").result_digitized is False
    event = DossierEvent.objects.get(dossier=a)
    assert (event.action, event.data) == ("imported", {"line": 2, "source": "test.csv"})


def test_a_bom_is_accepted(catalogue):
    report = import_dossiers(b"\xef\xbb\xbf" + csv_bytes(row()))
    assert (report.imported, report.errors) == (1, [])


def test_columns_come_in_any_order_and_unknown_ones_are_ignored_with_a_warning(catalogue):
    header = ["status", "note", "received_at", "channel", "field", "unit_code", "code"]
    data = csv_bytes({**row(), "note": "ghi chú"}, header=header)
    report = import_dossiers(data)
    assert (report.imported, report.errors) == (1, [])
    assert report.warnings == ["Bỏ qua các cột không biết: note."]
    assert Dossier.objects.get().procedure is None


def test_date_time_without_offset_is_vietnam_time_and_an_offset_is_honoured(catalogue):
    import_dossiers(
        csv_bytes(
            row(code="A", received_at="2023-03-01T08:30"),
            row(code="B", received_at="2023-03-01T01:30:15Z"),
            row(code="C", received_at="2023-03-01T08:30:15+07:00"),
            row(code="D", received_at="2023-03-01T20:00-05:00"),
        )
    )
    got = {d.code: d for d in Dossier.objects.all()}
    assert got["A"].received_at == vn(2023, 3, 1, 8, 30)
    assert got["B"].received_at == vn(2023, 3, 1, 8, 30, 15)
    assert got["C"].received_at == vn(2023, 3, 1, 8, 30, 15)
    # 20:00 at UTC-5 is 08:00 on the next day in Vietnam: the received date is Vietnam's.
    assert (got["D"].received_at, got["D"].received_date) == (
        vn(2023, 3, 2, 8, 0),
        dt.date(2023, 3, 2),
    )


def test_a_date_is_taken_at_midnight_and_a_due_date_at_office_close(catalogue):
    import_dossiers(csv_bytes(row(due_at="2023-03-10")))
    d = Dossier.objects.get()
    assert d.received_at == vn(2023, 3, 1, 0, 0)
    assert (d.due_at, d.due_date, d.initial_due_date) == (
        vn(2023, 3, 10, 17, 0),
        dt.date(2023, 3, 10),
        dt.date(2023, 3, 10),
    )


def test_empty_due_date_is_computed_in_working_days_or_hours(catalogue):
    import_dossiers(
        csv_bytes(
            row(code="DAYS"),  # Wed 1 March + 3 working days
            row(code="HOURS", procedure_code="T4H", received_at="2023-03-03T15:00"),
        )
    )
    days = Dossier.objects.get(code="DAYS")
    assert days.due_at == vn(2023, 3, 6, 17, 0)
    hours = Dossier.objects.get(code="HOURS")
    # Friday 15:00–17:00 is 2 hours, Monday 07:30–09:30 the other 2.
    assert hours.due_at == vn(2023, 3, 6, 9, 30)


def test_a_decomposed_field_name_matches_the_catalogue(catalogue):
    report = import_dossiers(csv_bytes(row(field=unicodedata.normalize("NFD", "Hộ tịch"))))
    assert (report.imported, report.warnings) == (1, [])
    assert Dossier.objects.get().field == catalogue["T3"].field


def test_a_field_of_the_catalogue_without_the_procedure_is_taken(catalogue):
    report = import_dossiers(csv_bytes(row(procedure_code="", field="Đất đai")))
    assert (report.imported, report.errors, report.warnings) == (1, [], [])
    assert Dossier.objects.get().field.name == "Đất đai"


def test_an_unknown_field_is_a_row_error_and_never_added_to_the_catalogue(catalogue):
    fields = Field.objects.count()
    report = import_dossiers(
        csv_bytes(row(code="A"), row(code="B", field="<img src=x onerror=alert(1)>"))
    )
    assert report.imported == 1
    assert [str(e) for e in report.errors] == [
        "dòng 3, cột field: không có lĩnh vực '<img src=x onerror=alert(1)>' trong danh mục "
        "lĩnh vực"
    ]
    assert (Field.objects.count(), report.warnings) == (fields, [])


def test_blank_lines_are_skipped_and_numbering_follows_the_file(catalogue):
    b_line = csv_bytes(row(code="B", channel="fax")).split(b"\n", 1)[1]
    report = import_dossiers(csv_bytes(row(code="A")) + b"\n,,,,,,\n" + b_line)
    assert report.imported == 1
    assert reasons(report) == [(5, "channel")]


# ---------------------------------------------------------------------------- bad rows


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-02-30", "'2023-02-30': ngày không có thật, tháng 2/2023 chỉ có 28 ngày"),
        ("2024-02-30", "tháng 2/2024 chỉ có 29 ngày"),
        ("2023-13-01", "không có tháng 13"),
        ("01/03/2023", "viết theo kiểu ngày/tháng/năm; tệp trao đổi dùng dạng YYYY-MM-DD"),
        ("2023-3-1", "không phải ngày dạng YYYY-MM-DD"),
        ("2023-03-01T24:00", "giờ không hợp lệ"),
        ("2023-03-01T08:00+25:00", "múi giờ không hợp lệ"),
        ("0023-03-01", "năm 23 nằm ngoài khoảng 1990–2100"),
        ("hôm qua", "không phải ngày dạng YYYY-MM-DD"),
    ],
)
def test_a_wrong_date_is_rejected_naming_line_column_and_value(catalogue, value, expected):
    report = import_dossiers(csv_bytes(row(code="OK"), row(code="BAD", received_at=value)))
    assert report.imported == 1
    assert reasons(report) == [(3, "received_at")]
    assert expected in report.errors[0].reason
    assert str(report.errors[0]).startswith("dòng 3, cột received_at: ")
    assert list(Dossier.objects.values_list("code", flat=True)) == ["OK"]


def test_parse_moment_reads_dates_and_date_times():
    assert parse_moment(" 2023-03-01 ", "x") == vn(2023, 3, 1)
    assert parse_moment("2023-03-01", "x", default_time=dt.time(17)) == vn(2023, 3, 1, 17)
    assert parse_moment("2023-03-01T08:00:00.5", "x") == vn(2023, 3, 1, 8, 0, 0, 500000)
    assert parse_moment("2023-03-01 08:00", "x") == vn(2023, 3, 1, 8, 0)


def test_dates_in_the_future_are_rejected(catalogue):
    tomorrow = (dt.datetime.now(VN_TZ).date() + dt.timedelta(days=1)).isoformat()
    report = import_dossiers(
        csv_bytes(
            row(code="A", received_at=tomorrow),
            row(code="B", status="resolved", resolved_at=tomorrow),
            row(code="C", due_at=tomorrow),  # an appointment may lie ahead
        )
    )
    assert reasons(report) == [(2, "received_at"), (3, "resolved_at")]
    assert "ở tương lai" in report.errors[0].reason
    assert list(Dossier.objects.values_list("code", flat=True)) == ["C"]


def test_dates_before_receipt_are_rejected(catalogue):
    report = import_dossiers(
        csv_bytes(
            row(code="A", status="resolved", resolved_at="2023-02-28"),
            row(code="B", due_at="2023-02-27"),
        )
    )
    assert reasons(report) == [(2, "resolved_at"), (3, "due_at")]
    assert report.errors[0].reason == "ngày 28/02/2023 trước ngày tiếp nhận 01/03/2023"
    assert not Dossier.objects.exists()


def test_unknown_unit_is_rejected_and_the_good_rows_are_stored(catalogue):
    report = import_dossiers(csv_bytes(row(code="A"), row(code="B", unit_code="NOPE")))
    assert report.imported == 1
    assert [str(e) for e in report.errors] == [
        "dòng 3, cột unit_code: không có đơn vị mã 'NOPE' trong cây đơn vị"
    ]
    assert list(Dossier.objects.values_list("code", flat=True)) == ["A"]


def test_unknown_procedure_is_rejected(catalogue):
    report = import_dossiers(csv_bytes(row(procedure_code="9.999")))
    assert reasons(report) == [(2, "procedure_code")]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        (
            {"status": "resolved"},
            "resolved_at",
            "hồ sơ đã giải quyết (resolved) phải có ngày giải quyết",
        ),
        (
            {"status": "withdrawn"},
            "closed_at",
            "hồ sơ bị từ chối hoặc rút (rejected, withdrawn) phải có ngày kết thúc",
        ),
        (
            {"status": "paused"},
            "paused_at",
            "hồ sơ tạm dừng (paused) phải có ngày bắt đầu tạm dừng",
        ),
        (
            {"status": "processing", "closed_at": "2023-03-02"},
            "closed_at",
            "trạng thái 'processing' không có giá trị ở cột này",
        ),
        (
            {"status": "resolved", "resolved_at": "2023-03-02", "paused_at": "2023-03-02"},
            "paused_at",
            "trạng thái 'resolved' không có giá trị ở cột này",
        ),
    ],
)
def test_status_and_its_date_column_must_agree(catalogue, values, column, reason):
    report = import_dossiers(csv_bytes(row(**values)))
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(2, column, reason)]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"channel": "fax"}, "channel"),
        ({"status": "done"}, "status"),
        ({"online_level": "4"}, "online_level"),
        ({"input_digitization": "yes"}, "input_digitization"),
        ({"result_digitized": "true"}, "result_digitized"),
        ({"paid_online": "2"}, "paid_online"),
        ({"fee": "50.000"}, "fee"),
        ({"fee": "-1"}, "fee"),
        ({"fee": "99999999999999999999"}, "fee"),
        ({"code": "X" * 65}, "code"),
        ({"field": "L" * 256}, "field"),
        ({"unit_code": ""}, "unit_code"),
    ],
)
def test_a_bad_value_is_rejected_naming_its_column(catalogue, values, column):
    report = import_dossiers(csv_bytes(row(**values)))
    assert reasons(report) == [(2, column)]
    assert not Dossier.objects.exists()


def test_every_problem_of_a_row_is_listed(catalogue):
    report = import_dossiers(
        csv_bytes(row(unit_code="NOPE", channel="fax", received_at="2023-02-30", fee="x"))
    )
    assert reasons(report) == [(2, "unit_code"), (2, "channel"), (2, "received_at"), (2, "fee")]
    assert report.rejected_lines == 1
    assert "từ chối 1 dòng" in report.summary()


def test_a_rejected_row_adds_no_field_to_the_catalogue(catalogue):
    report = import_dossiers(csv_bytes(row(field="Lĩnh vực lạ", channel="fax")))
    assert report.errors
    assert not Field.objects.filter(name="Lĩnh vực lạ").exists()
    assert report.warnings == []


def test_a_ragged_row_is_rejected_with_the_number_of_columns(catalogue):
    data = csv_bytes(row(code="A")) + (
        "B,P-D-1,T3\nC,P-D-1,T3,Hộ tịch,direct,2023-03-01,processing,extra\n".encode()
    )
    report = import_dossiers(data)
    assert [str(e) for e in report.errors] == [
        "dòng 3: dòng có 3 cột nhưng dòng tiêu đề có 7 cột",
        "dòng 4: dòng có 8 cột nhưng dòng tiêu đề có 7 cột",
    ]
    assert list(Dossier.objects.values_list("code", flat=True)) == ["A"]


def test_lines_are_counted_in_the_file_when_a_quoted_value_spans_lines(catalogue):
    data = csv_bytes(
        {**row(code="A"), "note": "dòng một\ndòng hai\ndòng ba"},
        {**row(code="B", channel="fax"), "note": ""},
        {**row(code="C", channel="fax"), "note": "x\ny"},
    )
    report = import_dossiers(data)
    # A is on lines 2-4, B on line 5, C starts on line 6.
    assert reasons(report) == [(5, "channel"), (6, "channel")]
    assert list(Dossier.objects.values_list("code", flat=True)) == ["A"]


def test_the_same_row_twice_in_a_file_is_stored_once(catalogue):
    report = import_dossiers(csv_bytes(row(code="A"), row(code="B"), row(code="A")))
    assert (report.imported, report.unchanged, report.errors) == (2, 1, [])


def test_a_code_given_twice_with_different_data_is_rejected_on_both_lines(catalogue):
    report = import_dossiers(
        csv_bytes(
            row(code="A"),
            row(code="OK"),
            row(code="A", status="resolved", resolved_at="2023-03-02"),
        )
    )
    assert report.imported == 1
    assert reasons(report) == [(2, "code"), (4, "code")]
    assert report.errors[0].reason.startswith(
        "mã hồ sơ 'A' cũng có ở dòng 4 với dữ liệu khác (status: trong dòng này "
        "'processing', dòng 4 'resolved'; resolved_at:"
    )
    assert list(Dossier.objects.values_list("code", flat=True)) == ["OK"]


def test_a_code_repeated_on_a_bad_line_is_not_stored_either(catalogue):
    report = import_dossiers(csv_bytes(row(code="A"), row(code="A", channel="fax")))
    assert reasons(report) == [(2, "code"), (3, "channel")]
    assert "còn có ở dòng 3, là dòng bị lỗi" in report.errors[0].reason
    assert not Dossier.objects.exists()


def test_a_code_already_stored_with_different_data_is_rejected_not_overwritten(catalogue):
    import_dossiers(csv_bytes(row(code="A")))
    report = import_dossiers(
        csv_bytes(row(code="A", status="resolved", resolved_at="2023-03-02"), row(code="B"))
    )
    assert (report.imported, report.unchanged) == (1, 0)
    assert [str(e) for e in report.errors] == [
        "dòng 2, cột code: mã hồ sơ 'A' đã có trong hệ thống với dữ liệu khác (status: trong "
        "dòng này 'resolved', trong hệ thống 'processing'; resolved_at: trong dòng này "
        "'2023-03-02', trong hệ thống '(trống)'); không ghi đè"
    ]
    assert Dossier.objects.get(code="A").status == "processing"


def test_reimporting_the_same_file_changes_nothing(catalogue):
    data = csv_bytes(
        row(code="A", received_at="2023-03-01T08:15:30"),
        row(code="B", status="paused", paused_at="2023-03-02T10:00+07:00"),
        row(code="C", procedure_code="T4H", status="resolved", resolved_at="2023-03-02"),
        row(
            code="D", procedure_code="", field="Đất đai", status="withdrawn", closed_at="2023-03-01"
        ),
    )
    first = import_dossiers(data)
    assert (first.imported, first.errors) == (4, [])
    before = list(Dossier.objects.order_by("code").values())
    counts = (DossierPause.objects.count(), DossierEvent.objects.count(), Field.objects.count())
    again = import_dossiers(data)
    assert (again.imported, again.unchanged, again.errors, again.warnings) == (0, 4, [], [])
    assert list(Dossier.objects.order_by("code").values()) == before
    assert (
        DossierPause.objects.count(),
        DossierEvent.objects.count(),
        Field.objects.count(),
    ) == counts


@pytest.mark.parametrize("folder", ["kim-thach-2023h1", "kbang-2023q1"])
def test_reimporting_a_fixture_file_changes_nothing(fixtures_dir, folder):
    path = fixtures_dir / folder
    call_command("import_units", str(path / "units.csv"), stdout=io.StringIO())
    call_command("import_procedures", str(path / "procedures.csv"), stdout=io.StringIO())
    data = (path / "dossiers.csv").read_bytes()
    rows = len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1
    first = import_dossiers(data)
    assert (first.imported, first.errors) == (rows, [])
    before = list(Dossier.objects.order_by("code").values())
    events = DossierEvent.objects.count()
    again = import_dossiers(data)
    assert (again.imported, again.unchanged, again.errors) == (0, rows, [])
    assert list(Dossier.objects.order_by("code").values()) == before
    assert DossierEvent.objects.count() == events


def test_a_row_the_database_refuses_is_not_half_written(catalogue, monkeypatch):
    # The pause of B fails: the chunk is retried row by row, and B leaves no dossier behind.
    real_insert = exchange._Inserter.insert

    def insert(self, rows):
        pauses = "started_at" in self.names
        if pauses and any(r["started_at"].date() == dt.date(2023, 3, 3) for r in rows):
            raise IntegrityError("pause refused")
        return real_insert(self, rows)

    monkeypatch.setattr(exchange._Inserter, "insert", insert)
    report = import_dossiers(
        csv_bytes(
            row(code="A"),
            row(code="B", status="paused", paused_at="2023-03-03"),
            row(code="C", status="paused", paused_at="2023-03-02"),
        )
    )
    assert report.imported == 2
    assert [(e.line, e.column) for e in report.errors] == [(3, "")]
    assert "cơ sở dữ liệu từ chối dòng" in report.errors[0].reason
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["A", "C"]
    assert DossierPause.objects.get().dossier.code == "C"
    assert DossierEvent.objects.count() == 2


# ---------------------------------------------------------------------------- bad files


def test_a_file_that_is_not_utf8_is_refused_whole(catalogue):
    data = (
        csv_bytes(row(code="A"), row(code="B", field="Đất đai"))
        .decode()
        .encode("cp1258", "replace")
    )
    with pytest.raises(ImportFileError) as caught:
        import_dossiers(data)
    assert "Tệp không phải UTF-8: dòng 3" in str(caught.value)
    assert not Dossier.objects.exists()


def test_a_missing_required_column_is_named(catalogue):
    header = ["code", "unit_code", "field", "received_at", "status"]
    with pytest.raises(ImportFileError) as caught:
        import_dossiers(csv_bytes(row(), header=header))
    assert str(caught.value).startswith("Thiếu cột bắt buộc: channel.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"\n\ncode,unit_code\n", "dòng đầu tiên (dòng tiêu đề) trống"),
        (b"\xff\xfec\x00o\x00d\x00e\x00", "UTF-16"),
        (b"PK\x03\x04\x14\x00", "Excel"),
        (b"code,code,unit_code\n", "cột trùng tên: code"),
        (("code,x\n" + "a,b\n").encode() + b"\x00\n", "ký tự NUL ở dòng 3"),
    ],
)
def test_an_unreadable_file_says_why(catalogue, data, message):
    with pytest.raises(ImportFileError) as caught:
        import_dossiers(data)
    assert message in str(caught.value)


def test_a_file_with_only_a_header_imports_nothing(catalogue):
    report = import_dossiers(csv_bytes(header=list(BASE)))
    assert (report.imported, report.errors) == (0, [])


# ---------------------------------------------------------------------------- the command


def test_command_exits_0_and_prints_the_summary(catalogue, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(row(code="A"), row(code="B")))
    code, out, err = run_command(path)
    assert (code, out, err) == (
        0,
        "Đã nhập 2 hồ sơ, 0 hồ sơ không đổi (đã có), từ chối 0 dòng.\n",
        "",
    )


def test_command_exits_1_listing_each_rejected_row_and_warning_on_stderr(catalogue, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(
        csv_bytes(
            {**row(code="A"), "ghi_chu": ""},
            {**row(code="B", unit_code="NOPE"), "ghi_chu": ""},
            {**row(code="C", received_at="2023-02-30"), "ghi_chu": ""},
        )
    )
    code, out, err = run_command(path)
    assert code == 1
    assert out.splitlines() == [
        "dòng 3, cột unit_code: không có đơn vị mã 'NOPE' trong cây đơn vị",
        "dòng 4, cột received_at: '2023-02-30': ngày không có thật, tháng 2/2023 chỉ có 28 ngày",
        "Đã nhập 1 hồ sơ, 0 hồ sơ không đổi (đã có), từ chối 2 dòng.",
    ]
    assert err == "Bỏ qua các cột không biết: ghi_chu.\n"
    assert list(Dossier.objects.values_list("code", flat=True)) == ["A"]
    code, out, _err = run_command(path)
    assert code == 1
    assert out.splitlines()[-1] == "Đã nhập 0 hồ sơ, 1 hồ sơ không đổi (đã có), từ chối 2 dòng."


def test_command_exits_2_when_the_file_is_not_utf8(catalogue, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(row(field="Đất đai")).decode().encode("cp1258", "replace"))
    with pytest.raises(CommandError) as caught:
        call_command("import_dossiers", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "Tệp không phải UTF-8" in str(caught.value)
    assert not Dossier.objects.exists()


def test_command_exits_2_when_a_column_is_missing_or_the_file_is_absent(catalogue, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"code,unit_code\nA,P-D-1\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_dossiers", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "Thiếu cột bắt buộc: field, channel, received_at, status." in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("import_dossiers", str(tmp_path / "none.csv"), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "không có tệp này" in str(caught.value)
