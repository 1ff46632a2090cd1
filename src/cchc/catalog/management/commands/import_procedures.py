from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.catalog.services import import_procedures_csv
from cchc.commands import finish_import, read_file_arg
from cchc.csvfiles import CsvFileError
from cchc.org.models import Unit


class Command(BaseCommand):
    help = (
        "Load procedures.csv (code,name,field,level,processing_days,online_level,fee). The "
        "file is loaded whole or not at all: exit 1 with every error listed, 2 when the file "
        "could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--unit",
            help="code of the unit (e.g. a province) whose catalogue this is; default: shared",
        )

    def handle(self, *args, file, unit=None, **options):
        owner = None
        if unit:
            owner = Unit.objects.filter(code=unit).first()
            if owner is None:
                raise CommandError(_("Không có đơn vị mã %(c)s.") % {"c": unit}, returncode=2)
        try:
            report = import_procedures_csv(read_file_arg(file), owner=owner)
        except CsvFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        finish_import(
            self,
            report,
            _("Không nạp thủ tục nào: %(n)d lỗi."),
            _("Thủ tục: thêm %(c)d, cập nhật %(u)d, không đổi %(s)d."),
        )
