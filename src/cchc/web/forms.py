"""The period picker: a regular reporting period (with the cut-off) or two dates dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.org.models import Unit
from cchc.reports.numbers import DOCUMENT_LANGUAGE
from cchc.stats.periods import Period, cutoff_day_for, reporting_month, reporting_period

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


def period_cutoff(unit: Unit) -> int:
    """The cut-off day of `unit`'s reporting periods (see cchc.stats.periods.cutoff_day_for)."""
    return cutoff_day_for(unit)


def default_period_data(reference: dt.date, cutoff: int) -> dict[str, str]:
    """The 6-month report covering `reference` when it falls in the first half, else the year's."""
    year, month = reporting_month(reference, cutoff)
    kind = "half" if reference <= reporting_period("half", year, cutoff=cutoff).end else "year"
    return {"kind": kind, "year": str(year), "month": str(month), "quarter": "1"}


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

    def __init__(self, *args, cutoff: int, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cutoff = cutoff
        self.today = today or timezone.localdate()
        years = range(reporting_month(self.today, cutoff)[0], FIRST_YEAR - 1, -1)
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
        return reporting_period(kind, data["year"], number, cutoff=self.cutoff)

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    def document_period(self) -> Period:
        """The period as a report document names it: in Vietnamese whatever language the page
        speaks (documents always are), and by its dates alone when they were typed in."""
        period = self.period
        if self.cleaned_data["kind"] == "custom":
            return Period(period.start, period.end)
        with translation.override(DOCUMENT_LANGUAGE):
            label = self._period(self.cleaned_data).label
        return Period(period.start, period.end, label)

    def query(self) -> dict[str, str]:
        """The chosen period as the fewest query parameters that choose it again, so that
        the pages it links to (drill-down, trends, exports) count exactly the same days."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == "custom":
            return {
                "kind": kind,
                "start": f"{data['start']:%d/%m/%Y}",
                "end": f"{data['end']:%d/%m/%Y}",
            }
        query = {"kind": kind, "year": str(data["year"])}
        if kind in ("month", "quarter"):
            query[kind] = str(data[kind])
        return query


MAX_RECIPIENTS = 20


class ExportForm(forms.Form):
    """What a report document may say beyond its figures; every field is optional."""

    number = forms.CharField(
        label=gettext_lazy("Số văn bản"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Ví dụ 05; để trống để điền tay khi ký."),
    )
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=100, required=False)
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Mỗi dòng một nơi nhận; để trống: UBND cấp trên và Lưu: VT."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_recipients(self) -> list[str] | None:
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_RECIPIENTS:
            raise forms.ValidationError(_("Nhiều nhất %(n)s nơi nhận.") % {"n": MAX_RECIPIENTS})
        return lines or None

    def document_options(self) -> dict:
        """Keyword arguments of reports.period_report.docx.render_period_report_docx."""
        data = self.cleaned_data
        return {
            "number": data["number"].strip(),
            "signer": data["signer"].strip(),
            "recipients": data["recipients"],
        }
