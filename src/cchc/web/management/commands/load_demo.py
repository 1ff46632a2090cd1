"""Demo data for `make run`: the shared fixture folders and one login per role.

Safe to run on every start: imports are idempotent (codes are keys) and users are created once.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.catalog.services import import_procedures_csv
from cchc.csvfiles import CsvFileError
from cchc.dossiers.exchange import import_dossiers
from cchc.org.constants import Role
from cchc.org.models import Unit, User
from cchc.org.services import import_units_csv

DEMO_PASSWORD = "demo12345"  # documented in the README; demo databases only

# username, role, unit code (None: no unit), superuser, staff, full name
DEMO_USERS = (
    ("admin", Role.ADMIN, None, True, True, "Quản trị hệ thống"),
    ("mc.kimthach", Role.OFFICER, "QT-VL-KT", False, False, "Lê Thị Một Cửa"),
    ("mc.krong", Role.OFFICER, "GL-KB-04", False, False, "Rơ Mah H'Nhi"),
    ("cv.kbang", Role.SPECIALIST, "GL-KB", False, False, "Nguyễn Văn Chuyên"),
    ("ld.kbang", Role.LEADER, "GL-KB", False, False, "Trần Văn Lãnh"),
    ("cchc.kbang", Role.REFORM_OFFICER, "GL-KB", False, False, "Phạm Thị Cải Cách"),
    ("qt.kbang", Role.ADMIN, "GL-KB", False, True, "Đỗ Văn Quản Trị"),
)

# The staff group of unit administrators: what the Django admin lets them see and change.
UNIT_ADMIN_GROUP = "Quản trị đơn vị"
UNIT_ADMIN_PERMISSIONS = (
    "org.view_unit",
    "org.add_unit",
    "org.change_unit",
    "org.view_unitlevel",
    "org.view_user",
    "org.add_user",
    "org.change_user",
    "catalog.view_field",
    "catalog.view_procedure",
    "catalog.view_procedurecomponent",
    "dossiers.view_dossier",
    "dossiers.view_dossierevent",
    "dossiers.view_dossierpause",
)


def default_fixtures_dir() -> Path:
    return settings.BASE_DIR.parent / "shared" / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the demo data: every fixture folder (units.csv, procedures.csv, dossiers.csv) of "
        "the shared fixtures and one user per role (password demo12345). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=None,
            help="folder of fixture folders (default: <checkout>/../shared/fixtures)",
        )

    def handle(self, *args, fixtures: Path | None, **options):
        folder = fixtures or default_fixtures_dir()
        if folder.is_dir():
            for sub in sorted(p for p in folder.iterdir() if (p / "units.csv").is_file()):
                self.load_folder(sub)
        else:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Cảnh báo: không thấy thư mục dữ liệu mẫu %(path)s; chỉ tạo người dùng "
                        "mẫu (chỉ định thư mục bằng --fixtures PATH)."
                    )
                    % {"path": folder}
                )
            )
        self.create_users()

    @staticmethod
    def root_of(units_file: Path) -> Unit | None:
        """The root unit of a units.csv (the row without a parent), already loaded."""
        with units_file.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                if not (row.get("parent_code") or "").strip():
                    return Unit.objects.filter(code=row["code"].strip()).first()
        return None

    def load_folder(self, folder: Path) -> None:
        self.stdout.write(_("== Dữ liệu mẫu %(name)s") % {"name": folder.name})
        try:
            units = import_units_csv((folder / "units.csv").read_bytes())
            self.report(units.errors)
            self.stdout.write(
                _("Đơn vị: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d.")
                % {"c": units.created, "u": units.updated, "s": units.unchanged}
            )
            procedures_file = folder / "procedures.csv"
            if procedures_file.is_file():
                # Each folder is one province's catalogue: their procedure codes overlap.
                procedures = import_procedures_csv(
                    procedures_file.read_bytes(), owner=self.root_of(folder / "units.csv")
                )
                self.report(procedures.errors)
                self.stdout.write(
                    _("Thủ tục: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d.")
                    % {"c": procedures.created, "u": procedures.updated, "s": procedures.unchanged}
                )
            dossiers_file = folder / "dossiers.csv"
            if dossiers_file.is_file():
                dossiers = import_dossiers(dossiers_file.read_bytes(), source=str(dossiers_file))
                self.report([str(e) for e in dossiers.errors])
                self.stdout.write(dossiers.summary())
        except (OSError, CsvFileError) as exc:
            raise CommandError(
                _("Không đọc được dữ liệu mẫu %(path)s: %(err)s") % {"path": folder, "err": exc}
            ) from None

    def report(self, errors: list[str]) -> None:
        for error in errors[:20]:
            self.stderr.write(error)
        if len(errors) > 20:
            self.stderr.write(_("… và %(n)d lỗi khác.") % {"n": len(errors) - 20})

    @transaction.atomic
    def create_users(self) -> None:
        group, _created = Group.objects.get_or_create(name=UNIT_ADMIN_GROUP)
        group.permissions.add(*permissions(UNIT_ADMIN_PERMISSIONS))
        units = Unit.objects.in_bulk(
            [code for _u, _r, code, *_ in DEMO_USERS if code], field_name="code"
        )
        rows = []
        for username, role, code, superuser, staff, full_name in DEMO_USERS:
            unit = units.get(code) if code else None
            last, _sep, first = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_superuser": superuser,
                    "is_staff": staff,
                    "role": role,
                    "unit": unit,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            elif unit is not None and user.unit_id is None:
                # The fixtures arrived after the users did: attach the user to its unit now.
                user.unit = unit
                user.save(update_fields=["unit"])
            if staff and not superuser:
                user.groups.add(group)
            if code and unit is None:
                self.stderr.write(
                    self.style.WARNING(
                        _("Người dùng %(user)s chưa có đơn vị: không có đơn vị mã %(code)s.")
                        % {"user": username, "code": code}
                    )
                )
            rows.append((username, user.get_role_display(), user.unit.code if user.unit else "—"))
        self.stdout.write(_("== Tài khoản mẫu (mật khẩu: %(pw)s)") % {"pw": DEMO_PASSWORD})
        for username, role, unit_code in rows:
            self.stdout.write(f"  {username:<12} {unit_code:<10} {role}")
        self.stdout.write(
            _("Mật khẩu của mọi tài khoản mẫu: %(pw)s (tài khoản đã có giữ nguyên mật khẩu).")
            % {"pw": DEMO_PASSWORD}
        )


def permissions(names: tuple[str, ...]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    candidates = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted},
        codename__in={codename for _app, codename in wanted},
    ).select_related("content_type")
    return [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]
