"""The catalogue of administrative procedures (thủ tục hành chính) and their fields (lĩnh vực)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from cchc.org.models import ancestor_paths

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


class ProcedureQuerySet(models.QuerySet):
    def available_to(self, unit) -> ProcedureQuerySet:
        """Procedures a unit's subtree may handle: the shared catalogue, the catalogue of the
        unit or a unit above it (a province publishes its list), and catalogues inside it."""
        return self.filter(
            models.Q(owner__isnull=True)
            | models.Q(owner__path__in=ancestor_paths(unit.path))
            | models.Q(owner__path__startswith=unit.path)
        )

    def visible_to(self, user) -> ProcedureQuerySet:
        """Procedures a person may see and choose: those available to their unit (the shared
        catalogue alone for someone without a unit), every one for a superuser."""
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        if user is None or not user.is_authenticated or user.unit_id is None:
            return self.filter(owner__isnull=True)
        return self.available_to(user.unit)

    def used_by(self, unit, procedure: Procedure) -> bool:
        """Whether `procedure` is the one the unit's catalogue gives for its code (the closest
        catalogue above the unit, else the shared one): what a dossier of the unit may use."""
        chosen = self.for_unit(unit, procedure.code)
        return chosen is not None and chosen.pk == procedure.pk

    def closest_first(self) -> ProcedureQuerySet:
        """The deepest catalogue first (a commune's, then its province's), the shared one last."""
        return self.order_by(Length("owner__path").desc(nulls_last=True), "pk")

    def for_unit(self, unit, code: str) -> Procedure | None:
        """The procedure `code` as a unit sees it: from the closest catalogue above the unit,
        else from the shared catalogue."""
        return (
            self.filter(code=code)
            .filter(
                models.Q(owner__isnull=True) | models.Q(owner__path__in=ancestor_paths(unit.path))
            )
            .select_related("field")
            .closest_first()
            .first()
        )


class Procedure(models.Model):
    """A procedure of the catalogue (mã TTHC), with its legal processing time.

    Each province publishes its own list (danh mục TTHC); `owner` is the unit whose catalogue
    holds the procedure, or empty for the shared catalogue. A code is unique within a catalogue.
    """

    code = models.CharField(_("mã TTHC"), max_length=64)
    owner = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_procedures",
        verbose_name=_("danh mục của đơn vị"),
        help_text=_("Để trống: danh mục dùng chung"),
    )
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

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        indexes = [models.Index(fields=["level", "online_level"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(owner__isnull=True),
                name="procedure_code_unique_in_shared_catalogue",
            ),
            models.UniqueConstraint(
                fields=["owner", "code"], name="procedure_code_unique_per_catalogue"
            ),
        ]

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
