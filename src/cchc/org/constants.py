"""Roles of people and the default unit levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    REFORM_OFFICER = "reform_officer", _("Cán bộ CCHC")
    ADMIN = "admin", _("Quản trị đơn vị")


# Level names are data (UnitLevel rows); these are the ones the official trees use.
DEFAULT_LEVELS = {
    "province": (_("Cấp tỉnh"), 1),
    "district": (_("Cấp huyện"), 2),
    "commune": (_("Cấp xã"), 3),
}
