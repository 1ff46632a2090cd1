"""REST endpoints for the unit tree, limited to the caller's subtree."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from cchc.api_common import ApiViewMixin

from .models import Unit
from .scopes import visible_unit_by_code, visible_units


class UnitSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="name", read_only=True)
    level_label = serializers.CharField(source="level.label", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    merged_into = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "level_label",
            "parent",
            "path",
            "depth",
            "official_code",
            "place_name",
            "active",
            "dissolved_on",
            "merged_into",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Units of the caller's subtree",
        parameters=[
            OpenApiParameter("within", str, description="unit code: only its subtree"),
            OpenApiParameter("level", str, description="level name, e.g. district, commune"),
        ],
    ),
    retrieve=extend_schema(summary="One unit of the caller's subtree, by code"),
)
class UnitViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Units (tỉnh, huyện, xã…) of the caller's subtree; a superuser sees them all."""

    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Unit]:
        return visible_units(self.request.user).select_related("level", "parent", "merged_into")

    def filter_queryset(self, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        if self.action != "list":
            return queryset
        params = self.request.query_params
        within = params.get("within", "").strip()
        if within:
            root = visible_unit_by_code(self.request.user, within)
            if root is None:
                return queryset.none()
            queryset = queryset.filter(path__startswith=root.path)
        level = params.get("level", "").strip()
        if level:
            queryset = queryset.filter(level__name=level)
        return queryset
