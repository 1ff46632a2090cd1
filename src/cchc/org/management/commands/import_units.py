from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.commands import read_file_arg
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
        for warning in report.warnings:
            self.stderr.write(warning)
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(
                _("Không nạp đơn vị nào: %(n)d lỗi.") % {"n": len(report.errors)}, returncode=1
            )
        self.stdout.write(
            _("Đơn vị: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d.")
            % {"c": report.created, "u": report.updated, "s": report.unchanged}
        )
