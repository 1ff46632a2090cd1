"""The Django admin's titles (the admin is the back office of the one-stop shop)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị hệ thống Một cửa – CCHC")
admin.site.site_title = _("Quản trị CCHC")
admin.site.index_title = _("Danh mục và dữ liệu")
admin.site.site_url = "/"
