"""Top-level URLs: the web app, the REST API with its OpenAPI schema, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cchc.onestop import public as onestop_public
from cchc.org.login import ThrottledLoginView

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("cchc.api_urls")),
    path("mot-cua/", include("cchc.onestop.urls")),
    path("cai-cach/", include("cchc.reform.urls")),
    # Public, no login: a dossier's status by code and phone, or by the receipt's QR (?t=).
    path("tra-cuu/", onestop_public.track, name="track"),
    path("", include("cchc.web.urls")),
]
# Uploaded files are never served from MEDIA_URL, in any mode: only through the views that
# check the person's scope (cchc.downloads).
