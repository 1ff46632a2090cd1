"""REST endpoints for the catalogue: fields (lĩnh vực) and procedures (thủ tục hành chính).

The catalogue is shared by every unit, so any authenticated caller reads all of it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from cchc.api_common import ID_PARAMETER, ApiViewMixin, choice_params, int_param
from cchc.text import fold

from .constants import OnlineLevel
from .models import Field, Procedure, ProcedureComponent


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "name", "code"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureComponent
        fields = ["name", "required", "order"]


class ProcedureSerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "level",
            "processing_time",
            "time_unit",
            "online_level",
            "fee",
            "postal",
            "interconnected",
            "active",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    components = ComponentSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "components"]


@extend_schema_view(
    list=extend_schema(summary="Fields of procedures (lĩnh vực)"),
    retrieve=extend_schema(summary="One field"),
)
class FieldViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Fields of procedures (lĩnh vực), e.g. Hộ tịch, Chứng thực, Đất đai."""

    serializer_class = FieldSerializer
    queryset = Field.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="Procedures of the catalogue",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description='words of the code, name or field; accents optional ("ho tich")',
            ),
            OpenApiParameter("field", ID_PARAMETER, description="field id"),
            OpenApiParameter("level", str, description="level name, e.g. district, commune"),
            OpenApiParameter(
                "online_level", str, enum=OnlineLevel.values, description="comma-separated"
            ),
        ],
    ),
    retrieve=extend_schema(summary="One procedure, by code, with its components"),
)
class ProcedureViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Administrative procedures of the catalogue (thủ tục hành chính), shared by all units."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_object(self) -> Procedure:
        # A code may be in several catalogues: answer the one closest to the caller's unit.
        chosen = self.get_queryset().filter(code=self.kwargs["code"]).closest_first().first()
        if chosen is None:
            raise NotFound()
        return chosen

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer

    def get_queryset(self) -> QuerySet[Procedure]:
        # The shared catalogue plus the catalogues of the caller's province (and units inside).
        qs = Procedure.objects.select_related("field").visible_to(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("components")
        return qs

    def filter_queryset(self, queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
        if self.action != "list":
            return queryset
        request = self.request
        for word in fold(request.query_params.get("q", "")).split():
            queryset = queryset.filter(name_search__contains=word)
        field_id = int_param(request, "field")
        if field_id is not None:
            queryset = queryset.filter(field_id=field_id)
        level = request.query_params.get("level", "").strip()
        if level:
            queryset = queryset.filter(level=level)
        online_levels = choice_params(request, "online_level", OnlineLevel.values)
        if online_levels:
            queryset = queryset.filter(online_level__in=online_levels)
        return queryset
