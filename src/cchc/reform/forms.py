"""The reform office's Django forms (web input): the reporting period, a plan task, evidence, a
plan workbook, a return comment, the report's sections; and reading numbers typed the Vietnamese
way. The statistical forms 1–7 (biểu mẫu) are data: models.StatisticalForm, statistical_forms.py."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.reform.cchc_report.sections import SECTION_HEADINGS
from cchc.stats.periods import Period, PeriodError, reporting_period

from .models import TASK_FIELDS, PlanTask

DATE_INPUT = ["%d/%m/%Y"]
KIND_CHOICES = [
    ("quarter", _("Quý")),
    ("half", _("6 tháng")),
    ("nine_months", _("9 tháng")),
    ("year", _("Năm")),
]
# The years a report or a plan can be for.
YEARS = range(2015, 2101)
QUARTER_CHOICES = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(text: str) -> str:
    """A number as typed here (1.234 or 5,2 or 5.2) in the form the services read ("1234",
    "5.2"); anything else is passed on for the services to refuse."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text:
        return text.replace(".", "").replace(",", ".")
    if _GROUPED.match(text):
        return text.replace(".", "")
    return text


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=KIND_CHOICES, initial="quarter")
    number = forms.TypedChoiceField(
        label=_("Quý"), choices=QUARTER_CHOICES, coerce=int, initial=1, required=False
    )
    year = forms.IntegerField(label=_("Năm"), min_value=YEARS.start, max_value=YEARS.stop - 1)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"kind": "quarter", "number": (today.month - 1) // 3 + 1, "year": today.year}
        given = data.dict() if hasattr(data, "dict") else dict(data or {})
        super().__init__({**defaults, **given}, **kwargs)

    def period(self) -> Period | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return reporting_period(data["kind"], data["year"], data.get("number") or 1)
        except PeriodError as exc:
            self.add_error(None, str(exc))
            return None


class TaskForm(forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = [name for name in TASK_FIELDS if name not in ("order", "status_text")]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "deadline": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
            "done_on": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = DATE_INPUT
        self.fields["done_on"].input_formats = DATE_INPUT


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"))
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSX kế hoạch"))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SectionsForm(forms.Form):
    """One text box per section of the written report, prefilled with its current text."""

    def __init__(self, *args, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, (top, heading) in SECTION_HEADINGS.items():
            self.fields[key] = forms.CharField(
                label=heading or top,
                required=False,
                initial=texts.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.fields[key].group = top
