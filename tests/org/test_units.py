"""Loading the unit tree: units.csv (any depth, levels as data) and the official 2-tier tree."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.csvfiles import CsvFileError
from cchc.org.models import Unit, UnitLevel
from cchc.org.services import import_units_csv, load_official_units
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"


def units_csv(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode("utf-8")


THREE_TIERS = units_csv(
    "GL-KB-01,Thị trấn Kbang,commune,GL-KB",  # before its parent
    "GL-KB,Huyện Kbang,district,GL",
    "GL,Tỉnh Gia Lai,province,",
    "GL-KB-02,Xã Đăk Rong,commune,GL-KB",
)


def paths() -> dict[str, tuple[str, int, str]]:
    return {u.code: (u.path, u.depth, u.level.name) for u in Unit.objects.select_related("level")}


def test_a_three_tier_tree_loads_with_parents_after_children():
    report = import_units_csv(THREE_TIERS)
    assert (report.created, report.errors) == (4, [])
    assert paths() == {
        "GL": ("/GL/", 0, "province"),
        "GL-KB": ("/GL/GL-KB/", 1, "district"),
        "GL-KB-01": ("/GL/GL-KB/GL-KB-01/", 2, "commune"),
        "GL-KB-02": ("/GL/GL-KB/GL-KB-02/", 2, "commune"),
    }
    assert UnitLevel.objects.get(name="district").rank == 2


def test_a_two_tier_tree_since_july_2025_loads_alike():
    report = import_units_csv(
        units_csv(
            "GL,Tỉnh Gia Lai,province,", "GL-X1,Xã Kbang,commune,GL", "GL-X2,Xã Sơn Lang,commune,GL"
        )
    )
    assert (report.created, report.errors) == (3, [])
    assert paths()["GL-X1"] == ("/GL/GL-X1/", 1, "commune")


def test_a_deeper_tree_with_a_level_name_of_its_own_loads():
    report = import_units_csv(
        units_csv(
            "V,Việt Nam,country,",
            "V-1,Tỉnh A,province,V",
            "V-1-1,Huyện B,district,V-1",
            "V-1-1-1,Xã C,commune,V-1-1",
            "V-1-1-1-1,Thôn D,hamlet,V-1-1-1",
        )
    )
    assert report.errors == []
    assert paths()["V-1-1-1-1"] == ("/V/V-1/V-1-1/V-1-1-1/V-1-1-1-1/", 4, "hamlet")


def test_loading_the_same_file_again_changes_nothing_and_a_rename_updates():
    import_units_csv(THREE_TIERS)
    again = import_units_csv(THREE_TIERS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    renamed = import_units_csv(units_csv("GL-KB-02,Xã Đăk Rong (mới),commune,GL-KB"))
    assert (renamed.updated, renamed.errors) == (1, [])
    assert Unit.objects.get(code="GL-KB-02").name == "Xã Đăk Rong (mới)"


def test_an_unknown_parent_rejects_the_whole_file():
    report = import_units_csv(
        units_csv(
            "GL,Tỉnh Gia Lai,province,", "GL-KB,Huyện Kbang,district,GL", "X-1,Xã X,commune,X"
        )
    )
    assert report.errors == [
        "dòng 4, cột parent_code: không có đơn vị cấp trên mã 'X' (trong tệp hay trong hệ thống)"
    ]
    assert not Unit.objects.exists()


def test_a_parent_loop_is_named():
    report = import_units_csv(units_csv("A,A,district,B", "B,B,district,A", "C,C,commune,C"))
    assert report.errors == [
        "dòng 2, cột parent_code: các đơn vị làm cấp trên của nhau thành vòng: A → B → A",
        "dòng 3, cột parent_code: các đơn vị làm cấp trên của nhau thành vòng: A → B → A",
        "dòng 4, cột parent_code: đơn vị không thể là cấp trên của chính nó",
    ]
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (",Không mã,commune,", "dòng 3, cột code: thiếu giá trị bắt buộc"),
        ("A/B,Xã,commune,", "dòng 3, cột code: mã đơn vị không được chứa '/'"),
        ("A,Xã A,Cấp xã,", "dòng 3, cột level: tên cấp 'Cấp xã' không hợp lệ"),
        ("A,Xã A,commune", "dòng 3: dòng có 3 cột nhưng dòng tiêu đề có 4 cột"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(line, error):
    report = import_units_csv(units_csv("GL,Tỉnh Gia Lai,province,", line))
    assert len(report.errors) == 1
    assert report.errors[0].startswith(error)
    assert not Unit.objects.exists()


def test_a_code_given_twice_with_different_data_is_an_error():
    report = import_units_csv(units_csv("GL,Tỉnh Gia Lai,province,", "GL,Gia Lai,province,"))
    assert report.errors == ["dòng 3, cột code: mã đơn vị 'GL' đã có ở dòng 2 với dữ liệu khác"]


def test_a_unit_without_dossiers_can_move_and_its_subtree_follows():
    import_units_csv(THREE_TIERS)
    # 1 July 2025: the district is abolished, its communes go straight under the province.
    report = import_units_csv(units_csv("GL-KB-01,Thị trấn Kbang,commune,GL"))
    assert (report.updated, report.errors) == (1, [])
    assert paths()["GL-KB-01"] == ("/GL/GL-KB-01/", 1, "commune")
    import_units_csv(units_csv("GL-KB,Huyện Kbang,district,GL-KB-01"))
    assert paths()["GL-KB-02"] == ("/GL/GL-KB-01/GL-KB/GL-KB-02/", 3, "commune")


def test_a_unit_cannot_move_under_its_own_subtree():
    import_units_csv(THREE_TIERS)
    report = import_units_csv(units_csv("GL-KB,Huyện Kbang,district,GL-KB-01"))
    assert report.errors == [
        "dòng 2, cột parent_code: không thể đặt đơn vị GL-KB dưới GL-KB-01, là đơn vị cấp dưới "
        "của nó"
    ]
    assert paths()["GL-KB"] == ("/GL/GL-KB/", 1, "district")


def test_moving_a_unit_whose_subtree_has_dossiers_is_refused_and_nothing_is_loaded():
    import_units_csv(THREE_TIERS)
    DossierFactory(unit=Unit.objects.get(code="GL-KB-01"))
    report = import_units_csv(
        units_csv(
            "GL-NEW,Xã Mới,commune,GL",
            "GL-KB,Huyện Kbang,district,",
            "GL-KB-02,Xã Đăk Rong,commune,GL",
        )
    )
    assert report.errors == [
        "dòng 3, cột parent_code: đơn vị GL-KB (hoặc đơn vị cấp dưới của nó) đã có hồ sơ nên "
        "không chuyển sang đơn vị cấp trên khác; hãy ghi nhận việc sáp nhập thay vì sửa cây"
    ]
    assert paths()["GL-KB-01"] == ("/GL/GL-KB/GL-KB-01/", 2, "commune")
    # GL-KB-02 has no dossier and could move, but the file is loaded whole or not at all.
    assert paths()["GL-KB-02"] == ("/GL/GL-KB/GL-KB-02/", 2, "commune")
    assert not Unit.objects.filter(code="GL-NEW").exists()


def test_command_exit_statuses(tmp_path):
    good, bad, unreadable = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "x.csv"
    good.write_bytes(THREE_TIERS)
    bad.write_bytes(units_csv("X-1,Xã X,commune,X"))
    unreadable.write_bytes(
        "code,name,level,parent_code\nA,Xã Ân,commune,\n".encode("cp1258", "replace")
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_units", str(good), stdout=out, stderr=err)
    assert out.getvalue() == "Đơn vị: thêm 4, cập nhật 0, không đổi 0.\n"
    with pytest.raises(CommandError) as caught:
        call_command("import_units", str(bad), stdout=out, stderr=err)
    assert (caught.value.returncode, str(caught.value)) == (1, "Không nạp đơn vị nào: 1 lỗi.")
    assert "dòng 2, cột parent_code: không có đơn vị cấp trên mã 'X'" in err.getvalue()
    with pytest.raises(CommandError) as caught:
        call_command("import_units", str(unreadable), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert "UTF-8" in str(caught.value)


def test_missing_columns_make_the_file_unreadable():
    with pytest.raises(CsvFileError, match="Thiếu cột bắt buộc: parent_code"):
        import_units_csv(b"code,name,level\nA,B,commune\n")


def test_official_units_are_34_provinces_and_3321_communes():
    report = load_official_units()
    assert (report.created, report.errors) == (34 + 3321, [])
    provinces = Unit.objects.filter(level__name="province")
    communes = Unit.objects.filter(level__name="commune")
    assert (provinces.count(), communes.count()) == (34, 3321)
    assert not provinces.exclude(parent=None).exists()
    assert not communes.exclude(depth=1).exists()
    hanoi = Unit.objects.get(code="01")
    assert (hanoi.name, hanoi.official_code) == ("Thành phố Hà Nội", "01")
    assert Unit.objects.get(code="00004").parent == hanoi
    again = load_official_units()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 34 + 3321)


def test_official_units_command_loads_the_provinces():
    out = io.StringIO()
    call_command("load_official_units", provinces_only=True, stdout=out)
    assert out.getvalue() == "Đơn vị chính thức: thêm 34, cập nhật 0, không đổi 0.\n"
