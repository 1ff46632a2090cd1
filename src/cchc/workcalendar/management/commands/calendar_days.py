"""Print a year's days off and make-up working days, for an admin to check the calendar."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.workcalendar import calendar


class Command(BaseCommand):
    help = (
        "Print YEAR's days off other than ordinary weekends (holiday name or override note) and "
        "its weekend days that are working days, then the count of working days."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year: int, **options):
        if not 1900 <= year <= 2200:
            raise CommandError(_("Năm %(y)d nằm ngoài khoảng 1900–2200.") % {"y": year})
        for day in calendar.special_days(year):
            status = _("làm việc") if day.is_working_day else _("nghỉ")
            label = day.label or (_("Ngày làm bù") if day.is_working_day else "")
            source = _("điều chỉnh") if day.overridden else _("lịch chung")
            weekday = str(calendar.WEEKDAY_NAMES[day.date.weekday()])
            self.stdout.write(
                f"{day.date:%d/%m/%Y}  {weekday:<8}  {status:<8}  {label}  [{source}]"
            )
        last = dt.date(year, 12, 31)
        working = calendar.working_days_between(dt.date(year - 1, 12, 31), last)
        days_in_year = last.timetuple().tm_yday
        self.stdout.write(
            _("Năm %(y)d: %(w)d ngày làm việc, %(o)d ngày nghỉ.")
            % {"y": year, "w": working, "o": days_in_year - working}
        )
