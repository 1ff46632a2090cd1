from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.dossiers.exchange import write_csv
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import dossiers_in_scope
from cchc.org.models import Unit
from cchc.period_dates import PeriodError, parse_iso_date


class Command(BaseCommand):
    help = (
        "Write dossiers as the exchange CSV (exchange-format.md §1), which import_dossiers "
        "reads back: all, or a unit's subtree, or those counted in a period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="unit code: its subtree only")
        parser.add_argument("--start", help="YYYY-MM-DD: dossiers counted in [start, end]")
        parser.add_argument("--end", help="YYYY-MM-DD")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--bom", action="store_true", help="start with a UTF-8 BOM (for Excel on Windows)"
        )

    def handle(self, *args, unit=None, start=None, end=None, output=None, bom=False, **options):
        qs = Dossier.objects.all()
        root = None
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(_("Không có đơn vị mã %(c)s.") % {"c": unit}, returncode=2)
            qs = qs.filter(unit__path__startswith=root.path)
        if start or end:
            if not (start and end and root):
                raise CommandError(_("--start và --end cần đi cùng --unit."), returncode=2)
            try:
                qs = dossiers_in_scope(
                    root, parse_iso_date(start, "--start"), parse_iso_date(end, "--end")
                )
            except PeriodError as exc:
                raise CommandError(str(exc), returncode=2) from None
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    if bom:
                        stream.write("\ufeff")
                    n = write_csv(qs, stream)
            except OSError as exc:
                raise CommandError(
                    _("Không ghi được tệp %(path)s: %(err)s")
                    % {"path": output, "err": exc.strerror},
                    returncode=2,
                ) from None
        else:
            if bom:
                self.stdout.write("\ufeff", ending="")
            n = write_csv(qs, self.stdout)
        self.stderr.write(_("Đã xuất %(n)d hồ sơ.") % {"n": n})
