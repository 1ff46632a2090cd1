from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.commands import finish_import
from cchc.org.services import load_official_units


class Command(BaseCommand):
    help = (
        "Load today's official 34 provinces and 3,321 communes (2-tier tree since 1 July 2025) "
        "from vietnam-provinces. Loaded whole or not at all; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces-only", action="store_true")

    def handle(self, *args, provinces_only=False, **options):
        report = load_official_units(with_communes=not provinces_only)
        finish_import(
            self,
            report,
            _("Không nạp đơn vị nào: %(n)d lỗi."),
            _("Đơn vị chính thức: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d."),
        )
