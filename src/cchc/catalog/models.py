"""The catalogue of administrative procedures (thủ tục hành chính) and their fields (lĩnh vực)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import OnlineLevel, TimeUnit


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. Hộ tịch, Chứng thực, Đất đai."""

    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)
    code = models.CharField(_("mã lĩnh vực"), max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure of the catalogue (mã TTHC), with its legal processing time."""

    code = models.CharField(_("mã TTHC"), max_length=64, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_search = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    level = models.CharField(
        _("cấp thực hiện"), max_length=32, help_text=_("Tên cấp, ví dụ district, commune")
    )
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=7, decimal_places=2, default=0
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=8, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    postal = models.BooleanField(_("tiếp nhận/trả qua bưu chính"), default=True)
    interconnected = models.BooleanField(_("liên thông"), default=False)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        indexes = [models.Index(fields=["level", "online_level"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs) -> None:
        from cchc.text import fold

        self.name_search = fold(f"{self.code} {self.name} {self.field.name}")[:500]
        super().save(*args, **kwargs)


class ProcedureComponent(models.Model):
    """A paper the applicant must hand in (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    required = models.BooleanField(_("bắt buộc"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "order", "pk"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name
