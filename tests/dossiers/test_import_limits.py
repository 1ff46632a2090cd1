"""`import_dossiers` on big and broken files: streamed, errors capped, broken quotes counted
(issue 8, items 7 and 14)."""

import io

import pytest

from cchc.dossiers.exchange import import_dossiers
from cchc.dossiers.models import Dossier
from tests.dossiers.test_import import csv_bytes, row
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(tree):
    return ProcedureFactory(code="T3", field=FieldFactory(name="Hộ tịch"), processing_time=3)


def test_a_binary_file_is_read_as_a_stream_and_left_open(catalogue, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(row(code="A"), row(code="B")))
    with path.open("rb") as stream:
        report = import_dossiers(stream)
        assert not stream.closed
    assert (report.imported, report.errors) == (2, [])


def test_the_errors_kept_are_the_first_by_line_with_the_total(catalogue):
    rows = [row(code=f"X-{n}", channel="fax") for n in range(7)]
    # A repeated code is judged at the end of the file but lies on its first lines.
    data = csv_bytes(row(code="R"), row(code="R", status="bogus"), *rows)
    report = import_dossiers(data, max_errors=3)
    assert [e.line for e in report.errors] == [2, 3, 4]
    assert (report.errors_total, report.errors_truncated, report.rejected_lines) == (9, True, 9)
    assert "từ chối 9 dòng" in report.summary()
    full = import_dossiers(data)
    assert (len(full.errors), full.errors_truncated) == (9, False)


def test_an_unclosed_quote_rejects_every_line_it_swallowed_and_says_which(catalogue):
    good = [csv_bytes(row(code=f"G-{n}")).split(b"\n", 1)[1] for n in range(20)]
    data = (
        csv_bytes(row(code="A"))
        + 'B,P-D-1,T3,"Hộ tịch,direct,2023-03-01,processing\n'.encode()
        + b"".join(good)
    )
    report = import_dossiers(data)
    assert report.imported == 1
    [error] = report.errors
    assert (error.line, error.last_line, error.lines) == (3, 23, 21)
    assert str(error).startswith("dòng 3–23: dấu ngoặc kép mở ở dòng 3 không được đóng")
    assert report.rejected_lines == 21
    assert "từ chối 21 dòng" in report.summary()


def test_a_quote_closed_rows_later_rejects_those_rows_and_the_next_ones_are_read(catalogue):
    header, first = csv_bytes(row(code="A")).split(b"\n", 1)
    data = (
        f"{header.decode()}\n{first.decode()}"
        'B,P-D-1,T3,"Hộ tịch,direct,2023-03-01,processing\n'
        "C,P-D-1,T3,Hộ tịch,direct,2023-03-01,processing\n"
        'D,P-D-1,T3,"Hộ tịch",direct,2023-03-01,processing\n'
        "E,P-D-1,T3,Hộ tịch,direct,2023-03-01,processing\n"
    ).encode()
    report = import_dossiers(data)
    assert [(e.line, e.last_line) for e in report.errors] == [(3, 5)]
    assert report.rejected_lines == 3
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["A", "E"]


def test_a_width_error_across_lines_counts_the_lines(catalogue):
    data = csv_bytes(row(code="A")) + b'B,P-D-1,"x\ny\nz"\n'
    report = import_dossiers(data)
    [error] = report.errors
    assert (error.line, error.last_line, report.rejected_lines) == (3, 5, 3)
    assert "có thể một dấu ngoặc kép chưa được đóng" in error.reason


@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200c\u2060", " \ufeff "])
def test_a_code_of_invisible_characters_is_missing(catalogue, value):
    report = import_dossiers(csv_bytes(row(code=value)))
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "code", "thiếu giá trị bắt buộc")
    ]


def test_invisible_characters_inside_a_code_do_not_make_another_code(catalogue):
    import_dossiers(csv_bytes(row(code="A-1")))
    report = import_dossiers(io.BytesIO(csv_bytes(row(code="A-\u200b1"))))
    assert (report.imported, report.unchanged) == (0, 1)
