"""Reporting periods: pairs of whole days, cut off the way the province reports.

Nghị định 09/2019/NĐ-CP Art. 12: a month runs from the 15th of the month before to the 14th;
a quarter from the 15th of the month before it to the 14th of its last month; 6 months
15/12-14/6; 9 months 15/12-14/9; a year 15/12-14/12. The cut-off day is a setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.period_dates import PeriodError as PeriodError  # re-exported
from cchc.period_dates import parse_iso_date as parse_iso_date  # re-exported


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.")
                % {"end": f"{self.end:%d/%m/%Y}", "start": f"{self.start:%d/%m/%Y}"}
            )

    def previous_day(self) -> dt.date:
        return self.start - dt.timedelta(days=1)


KINDS = ("month", "quarter", "half", "nine_months", "year", "custom")
MAX_CUTOFF = 28


def _cut(year: int, month: int, cutoff: int) -> dt.date:
    """The first day of the reporting month `month` of `year` (the cut-off day of the month before)."""
    if cutoff == 1:
        return dt.date(year, month, 1)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.date(prev_year, prev_month, cutoff)


def _span(year: int, first_month: int, last_month: int, cutoff: int, label: str) -> Period:
    start = _cut(year, first_month, cutoff)
    if cutoff == 1:
        next_year, next_month = (year + 1, 1) if last_month == 12 else (year, last_month + 1)
        end = dt.date(next_year, next_month, 1) - dt.timedelta(days=1)
    else:
        end = dt.date(year, last_month, cutoff - 1)
    return Period(start, end, label)


def reporting_month(day: dt.date, cutoff: int) -> tuple[int, int]:
    """(year, month) of the reporting month `day` falls in: from the cut-off day on, a day
    counts in the next month (15/12/2022 is in reporting month 1/2023 with cut-off 15)."""
    if cutoff > 1 and day.day >= cutoff:
        return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.year, day.month


def reporting_period(kind: str, year: int, number: int = 1, cutoff: int | None = None) -> Period:
    """The regular period `kind` (month 1-12, quarter 1-4, half, nine_months, year) of `year`."""
    cutoff = settings.CCHC_PERIOD_CUTOFF_DAY if cutoff is None else cutoff
    # A cut-off after the 28th would not exist in February; 1 means calendar months.
    if not 1 <= cutoff <= MAX_CUTOFF:
        raise PeriodError(
            _("Ngày chốt số liệu phải từ 1 đến %(max)s, không phải %(cutoff)s.")
            % {"max": MAX_CUTOFF, "cutoff": cutoff}
        )
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError(_("Tháng phải từ 1 đến 12."))
        return _span(
            year, number, number, cutoff, _("Tháng %(n)s/%(y)s") % {"n": number, "y": year}
        )
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise PeriodError(_("Quý phải từ 1 đến 4."))
        first = 3 * (number - 1) + 1
        return _span(
            year,
            first,
            first + 2,
            cutoff,
            _("Quý %(n)s/%(y)s") % {"n": ["I", "II", "III", "IV"][number - 1], "y": year},
        )
    if kind == "half":
        return _span(year, 1, 6, cutoff, _("6 tháng đầu năm %(y)s") % {"y": year})
    if kind == "nine_months":
        return _span(year, 1, 9, cutoff, _("9 tháng năm %(y)s") % {"y": year})
    if kind == "year":
        return _span(year, 1, 12, cutoff, _("Năm %(y)s") % {"y": year})
    raise PeriodError(_("Loại kỳ báo cáo không hợp lệ: %(kind)s") % {"kind": kind})


def cutoff_day_for(unit) -> int:
    """The day of the month on which `unit`'s reporting periods are cut off: the closest
    `report_cutoff_day` set on the unit or a unit above it (a province's rule), else the
    CCHC_PERIOD_CUTOFF_DAY setting."""
    from cchc.org.models import Unit

    day = (
        Unit.objects.filter(path__in=unit.ancestor_paths(), report_cutoff_day__isnull=False)
        .order_by("-depth")
        .values_list("report_cutoff_day", flat=True)
        .first()
    )
    return day or settings.CCHC_PERIOD_CUTOFF_DAY
