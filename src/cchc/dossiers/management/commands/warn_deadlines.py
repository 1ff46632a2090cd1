"""Daily deadline warnings, for cron: `cchc warn_deadlines` (or `--enqueue` for the task worker)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.services import record_deadline_warnings
from cchc.dossiers.tasks import warn_dossiers_becoming_late


class Command(BaseCommand):
    help = (
        "Record a warning for dossiers due by the next working day and for overdue ones. "
        "Django's tasks framework has no scheduler: run this daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: today in Vietnam)")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task for the worker instead"
        )

    def handle(self, *args, day=None, enqueue=False, **options):
        try:
            today = dt.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError(_("Ngày không hợp lệ: %(d)r") % {"d": day}, returncode=2) from None
        if enqueue:
            result = warn_dossiers_becoming_late.enqueue(today.isoformat())
            self.stdout.write(_("Đã xếp hàng tác vụ %(id)s.") % {"id": result.id})
            return
        counts = record_deadline_warnings(today)
        self.stdout.write(
            _("Cảnh báo: %(soon)d hồ sơ sắp đến hạn, %(late)d hồ sơ quá hạn.")
            % {"soon": counts["due_soon"], "late": counts["overdue"]}
        )
