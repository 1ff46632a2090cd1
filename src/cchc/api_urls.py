"""REST API routes; each app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cchc.catalog.api import FieldViewSet, ProcedureViewSet
from cchc.dossiers.api import DossierViewSet
from cchc.org.api import UnitViewSet
from cchc.stats.api import StatsView


class Router(DefaultRouter):
    # No format suffixes: procedure and dossier codes contain dots ("1.000123.000.00.00.H22").
    include_format_suffixes = False


router = Router()
router.register("units", UnitViewSet, basename="unit")
router.register("fields", FieldViewSet, basename="field")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = [
    path("stats/", StatsView.as_view(), name="api-stats"),
    path(
        "dossiers/export.csv",
        DossierViewSet.as_view({"get": "export"}),
        name="dossier-export",
    ),
    *router.urls,
]
