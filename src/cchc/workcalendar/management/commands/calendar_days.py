"""Print a year's days off and make-up working days, for an admin to check the calendar."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.org.models import Unit
from cchc.workcalendar import calendar


class Command(BaseCommand):
    help = (
        "Print YEAR's days off other than ordinary weekends (holiday name or override note) and "
        "its weekend days that are working days, then the count of working days. With "
        "--province CODE, the calendar of that province (national and its own overrides)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--province", default="", help="code of a province (a top unit)")

    def handle(self, *args, year: int, province: str = "", **options):
        if not 1900 <= year <= 2200:
            raise CommandError(_("Năm %(y)d nằm ngoài khoảng 1900–2200.") % {"y": year})
        unit = None
        if province:
            unit = Unit.objects.filter(code=province, parent__isnull=True).first()
            if unit is None:
                raise CommandError(
                    _("Không có tỉnh (đơn vị cấp cao nhất) mã %(code)r.") % {"code": province}
                )
        for day in calendar.special_days(year, unit):
            status = _("làm việc") if day.is_working_day else _("nghỉ")
            label = day.label or (_("Ngày làm bù") if day.is_working_day else "")
            source = _("điều chỉnh") if day.overridden else _("lịch chung")
            weekday = str(calendar.WEEKDAY_NAMES[day.date.weekday()])
            self.stdout.write(
                f"{day.date:%d/%m/%Y}  {weekday:<8}  {status:<8}  {label}  [{source}]"
            )
        last = dt.date(year, 12, 31)
        working = calendar.working_days_between(dt.date(year - 1, 12, 31), last, unit)
        days_in_year = last.timetuple().tm_yday
        self.stdout.write(
            _("Năm %(y)d: %(w)d ngày làm việc, %(o)d ngày nghỉ.")
            % {"y": year, "w": working, "o": days_in_year - working}
        )
