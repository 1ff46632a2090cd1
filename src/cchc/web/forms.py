"""The period picker: a regular reporting period (with the cut-off) or two dates dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.stats.periods import Period, reporting_period

FIRST_YEAR = 2015
DATE_INPUT = ["%d/%m/%Y"]


KIND_CHOICES = [
    ("month", gettext_lazy("Tháng")),
    ("quarter", gettext_lazy("Quý")),
    ("half", gettext_lazy("6 tháng")),
    ("nine_months", gettext_lazy("9 tháng")),
    ("year", gettext_lazy("Năm")),
    ("custom", gettext_lazy("Từ ngày… đến ngày…")),
]
QUARTER_CHOICES = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
DATE_ERRORS = {
    "invalid": gettext_lazy(
        "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/12/2022."
    )
}


def reporting_year(day: dt.date) -> int:
    """The reporting year a day falls in: days from the cut-off in December count in the next."""
    cutoff = settings.CCHC_PERIOD_CUTOFF_DAY
    return day.year + 1 if cutoff > 1 and day.month == 12 and day.day >= cutoff else day.year


def default_period_data(reference: dt.date) -> dict[str, str]:
    """The 6-month report covering `reference` when it falls in the first half, else the year's."""
    year = reporting_year(reference)
    kind = "half" if reference <= reporting_period("half", year).end else "year"
    return {"kind": kind, "year": str(year), "month": str(reference.month), "quarter": "1"}


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=KIND_CHOICES)
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Tháng"),
        coerce=int,
        choices=[(m, str(m)) for m in range(1, 13)],
        required=False,
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý"), coerce=int, choices=QUARTER_CHOICES, required=False
    )
    # The date inputs are rendered by web/_date_field.html (text, dd/mm/yyyy, numeric keypad).
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=DATE_INPUT,
        required=False,
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        input_formats=DATE_INPUT,
        required=False,
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        years = range(reporting_year(self.today), FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            for name in ("start", "end"):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, _("Hãy nhập ngày theo dạng ngày/tháng/năm."))
            if start and end and end < start:
                self.add_error("end", _("Ngày kết thúc phải cùng hoặc sau ngày bắt đầu."))
        elif kind:
            needed = ["year", *([kind] if kind in ("month", "quarter") else [])]
            for name in needed:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("Hãy chọn %(what)s.") % {"what": self.fields[name].label}
                    )
        if not self.errors:
            period = self._period(data)
            if period.start > self.today:
                self.add_error(None, _("Kỳ báo cáo chưa bắt đầu: chưa có số liệu."))
            elif period.end > self.today:
                # A period still running is counted up to today: nothing is overdue "in advance".
                period = Period(period.start, self.today, period.label)
                data["until_today"] = True
            data["period"] = period
        return data

    def _period(self, data: dict) -> Period:
        kind = data["kind"]
        if kind == "custom":
            return Period(data["start"], data["end"], _("Kỳ tùy chọn"))
        number = {"month": data.get("month"), "quarter": data.get("quarter")}.get(kind) or 1
        return reporting_period(kind, data["year"], number)

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]
