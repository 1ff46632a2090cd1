from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "cchc.stats"
    verbose_name = _("Thống kê")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (counts the usual periods again after an import)
