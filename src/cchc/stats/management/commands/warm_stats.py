"""cchc warm_stats: count the usual reporting periods ahead of time (cchc.stats.cache).

Run it after a large import and nightly from cron (e.g. `15 0 * * * cchc warm_stats`): the
first person to open a province's report then reads stored counts instead of every dossier.
The figures are the same either way; only the wait differs.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.stats import cache
from cchc.stats.periods import parse_iso_date
from cchc.stats.tasks import warm_stored_counts, warm_tree


class Command(BaseCommand):
    help = _("Tính trước số liệu các kỳ báo cáo thường dùng cho mỗi cây đơn vị.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", help=_("mã đơn vị (mặc định: mọi đơn vị gốc)"))
        parser.add_argument("--today", help=_("ngày tính, YYYY-MM-DD (mặc định: hôm nay)"))
        parser.add_argument("--months", type=int, default=13, help=_("số tháng báo cáo"))
        parser.add_argument(
            "--enqueue", action="store_true", help=_("xếp hàng cho tác vụ nền thay vì tính ngay")
        )
        parser.add_argument(
            "--forget-before",
            help=_("xóa số liệu đã tính của các kỳ kết thúc trước ngày này (YYYY-MM-DD)"),
        )

    def handle(
        self, *args, unit=None, today=None, months=13, forget_before=None, enqueue=False, **options
    ):
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
        if enqueue:
            for root in roots:
                result = warm_stored_counts.enqueue(root.code, day.isoformat())
                self.stdout.write(_("Đã xếp hàng tác vụ %(id)s.") % {"id": result.id})
            return
        for root in roots:
            began = time.perf_counter()
            count = warm_tree(root, day, months)
            self.stdout.write(
                _("%(unit)s: %(n)d kỳ, %(s).1f giây")
                % {"unit": root.code, "n": count, "s": time.perf_counter() - began}
            )
