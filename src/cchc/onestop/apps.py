from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "cchc.onestop"
    verbose_name = _("Bộ phận Một cửa")
