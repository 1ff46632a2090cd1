"""`cchc load_demo`: both fixture folders and one login per role, safe to run on every start."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from cchc.dossiers.models import Dossier
from cchc.org.constants import Role
from cchc.org.models import Unit, User
from cchc.web.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def load_demo(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_load_demo_loads_both_folders_and_a_user_per_role(fixtures_dir):
    out, _err = load_demo(fixtures=fixtures_dir)
    assert Unit.objects.filter(code__in=["QT-VL-KT", "GL-KB", "GL-KB-04"]).count() == 3
    assert Dossier.objects.filter(unit__code="QT-VL-KT").count() == 692
    assert Dossier.objects.filter(unit__path__startswith="/GL/GL-KB/").count() == 3219
    assert {u.role for u in User.objects.all()} == set(Role.values)
    officer = authenticate(username="mc.kimthach", password=DEMO_PASSWORD)
    assert officer is not None and officer.unit.code == "QT-VL-KT"
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin.is_superuser and admin.is_staff
    assert DEMO_PASSWORD in out


def test_load_demo_is_idempotent(fixtures_dir):
    load_demo(fixtures=fixtures_dir)
    user = User.objects.get(username="ld.kbang")
    user.set_password("changed-by-the-user")
    user.save()
    counts = (Unit.objects.count(), Dossier.objects.count(), User.objects.count())
    out, _err = load_demo(fixtures=fixtures_dir)
    assert (Unit.objects.count(), Dossier.objects.count(), User.objects.count()) == counts
    assert "Đã nhập 0 hồ sơ" in out
    assert authenticate(username="ld.kbang", password="changed-by-the-user") is not None


def test_load_demo_without_fixtures_warns_and_still_creates_users(tmp_path):
    _out, err = load_demo(fixtures=tmp_path / "missing")
    assert "không thấy thư mục dữ liệu mẫu" in err
    assert User.objects.count() == len(DEMO_USERS)
    assert authenticate(username="cv.kbang", password=DEMO_PASSWORD).unit is None


def test_users_get_their_unit_when_the_fixtures_arrive_later(tmp_path, fixtures_dir):
    load_demo(fixtures=tmp_path / "missing")
    load_demo(fixtures=fixtures_dir)
    assert User.objects.get(username="mc.krong").unit.code == "GL-KB-04"


def test_unit_administrator_can_use_the_admin_for_their_subtree(client, fixtures_dir):
    load_demo(fixtures=fixtures_dir)
    client.login(username="qt.kbang", password=DEMO_PASSWORD)
    html = client.get("/admin/dossiers/dossier/?q=KB-000070").content.decode()
    assert ">KB-000070</a>" in html
    html = client.get("/admin/dossiers/dossier/?q=KT-000038").content.decode()
    assert ">KT-000038</a>" not in html
