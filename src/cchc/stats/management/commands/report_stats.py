import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.stats.periods import Period, PeriodError, parse_iso_date
from cchc.stats.selectors import period_statistics


class Command(BaseCommand):
    help = "Print the period statistics JSON of a unit's subtree for [start, end]."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, unit, start, end, indent, **options):
        root = Unit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(_("Không có đơn vị mã %(c)s.") % {"c": unit}, returncode=2)
        try:
            period = Period(parse_iso_date(start, "--start"), parse_iso_date(end, "--end"))
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from None
        stats = period_statistics(root, period.start, period.end)
        self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=indent or None))
