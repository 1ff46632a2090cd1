from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from cchc.appendonly import purge_with_parent

        from . import (
            actions,  # noqa: F401  (the registry fills transitions.TRANSITIONS)
            journal,  # noqa: F401  (the signals that raise the units' stamps)
        )
        from .models import Dossier

        # A dossier deleted through Django takes its append-only events with it.
        purge_with_parent(Dossier)
