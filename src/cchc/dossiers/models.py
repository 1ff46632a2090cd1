"""Dossiers (hồ sơ) with the history needed to answer "what was its state on day D".

Dates that periods are cut on (received, ended, due) are stored as Vietnam-local dates beside
the moments, so the statistics are plain indexed date comparisons in the database. Pauses
are intervals; every change is an append-only event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.appendonly import AppendOnlyModel
from cchc.catalog.constants import OnlineLevel
from cchc.catalog.models import Field, Procedure, ProcedureComponent
from cchc.org.models import Unit

from .constants import (
    Channel,
    Digitization,
    EventAction,
    ImportJobStatus,
    Outcome,
    Satisfaction,
    Status,
    Timeliness,
)


def timeliness_of(resolved_date, due_date) -> str:
    """Early / on time / late by the legal due date (an apology's new date does not count)."""
    if resolved_date < due_date:
        return Timeliness.EARLY
    if resolved_date == due_date:
        return Timeliness.ON_TIME
    return Timeliness.LATE


class Department(models.Model):
    """A department of a unit (phòng ban, e.g. Phòng Tư pháp) that dossiers move between."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="departments", verbose_name=_("đơn vị")
    )
    code = models.CharField(_("mã phòng ban"), max_length=32)
    name = models.CharField(_("tên phòng ban"), max_length=255)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("phòng ban")
        verbose_name_plural = _("phòng ban")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="department_code_unique_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class Dossier(models.Model):
    # Unique per receiving unit, not per system: one unit's import can never take a code that
    # another unit's import is then refused for (generated codes carry the unit's code anyway).
    code = models.CharField(_("mã hồ sơ"), max_length=64, db_index=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("đơn vị tiếp nhận")
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("lĩnh vực")
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=8, choices=Channel.choices)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )

    applicant_name = models.CharField(_("người nộp"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    request_summary = models.CharField(_("nội dung yêu cầu"), max_length=1000, blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_date = models.DateField(_("ngày tiếp nhận"))
    # The legal due date: set at receipt, moved only by pauses (never by an apology).
    initial_due_date = models.DateField(_("hạn giải quyết ban đầu"))
    due_at = models.DateTimeField(_("hạn giải quyết"))
    due_date = models.DateField(_("ngày hẹn trả"))
    # The day from which `due_date` holds (the last resumption), to know the due date on any D.
    due_date_since = models.DateField()
    appointment_at = models.DateTimeField(_("ngày hẹn lại (thư xin lỗi)"), null=True, blank=True)

    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    ended_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    ended_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=8, choices=Timeliness.choices, blank=True
    )
    ever_paused = models.BooleanField(default=False, editable=False)

    input_digitization = models.CharField(
        _("số hóa thành phần"),
        max_length=8,
        choices=Digitization.choices,
        default=Digitization.NONE,
    )
    input_digitization_given = models.BooleanField(default=False, editable=False)
    result_digitized = models.BooleanField(_("đã số hóa kết quả"), null=True, blank=True)
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), null=True, blank=True)
    satisfaction = models.CharField(
        _("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices, blank=True
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("người xử lý"),
    )
    # Where the dossier is being processed: another unit when forwarded (liên thông), and a
    # department. `unit` stays the receiving unit, which the statistics count it under.
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_dossiers",
        verbose_name=_("đơn vị đang xử lý"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("phòng ban xử lý"),
    )
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    # Whether an empty returned_at means "not returned yet": resolved by the one-stop, which
    # records the hand-over (or imported from a file that says it is not handed over yet).
    # False for a dossier imported (or made) resolved without a return moment: it counts as
    # returned from its resolution (cchc.stats.figures.Basis.returned).
    return_tracked = models.BooleanField(default=False, editable=False)
    end_reason = models.TextField(_("lý do từ chối, rút, dừng"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Signed into the receipt's QR link (onestop.tracking); raised to revoke every link issued.
    public_token_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "code"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["unit", "received_date"]),
            models.Index(fields=["unit", "ended_date"]),
            models.Index(fields=["received_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["applicant_id_number"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="dossier_code_unique_in_unit"),
            models.CheckConstraint(
                condition=models.Q(outcome="", ended_date__isnull=True)
                | (~models.Q(outcome="") & models.Q(ended_date__isnull=False)),
                name="dossier_outcome_has_end_date",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_date__isnull=True)
                | models.Q(ended_date__gte=models.F("received_date")),
                name="dossier_ends_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def dvcqg_status_code(self) -> int:
        from .constants import DVCQG_STATUS_CODE

        return DVCQG_STATUS_CODE[Status(self.status)]

    @property
    def is_open(self) -> bool:
        return not self.outcome


class DossierPause(models.Model):
    """An interval during which the clock stopped (a supplement request, tạm dừng).

    On resumption the due date moves by the paused working days; `due_date_after` keeps the
    due date that held from `resumed_date` on, so any past day's due date can be known.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("lý do"), max_length=1000, blank=True)
    started_at = models.DateTimeField(_("bắt đầu tạm dừng"))
    started_date = models.DateField()
    resumed_at = models.DateTimeField(_("tiếp tục"), null=True, blank=True)
    resumed_date = models.DateField(null=True, blank=True)
    paused_working_days = models.IntegerField(null=True, blank=True)
    due_date_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]
        verbose_name = _("tạm dừng")
        verbose_name_plural = _("tạm dừng")
        indexes = [models.Index(fields=["dossier", "started_date", "resumed_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resumed_date__isnull=True)
                | models.Q(resumed_date__gte=models.F("started_date")),
                name="pause_resumes_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.started_date:%d/%m/%Y}–{self.resumed_date or '…'}"


class DossierComponent(models.Model):
    """A paper received with the dossier (thành phần hồ sơ), its counts and whether it was
    digitised (số hóa) at receipt."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(
        ProcedureComponent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thành phần theo thủ tục"),
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    digitized = models.BooleanField(_("đã số hóa"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "order", "pk"]
        verbose_name = _("thành phần hồ sơ đã nhận")
        verbose_name_plural = _("thành phần hồ sơ đã nhận")

    def __str__(self) -> str:
        return self.name


class FileKind(models.TextChoices):
    COMPONENT = "component", _("Bản số hóa thành phần hồ sơ")
    RESULT = "result", _("Bản số hóa kết quả")


def dossier_file_path(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.dossier_id}/{instance.kind}/{filename}"


class DossierFile(models.Model):
    """A digitised copy (bản số hóa) of a component or of the result, kept through Django's
    storage API. A reused result points at the stored file of an earlier dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=10, choices=FileKind.choices)
    component = models.ForeignKey(
        DossierComponent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("thành phần"),
    )
    file = models.FileField(_("tệp"), upload_to=dossier_file_path, max_length=500)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("tái sử dụng từ"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))

    class Meta:
        ordering = ["dossier", "kind", "pk"]
        verbose_name = _("tệp số hóa")
        verbose_name_plural = _("tệp số hóa")

    def __str__(self) -> str:
        return self.original_name or self.file.name


class DossierCodeSequence(models.Model):
    """The running number of dossier codes per receiving unit and day (locked when taken)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dossier_code_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Đã quá hạn")


class DossierWarning(models.Model):
    """A warning that a dossier is about to be or has become late, recorded once per due date
    by the daily task so that officers can apologise in time."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(_("loại cảnh báo"), max_length=10, choices=WarningKind.choices)
    due_date = models.DateField(_("hạn giải quyết"))
    day = models.DateField(_("ngày cảnh báo"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "dossier"]
        verbose_name = _("cảnh báo trễ hạn")
        verbose_name_plural = _("cảnh báo trễ hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "due_date"], name="dossier_warning_once_per_due_date"
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.due_date}"


class DossierEvent(AppendOnlyModel):
    """One change of a dossier: who, when, from which status to which. Never edited nor
    deleted (cchc.appendonly), except with its dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("thao tác"), max_length=24, choices=EventAction.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class ImportJob(models.Model):
    """A dossier CSV imported by the task worker (a large upload): its file, kept in the
    storage until the import ends, its progress and what it did (errors capped)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("cỡ tệp (byte)"))
    status = models.CharField(
        max_length=8, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    line = models.PositiveIntegerField(default=0, help_text="the last line of the file read")
    last_line = models.PositiveIntegerField(default=0, help_text="the file's last line")
    imported = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected_lines = models.PositiveIntegerField(default=0)
    errors_total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lượt nhập hồ sơ")
        verbose_name_plural = _("lượt nhập hồ sơ")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


# --- The change journal (cchc.dossiers.journal writes it; cchc.stats.cache reads it) ------------


class StatsStamp(models.Model):
    """How many times the dossiers received by `unit` have changed: stored period counts are
    kept under it (cchc.stats.cache) and count only while it is the unit's current one, or
    while no change since alters their period."""

    unit = models.OneToOneField(
        Unit, primary_key=True, on_delete=models.CASCADE, related_name="stats_stamp"
    )
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("dấu thay đổi hồ sơ của đơn vị")
        verbose_name_plural = _("dấu thay đổi hồ sơ của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.value}"


class StatsChange(models.Model):
    """A change to a unit's dossiers: the unit's stamp it raised, and the first day it can
    alter. Stored counts of a period that ended before that day stay exact through it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    stamp = models.PositiveBigIntegerField()
    from_day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["unit", "stamp"], name="statschange_unit_stamp")]

    def __str__(self) -> str:
        return f"{self.unit_id}#{self.stamp} from {self.from_day}"
