"""REST endpoint for period statistics, scoped to the caller's subtree."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.errors import ErrorCode
from cchc.org.models import Unit
from cchc.org.scopes import can_see_unit

from .periods import Period, PeriodError, parse_iso_date
from .selectors import period_statistics


class StatsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code"),
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Period statistics of a unit's subtree (exchange-format.md §2)",
    )
    def get(self, request):
        code = request.query_params.get("unit", "")
        unit = Unit.objects.filter(code=code).first()
        # An unknown unit and one outside the caller's subtree answer the same: no enumeration.
        if unit is None or not can_see_unit(request.user, unit):
            return Response(
                {
                    "code": ErrorCode.UNIT_NOT_FOUND,
                    "detail": _("Không tìm thấy đơn vị hoặc bạn không có quyền xem."),
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        try:
            period = Period(
                parse_iso_date(request.query_params.get("start", ""), "start"),
                parse_iso_date(request.query_params.get("end", ""), "end"),
            )
        except PeriodError as exc:
            return Response(
                {"code": ErrorCode.INVALID_PERIOD, "detail": str(exc)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(period_statistics(unit, period.start, period.end))
