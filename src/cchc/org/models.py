"""Units form a tree of any depth; people belong to a unit and see its subtree only. And the
counters of attempts per key and time window of cchc.org.ratelimit (kept in the database so that
every server process and thread counts the same attempts)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Role

PATH_SEP = "/"


def ancestor_paths(path: str) -> list[str]:
    """The materialised paths of a unit and of every unit above it ("/A/B/" → "/A/", "/A/B/")."""
    parts = [p for p in path.split(PATH_SEP) if p]
    return [PATH_SEP + PATH_SEP.join(parts[: i + 1]) + PATH_SEP for i in range(len(parts))]


class UnitLevel(models.Model):
    """A level of the unit tree (province, district, commune...): data, not code."""

    name = models.SlugField(_("mã cấp"), max_length=32, unique=True)
    label = models.CharField(_("tên cấp"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), default=0)

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("cấp hành chính")
        verbose_name_plural = _("cấp hành chính")

    def __str__(self) -> str:
        return self.label or self.name


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A unit (province, district, commune...). Never deleted or renumbered in place.

    `path` is the materialised path of codes from the root ("/GL/GL-KB/"), so a subtree is one
    indexed prefix query. A merger is recorded with `merged_into` so old figures roll up.
    """

    code = models.CharField(_("mã đơn vị"), max_length=64, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    level = models.ForeignKey(
        UnitLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("cấp")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=1024, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    official_code = models.CharField(_("mã chính thức"), max_length=16, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    place_name = models.CharField(
        _("địa danh"), max_length=100, blank=True, help_text=_("Dùng ở dòng địa danh, ngày tháng")
    )
    report_cutoff_day = models.PositiveSmallIntegerField(
        _("ngày chốt số liệu báo cáo"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Ngày bắt đầu kỳ báo cáo tháng (ví dụ 15: từ ngày 15 tháng trước đến ngày 14). "
            "Để trống: theo đơn vị cấp trên, hoặc theo cài đặt chung."
        ),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    dissolved_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent_id else PATH_SEP) + self.code + PATH_SEP
        self.depth = self.path.count(PATH_SEP) - 2
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if PATH_SEP in self.code:
            raise ValidationError({"code": _("Mã đơn vị không được chứa ký tự '/'.")})
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("Đơn vị cấp trên không được là đơn vị cấp dưới.")})

    def ancestor_paths(self) -> list[str]:
        return ancestor_paths(self.path)

    def is_within(self, other: Unit) -> bool:
        """True when this unit is `other` or lies in its subtree."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A person: belongs to a unit and acts within its subtree, as their role allows."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("đơn vị"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    job_title = models.CharField(_("chức vụ"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")


class AttemptCounter(models.Model):
    """Attempts of one key (scope and a hash of who or what is counted) in one fixed window."""

    key = models.CharField(_("khóa"), max_length=100)
    window = models.BigIntegerField(_("khung thời gian"))
    count = models.PositiveIntegerField(_("số lần"), default=0)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)

    class Meta:
        # The table keeps the name it had when the model lived in cchc.onestop (the move in
        # org 0003 and onestop 0002 changed only Django's state).
        db_table = "onestop_attemptcounter"
        verbose_name = _("bộ đếm lượt thử")
        verbose_name_plural = _("bộ đếm lượt thử")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="attempt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.window}: {self.count}"
