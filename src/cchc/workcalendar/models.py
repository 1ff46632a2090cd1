"""Per-year overrides of the working calendar: an extra day off, a Saturday made a working day."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One day whose working status differs from the rule base (holidays VN + weekends)."""

    date = models.DateField(_("ngày"), unique=True)
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

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working_day else _("nghỉ")
        return f"{self.date:%d/%m/%Y} ({kind})"

    def clean(self) -> None:
        from .calendar import is_working_day_by_rule

        # An override that repeats the rule base changes nothing and would hide a later
        # correction of the holidays package.
        if self.date is None or self.is_working_day is None:
            return
        if self.is_working_day == is_working_day_by_rule(self.date):
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
