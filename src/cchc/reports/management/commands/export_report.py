"""cchc export_report: the periodic TTHC report of a unit as DOCX, XLSX or PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.reports.checks import InvalidStatistics
from cchc.reports.period_report.docx import render_period_report_docx
from cchc.reports.period_report.pdf import render_period_report_pdf
from cchc.reports.period_report.xlsx import render_period_report_xlsx
from cchc.stats.periods import (
    KINDS,
    Period,
    PeriodError,
    cutoff_day_for,
    parse_iso_date,
    reporting_period,
)
from cchc.stats.selectors import period_statistics


class Command(BaseCommand):
    help = (
        "Write the TTHC report of a unit's subtree for a period as DOCX, XLSX or PDF. "
        "Exit 1 (and the broken rules on stderr) when the figures fail validate_stats."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--start", help="YYYY-MM-DD (with --end: any two dates)")
        parser.add_argument("--end", help="YYYY-MM-DD")
        parser.add_argument("--kind", choices=[k for k in KINDS if k != "custom"])
        parser.add_argument("--year", type=int)
        parser.add_argument("--number", type=int, default=1, help="month 1-12 or quarter 1-4")
        parser.add_argument("--format", choices=["docx", "xlsx", "pdf"], default="docx")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--doc-number", default="", help='document number, e.g. "05"')
        parser.add_argument("--signer", default="")
        parser.add_argument("--place", default="")
        parser.add_argument("--recipient", action="append", help="a 'Nơi nhận' line; repeat")
        parser.add_argument("--allow-invalid", action="store_true")

    def handle(self, *args, **options):
        unit = Unit.objects.select_related("level", "parent").filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(
                _("Không có đơn vị mã %(c)s.") % {"c": options["unit"]}, returncode=2
            )
        period = self._period(options, unit)
        stats = period_statistics(unit, period.start, period.end)
        document_options = {
            "number": options["doc_number"],
            "signer": options["signer"],
            "place": options["place"],
            "recipients": options["recipient"],
            "allow_invalid": options["allow_invalid"],
        }
        try:
            if options["format"] == "xlsx":
                data = render_period_report_xlsx(
                    stats, unit, period, allow_invalid=options["allow_invalid"]
                )
            elif options["format"] == "pdf":
                data = render_period_report_pdf(stats, unit, period, **document_options)
                if data is None:
                    raise CommandError(
                        _("Chưa cài LibreOffice (soffice): không tạo được PDF."), returncode=2
                    )
            else:
                data = render_period_report_docx(stats, unit, period, **document_options)
        except InvalidStatistics as exc:
            for line in exc.problems:
                self.stderr.write(line)
            raise CommandError(
                _("Số liệu chưa khớp: %(n)s quy tắc bị vi phạm.") % {"n": len(exc.problems)},
                returncode=1,
            ) from None
        Path(options["output"]).write_bytes(data)
        self.stdout.write(options["output"])

    def _period(self, options, unit: Unit) -> Period:
        try:
            if options["kind"]:
                if not options["year"]:
                    raise PeriodError(_("--kind cần --year."))
                return reporting_period(
                    options["kind"],
                    options["year"],
                    options["number"],
                    cutoff=cutoff_day_for(unit),
                )
            if not (options["start"] and options["end"]):
                raise PeriodError(_("Cần --start và --end, hoặc --kind và --year."))
            return Period(
                parse_iso_date(options["start"], "--start"), parse_iso_date(options["end"], "--end")
            )
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from None
