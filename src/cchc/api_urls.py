"""REST API routes; each app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cchc.stats.api import StatsView

router = DefaultRouter()

urlpatterns = [
    path("stats/", StatsView.as_view(), name="api-stats"),
    *router.urls,
]
