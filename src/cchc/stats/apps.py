from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "cchc.stats"
    verbose_name = _("Thống kê")

    def ready(self) -> None:
        from . import cache  # noqa: F401  (the signals that raise the units' stamps)
