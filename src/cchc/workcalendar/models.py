"""Per-year overrides of the working calendar: an extra day off, a Saturday made a working day.

An override is national (no province: it holds everywhere, only a superuser edits it) or a
province's own (it holds for the province's units only, and its administrators edit it).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.org.models import Unit


class CalendarOverride(models.Model):
    """One day whose working status differs from the rule base (holidays VN + weekends), or
    for a province's row from the national calendar."""

    province = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("tỉnh"),
        help_text=_("Để trống: áp dụng toàn quốc. Chọn tỉnh: chỉ áp dụng cho các đơn vị của tỉnh."),
    )
    date = models.DateField(_("ngày"))
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        help_text=_("Bật: ngày làm bù (ví dụ thứ Bảy). Tắt: ngày nghỉ thêm."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(province__isnull=True),
                name="calendar_override_national_date",
                violation_error_message=_("Ngày này đã có điều chỉnh toàn quốc."),
            ),
            models.UniqueConstraint(
                fields=["province", "date"],
                name="calendar_override_province_date",
                violation_error_message=_("Ngày này đã có điều chỉnh của tỉnh."),
            ),
        ]

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working_day else _("nghỉ")
        if self.province_id is None:
            return f"{self.date:%d/%m/%Y} ({kind})"
        return f"{self.date:%d/%m/%Y} ({kind}, {self.province.code})"

    def clean(self) -> None:
        from . import calendar

        if self.province_id is not None and self.province.parent_id is not None:
            raise ValidationError(
                {"province": _("Chỉ tỉnh (đơn vị cấp cao nhất) có lịch điều chỉnh riêng.")}
            )
        # An override that repeats the calendar it replaces changes nothing and would hide a
        # later correction of it: the rule base for a national row, the national calendar
        # (rule base and national overrides) for a province's row.
        if self.date is None or self.is_working_day is None:
            return
        if self.province_id is None:
            same = self.is_working_day == calendar.is_working_day_by_rule(self.date)
        else:
            same = self.is_working_day == calendar.is_working_day(self.date)
        if same:
            message = (
                _("Ngày %(date)s theo lịch chung đã là ngày làm việc; không cần điều chỉnh.")
                if self.is_working_day
                else _(
                    "Ngày %(date)s theo lịch chung (cuối tuần, ngày lễ) đã là ngày nghỉ; "
                    "không cần điều chỉnh."
                )
            )
            raise ValidationError(
                {
                    "is_working_day": ValidationError(
                        message, code="same_as_rule", params={"date": f"{self.date:%d/%m/%Y}"}
                    )
                }
            )
