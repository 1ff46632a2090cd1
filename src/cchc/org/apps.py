from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "cchc.org"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self) -> None:
        from django.core import checks

        from cchc.security import check_secret_key

        checks.register(check_secret_key, checks.Tags.security)
