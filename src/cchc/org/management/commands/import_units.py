from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.commands import finish_import, read_file_arg
from cchc.csvfiles import CsvFileError
from cchc.org.services import import_units_csv


class Command(BaseCommand):
    help = (
        "Load units.csv (code,name,level,parent_code; parents may come after their children). "
        "The file is loaded whole or not at all: exit 1 with every error listed, 2 when the "
        "file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            report = import_units_csv(read_file_arg(file))
        except CsvFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        finish_import(
            self,
            report,
            _("Không nạp đơn vị nào: %(n)d lỗi."),
            _("Đơn vị: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d."),
        )
