"""Counters of attempts per key and time window, for cchc.ratelimit (kept in the database so
that every server process and thread counts the same attempts)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    """Attempts of one key (scope and a hash of who or what is counted) in one fixed window."""

    key = models.CharField(_("khóa"), max_length=100)
    window = models.BigIntegerField(_("khung thời gian"))
    count = models.PositiveIntegerField(_("số lần"), default=0)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)

    class Meta:
        verbose_name = _("bộ đếm lượt thử")
        verbose_name_plural = _("bộ đếm lượt thử")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="attempt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.window}: {self.count}"
