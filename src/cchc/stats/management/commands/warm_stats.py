"""cchc warm_stats: count the usual reporting periods ahead of time (cchc.stats.cache).

Run it after a large import and nightly from cron (e.g. `15 0 * * * cchc warm_stats`): the
first person to open a province's report then reads stored counts instead of every dossier.
The figures are the same either way; only the wait differs.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.stats import cache
from cchc.stats.periods import cutoff_day_for, parse_iso_date, reporting_month, reporting_period
from cchc.stats.selectors import period_statistics


def usual_periods(today: dt.date, cutoff: int, months: int) -> list[tuple[dt.date, dt.date]]:
    """The reporting months up to today's (the trends' twelve and the one running), and the
    quarters, 6 and 9 months and years of this year and the last, each cut at today as the
    pages cut a running period."""
    periods = []
    year, month = reporting_month(today, cutoff)
    for _i in range(months):
        periods.append(reporting_period("month", year, month, cutoff))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    this_year = reporting_month(today, cutoff)[0]
    for year in (this_year - 1, this_year):
        periods += [reporting_period("quarter", year, q, cutoff) for q in range(1, 5)]
        periods += [reporting_period(kind, year, 1, cutoff) for kind in ("half", "nine_months")]
        periods.append(reporting_period("year", year, 1, cutoff))
    spans = {(p.start, min(p.end, today)) for p in periods if p.start <= today}
    return sorted(spans)


class Command(BaseCommand):
    help = _("Tính trước số liệu các kỳ báo cáo thường dùng cho mỗi cây đơn vị.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", help=_("mã đơn vị (mặc định: mọi đơn vị gốc)"))
        parser.add_argument("--today", help=_("ngày tính, YYYY-MM-DD (mặc định: hôm nay)"))
        parser.add_argument("--months", type=int, default=13, help=_("số tháng báo cáo"))
        parser.add_argument(
            "--forget-before",
            help=_("xóa số liệu đã tính của các kỳ kết thúc trước ngày này (YYYY-MM-DD)"),
        )

    def handle(self, *args, unit=None, today=None, months=13, forget_before=None, **options):
        if forget_before:
            # Only space is won: a period asked again is counted again.
            gone = cache.forget(parse_iso_date(forget_before, "--forget-before"))
            self.stdout.write(_("Đã xóa %(n)d dòng số liệu đã tính.") % {"n": gone})
        if unit:
            roots = list(Unit.objects.filter(code=unit))
            if not roots:
                raise CommandError(_("Không có đơn vị mã %(c)s.") % {"c": unit})
        else:
            roots = list(Unit.objects.filter(parent__isnull=True).order_by("code"))
        day = parse_iso_date(today, "--today") if today else timezone.localdate()
        for root in roots:
            began = time.perf_counter()
            # Every unit with a stamp first, so that the first count is stored whole.
            cache.stamps_of(list(Unit.objects.subtree_of(root).values_list("pk", flat=True)))
            periods = usual_periods(day, cutoff_day_for(root), months)
            for start, end in periods:
                period_statistics(root, start, end)
            self.stdout.write(
                _("%(unit)s: %(n)d kỳ, %(s).1f giây")
                % {"unit": root.code, "n": len(periods), "s": time.perf_counter() - began}
            )
