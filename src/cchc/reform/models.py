"""The reform office's data: statistical forms as data, the reports filled in them, the yearly plan.

Names: FormSet and Form are the statistical forms 1–7 (biểu mẫu), not Django forms or formsets;
FormReport is a unit's periodic CCHC report (its forms' values, its written sections, its
snapshot). The models keep their names and tables; StatisticalFormSet, StatisticalForm and
CchcReport at the end of this module are the same classes under names that cannot be mistaken.

A form set (bộ biểu mẫu) belongs to a year, so next year's changed forms never rewrite last
year's reports. A report's values are rows of FormValue; once submitted they are frozen (a
correction is a new version). History is an append-only list of events.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from cchc.org.models import Unit

from .constants import (
    Area,
    AssignedFrom,
    Importance,
    MissingValues,
    Operator,
    ReportAction,
    ReportStatus,
    TaskChangeAction,
    TaskStatus,
    ValueSource,
    ValueType,
)

NOT_REPORTED = "none"

# The fields of a plan task that an officer sets, on the page or in the plan's spreadsheet; the
# page leaves out the row order and the free status text, which come from a spreadsheet.
TASK_FIELDS = (
    "area",
    "order",
    "content",
    "responsible",
    "coordinating",
    "deadline",
    "recurring",
    "deadline_text",
    "output",
    "status",
    "status_text",
    "percent_done",
    "done_on",
    "assigned_from",
    "note",
)


class FormSet(models.Model):
    """A year's set of statistical forms (Biểu mẫu 1-7 of the periodic CCHC report); also
    StatisticalFormSet."""

    year = models.PositiveSmallIntegerField(_("năm áp dụng"))
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ biểu mẫu"), max_length=255)
    source = models.CharField(_("căn cứ, nguồn"), max_length=500, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="reform_formset_year_version")
        ]
        verbose_name = _("bộ biểu mẫu thống kê")
        verbose_name_plural = _("bộ biểu mẫu thống kê")

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"


class Form(models.Model):
    """One statistical form of a set (Biểu mẫu 3: Cải cách thủ tục hành chính), not a Django form;
    also StatisticalForm."""

    form_set = models.ForeignKey(FormSet, on_delete=models.CASCADE, related_name="forms")
    number = models.PositiveSmallIntegerField(_("số biểu"))
    title = models.CharField(_("tên biểu"), max_length=255)
    area = models.CharField(_("lĩnh vực CCHC"), max_length=32, choices=Area.choices, blank=True)

    class Meta:
        ordering = ["form_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form_set", "number"], name="reform_form_number")
        ]
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")

    def __str__(self) -> str:
        return f"Biểu mẫu {self.number}: {self.title}"


class FormRow(models.Model):
    """A row (chỉ tiêu) of a form.

    `number` is the printed STT ("3.2.1", empty for the unnumbered rows some forms have);
    `code` names the row in formulas and rules ("3.2.1", or "1.1.a" for an unnumbered row) and
    is unique in its form. A row is filled by exactly one of: its `formula` over other rows
    ("[3.3.2] / [3.3.1] * 100"), a `source` in the system (with its `scope`), or by hand.
    """

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mã chỉ tiêu"), max_length=32)
    number = models.CharField(_("STT"), max_length=32, blank=True)
    label = models.TextField(_("chỉ tiêu thống kê"))
    unit = models.CharField(
        _("đơn vị tính"),
        max_length=255,
        blank=True,
        help_text=_("Như in trên biểu; với chỉ tiêu lựa chọn là mã lựa chọn, ví dụ 'Có = 1'."),
    )
    value_type = models.CharField(_("kiểu số liệu"), max_length=16, choices=ValueType.choices)
    choices = models.JSONField(
        _("các lựa chọn"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"value": 1, "label": "Có"}.'),
    )
    decimals = models.PositiveSmallIntegerField(
        _("số chữ số thập phân khi tính"), default=0, validators=[MaxValueValidator(4)]
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    reported_by = models.CharField(
        _("cấp báo cáo"),
        max_length=100,
        blank=True,
        help_text=_(
            "Tên các cấp báo chỉ tiêu này, cách nhau bởi dấu phẩy; trống: mọi cấp; "
            "'none': không báo."
        ),
    )
    formula = models.CharField(_("công thức"), max_length=500, blank=True)
    missing_values = models.CharField(
        _("khi thiếu số liệu"),
        max_length=16,
        choices=MissingValues.choices,
        default=MissingValues.SKIP_IF_ANY,
    )
    source = models.CharField(_("nguồn số liệu hệ thống"), max_length=100, blank=True)
    scope = models.CharField(
        _("phạm vi nguồn"),
        max_length=64,
        blank=True,
        help_text=_("'all' (cả đơn vị và cấp dưới) hoặc 'level:commune' (các đơn vị cấp xã)."),
    )

    class Meta:
        ordering = ["form", "order"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="reform_formrow_code"),
            models.UniqueConstraint(fields=["form", "order"], name="reform_formrow_order"),
        ]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.number or self.code}. {self.label}"

    def clean(self) -> None:
        if self.formula and self.source:
            raise ValidationError(_("Một chỉ tiêu không thể vừa có công thức vừa có nguồn."))

    @property
    def is_computed(self) -> bool:
        return bool(self.formula or self.source)

    def is_reported_by(self, level_name: str) -> bool:
        if not self.reported_by:
            return True
        return level_name in {part.strip() for part in self.reported_by.split(",")}

    def choice_values(self) -> set[Decimal]:
        return {Decimal(str(choice["value"])) for choice in self.choices}


class ValidationRule(models.Model):
    """A check over a form set's values, DHIS2-style: left side, operator, right side.

    Sides are expressions over rows: "[3.3.2]" is row 3.3.2 of the rule's form, "[3:1.4.2]"
    row 1.4.2 of form 3. A rate written as a row value is compared at its printed precision.
    """

    form_set = models.ForeignKey(FormSet, on_delete=models.CASCADE, related_name="rules")
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("mã quy tắc"), max_length=64)
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500)
    message = models.CharField(_("thông báo"), max_length=500)
    importance = models.CharField(
        _("mức độ"), max_length=8, choices=Importance.choices, default=Importance.HIGH
    )
    missing_values = models.CharField(
        _("khi thiếu số liệu"),
        max_length=16,
        choices=MissingValues.choices,
        default=MissingValues.SKIP_IF_ANY,
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["form_set", "form__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["form_set", "code"], name="reform_rule_code")
        ]
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


class FormReport(models.Model):
    """One unit's periodic CCHC report for one period: its statistical forms' values, and the
    written report's sections and snapshot (a version of them: a correction is a new version);
    also CchcReport."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="form_reports", verbose_name=_("đơn vị")
    )
    form_set = models.ForeignKey(
        FormSet, on_delete=models.PROTECT, related_name="reports", verbose_name=_("bộ biểu mẫu")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_label = models.CharField(_("kỳ báo cáo"), max_length=100, blank=True)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("thay thế phiên bản"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("duyệt/trả lại lúc"), null=True, blank=True)
    return_comment = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        ordering = ["unit__path", "-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "form_set", "period_start", "period_end", "version"],
                name="reform_report_version",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reform_report_period",
            ),
        ]
        indexes = [models.Index(fields=["form_set", "period_start", "period_end", "status"])]
        verbose_name = _("báo cáo số liệu CCHC")
        verbose_name_plural = _("báo cáo số liệu CCHC")

    def __str__(self) -> str:
        return (
            f"{self.unit.code} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
            f" v{self.version}"
        )

    @property
    def is_frozen(self) -> bool:
        return self.status != ReportStatus.DRAFT


class FormValue(models.Model):
    """A row's value in a report: a number (kept with the decimals it was written with) or text."""

    report = models.ForeignKey(FormReport, on_delete=models.CASCADE, related_name="values")
    row = models.ForeignKey(FormRow, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    places = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    source = models.CharField(max_length=16, choices=ValueSource.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "row"], name="reform_value_row")]
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")

    def __str__(self) -> str:
        return f"{self.row.code} = {self.value}"

    @property
    def value(self) -> Decimal | None:
        """The number as written: 82 stays 82, 5.2 stays 5.2 (its precision matters)."""
        if self.number is None:
            return None
        return self.number.quantize(Decimal(1).scaleb(-self.places))


class ReportEvent(models.Model):
    """An entry of a report's history. Append-only: never changed or deleted."""

    report = models.ForeignKey(FormReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=16, choices=ReportAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    # Refused in bulk too, and by the database's triggers (cchc.appendonly).
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")

    def __str__(self) -> str:
        return f"{self.report} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("Lịch sử báo cáo không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Lịch sử báo cáo không được xóa."))


class ReformPlan(models.Model):
    """A unit's yearly reform plan (kế hoạch CCHC năm)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reform_plans", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500, blank=True)

    class Meta:
        ordering = ["unit__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="reform_plan_year")]
        verbose_name = _("kế hoạch CCHC")
        verbose_name_plural = _("kế hoạch CCHC")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year}"


class PlanTask(models.Model):
    """A task (nhiệm vụ) of the plan, in one of the seven areas.

    A deadline is a date, or none when the task is recurring ("thường xuyên") or its time is
    written otherwise ("Theo kế hoạch kiểm tra của cấp trên": `deadline_text` keeps it).
    `done_on` dates completion, so a past period counts the tasks as they stood then; a task
    imported as done without a date counts as done, on time, in every period.
    """

    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("lĩnh vực"), max_length=32, choices=Area.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung"))
    responsible = models.CharField(_("đơn vị thực hiện"), max_length=255, blank=True)
    coordinating = models.CharField(_("đơn vị phối hợp"), max_length=500, blank=True)
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    recurring = models.BooleanField(_("thường xuyên"), default=False)
    deadline_text = models.CharField(
        _("thời gian hoàn thành (như ghi)"), max_length=255, blank=True
    )
    output = models.CharField(_("sản phẩm đầu ra"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    status_text = models.CharField(_("đã thực hiện (như ghi)"), max_length=255, blank=True)
    percent_done = models.DecimalField(
        _("tỷ lệ hoàn thành (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    assigned_from = models.CharField(
        _("nguồn giao"), max_length=16, choices=AssignedFrom.choices, default=AssignedFrom.SELF
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("nhiệm vụ CCHC")
        verbose_name_plural = _("nhiệm vụ CCHC")

    def __str__(self) -> str:
        return self.content[:80]

    def clean(self) -> None:
        if self.recurring and self.deadline:
            raise ValidationError(_("Nhiệm vụ thường xuyên không có hạn hoàn thành."))
        if self.status != TaskStatus.DONE and self.done_on is not None:
            raise ValidationError(
                {"done_on": _("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành.")}
            )


class PlanTaskChange(AppendOnlyModel):
    """One change of a plan task: who, when, each field's old and new value (as text, "" for
    none). Append-only (cchc.appendonly); written by the services that edit tasks. A deleted
    task's changes stay (`task` keeps its id), and a plan with history is never deleted."""

    plan = models.ForeignKey(ReformPlan, on_delete=models.PROTECT, related_name="task_changes")
    task = models.ForeignKey(
        PlanTask,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="history",
    )
    action = models.CharField(_("thao tác"), max_length=8, choices=TaskChangeAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    changes = models.JSONField(default=dict, blank=True)  # field → [old, new]

    class Meta:
        ordering = ["task", "at", "pk"]
        verbose_name = _("lịch sử nhiệm vụ CCHC")
        verbose_name_plural = _("lịch sử nhiệm vụ CCHC")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    task = instance.task
    return f"reform/evidence/{task.plan.unit.code}/{task.plan.year}/{task.pk}/{filename}"


class TaskEvidence(models.Model):
    """A file proving a task's progress (văn bản, biên bản...), kept through the storage API."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=500)
    title = models.CharField(_("tên tài liệu"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        ordering = ["task", "uploaded_at"]
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")

    def __str__(self) -> str:
        return self.title or self.file.name


class ReportSection(models.Model):
    """The text of one section of the written periodic report (I, II by area, III-V), as the
    reform officer edited it; a section without a row is written from the figures."""

    report = models.ForeignKey(FormReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("mục"), max_length=32)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        ordering = ["report", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="reform_section_key")]
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")

    def __str__(self) -> str:
        return f"{self.report} {self.key}"


class ReportSnapshot(models.Model):
    """The figures the written report is made from (period statistics, plan tasks), copied when
    the report is sent, so that its document never changes afterwards."""

    report = models.OneToOneField(FormReport, on_delete=models.CASCADE, related_name="snapshot")
    statistics = models.JSONField(default=dict)
    plan = models.JSONField(default=dict)
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số liệu chốt của báo cáo")
        verbose_name_plural = _("số liệu chốt của báo cáo")

    def __str__(self) -> str:
        return f"{self.report} @ {self.taken_at:%d/%m/%Y %H:%M}"


# The same classes under names that cannot be mistaken for Django's forms and formsets or for the
# period statistics report (see the module's docstring).
StatisticalFormSet = FormSet
StatisticalForm = Form
CchcReport = FormReport
