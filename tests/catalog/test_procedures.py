"""Loading procedures.csv: the catalogue is loaded whole or not at all."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.catalog.constants import TimeUnit
from cchc.catalog.models import Field, Procedure
from cchc.catalog.services import import_procedures_csv
from cchc.csvfiles import CsvFileError

pytestmark = pytest.mark.django_db

HEADER = "code,name,field,level,processing_days,online_level,fee\n"


def procedures_csv(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode("utf-8")


GOOD = procedures_csv(
    "1.001193,Đăng ký khai sinh,Hộ tịch,commune,3,full,0",
    "2.000908,Chứng thực bản sao,Chứng thực,commune,0,partial,2000",
    "X-4H,Xác nhận trong giờ,Chứng thực,commune,4h,none,",
    'X-HALF,Nửa ngày,Chứng thực,district,"0,5",,',
)


def test_procedures_load_with_days_hours_and_fields():
    report = import_procedures_csv(GOOD)
    assert (report.created, report.errors) == (4, [])
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.field.name, birth.processing_time, birth.time_unit, birth.online_level) == (
        "Hộ tịch",
        Decimal(3),
        TimeUnit.WORKING_DAYS,
        "full",
    )
    hours = Procedure.objects.get(code="X-4H")
    assert (hours.processing_time, hours.time_unit, hours.fee) == (4, TimeUnit.WORKING_HOURS, 0)
    half = Procedure.objects.get(code="X-HALF")
    assert (half.processing_time, half.online_level, half.level) == (
        Decimal("0.5"),
        "none",
        "district",
    )
    assert Procedure.objects.get(code="2.000908").fee == 2000
    assert Field.objects.count() == 2


def test_loading_again_changes_nothing_and_a_changed_row_updates():
    import_procedures_csv(GOOD)
    again = import_procedures_csv(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = import_procedures_csv(
        procedures_csv("1.001193,Đăng ký khai sinh,Hộ tịch,commune,5,full,0")
    )
    assert (changed.updated, changed.errors) == (1, [])
    assert Procedure.objects.get(code="1.001193").processing_time == 5


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "B,Thủ tục B,Hộ tịch,commune,3,mức 4,0",
            "dòng 3, cột online_level: mức độ trực tuyến 'mức 4' không hợp lệ (cần một trong: "
            "none, partial, full)",
        ),
        (
            "B,Thủ tục B,Hộ tịch,commune,ba ngày,full,0",
            "dòng 3, cột processing_days: thời hạn 'ba ngày' không hợp lệ",
        ),
        ("B,Thủ tục B,Hộ tịch,commune,NaN,full,0", "dòng 3, cột processing_days: thời hạn 'NaN'"),
        ("B,Thủ tục B,Hộ tịch,commune,-2,full,0", "dòng 3, cột processing_days: thời hạn '-2'"),
        ("B,Thủ tục B,Hộ tịch,commune,3,full,-5", "dòng 3, cột fee: phí '-5' không phải số"),
        ("B,Thủ tục B,Hộ tịch,commune,3,full,50.000", "dòng 3, cột fee: phí '50.000'"),
        (",Thủ tục B,Hộ tịch,commune,3,full,0", "dòng 3, cột code: thiếu giá trị bắt buộc"),
        ("B,Thủ tục B,Hộ tịch,commune,3,full", "dòng 3: dòng có 6 cột nhưng dòng tiêu đề có 7"),
    ],
)
def test_a_bad_row_rolls_back_the_whole_file(line, error):
    report = import_procedures_csv(
        procedures_csv("A,Thủ tục A,Lĩnh vực mới,commune,3,full,0", line)
    )
    assert len(report.errors) == 1
    assert report.errors[0].startswith(error)
    assert not Procedure.objects.exists()
    assert not Field.objects.exists()


def test_a_bad_row_after_good_ones_keeps_the_stored_catalogue_as_it_was():
    import_procedures_csv(GOOD)
    report = import_procedures_csv(
        procedures_csv(
            "1.001193,Đăng ký khai sinh,Hộ tịch,commune,10,full,0",
            "NEW,Thủ tục mới,Hộ tịch,commune,x,full,0",
        )
    )
    assert report.errors
    assert Procedure.objects.get(code="1.001193").processing_time == 3
    assert not Procedure.objects.filter(code="NEW").exists()


def test_every_error_of_the_file_is_listed():
    report = import_procedures_csv(
        procedures_csv(
            "A,Thủ tục A,Hộ tịch,commune,x,full,0",
            "B,Thủ tục B,Hộ tịch,commune,3,mức 3,y",
        )
    )
    assert [e.split(":")[0] for e in report.errors] == [
        "dòng 2, cột processing_days",
        "dòng 3, cột online_level",
        "dòng 3, cột fee",
    ]


def test_a_code_given_twice_with_different_data_is_an_error():
    report = import_procedures_csv(
        procedures_csv(
            "A,Thủ tục A,Hộ tịch,commune,3,full,0", "A,Thủ tục A,Hộ tịch,commune,5,full,0"
        )
    )
    assert report.errors == ["dòng 3, cột code: mã thủ tục 'A' đã có ở dòng 2 với dữ liệu khác"]
    assert not Procedure.objects.exists()


def test_unknown_columns_are_warned_about():
    data = (
        "code,name,field,level,processing_days,online_level,fee,postal\n"
        "A,Thủ tục A,Hộ tịch,commune,3,full,0,1\n"
    ).encode()
    report = import_procedures_csv(data)
    assert (report.created, report.warnings) == (1, ["Bỏ qua các cột không biết: postal."])


def test_missing_columns_make_the_file_unreadable():
    with pytest.raises(CsvFileError, match="Thiếu cột bắt buộc: fee"):
        import_procedures_csv(b"code,name,field,level,processing_days,online_level\n")


def test_command_exit_statuses(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(procedures_csv("A,Thủ tục A,Hộ tịch,commune,3,mức 4,0"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_procedures", str(good), stdout=out, stderr=err)
    assert out.getvalue() == "Thủ tục: thêm 4, cập nhật 0, không đổi 0.\n"
    with pytest.raises(CommandError) as caught:
        call_command("import_procedures", str(bad), stdout=out, stderr=err)
    assert (caught.value.returncode, str(caught.value)) == (1, "Không nạp thủ tục nào: 1 lỗi.")
    assert "dòng 2, cột online_level: mức độ trực tuyến 'mức 4'" in err.getvalue()
    with pytest.raises(CommandError) as caught:
        call_command("import_procedures", str(tmp_path / "none.csv"), stdout=out, stderr=err)
    assert caught.value.returncode == 2
