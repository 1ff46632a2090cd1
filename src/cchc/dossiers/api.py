"""REST endpoints for dossiers (hồ sơ): lists, detail with history, receipt and every action of
the state machine, CSV export and import.

Everything is limited to the dossiers the caller may see (selectors.visible_dossiers); one
outside that answers 404 like one that does not exist. The action endpoints are generated from
the registry (actions.py) and call the one service function that the web and the CLI call too.
"""

from __future__ import annotations

import inspect
import io

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cchc.api_common import (
    ID_PARAMETER,
    ApiViewMixin,
    BadRequest,
    Conflict,
    ErrorSerializer,
    choice_params,
    date_param,
    int_param,
)
from cchc.csvfiles import CsvFileError
from cchc.downloads import stored_file_response
from cchc.errors import ErrorCode
from cchc.org.constants import Role
from cchc.org.scopes import visible_unit_by_code
from cchc.spreadsheet_safety import CsvWriter

from . import imports, services
from .api_inputs import ReceiveSerializer
from .constants import Channel, Status
from .exchange import ImportReport, csv_lines
from .models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFile,
    DossierPause,
    ImportJob,
)
from .selectors import (
    AmbiguousCode,
    dossier_by_code,
    visible_dossiers,
)
from .transitions import (
    TRANSITIONS,
    ActionForbidden,
    DossierError,
    InvalidDossierInput,
    Transition,
    allowed_actions,
)

# ---------------------------------------------------------------------------- serializers


class DossierPauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierPause
        fields = [
            "reason",
            "started_at",
            "started_date",
            "resumed_at",
            "resumed_date",
            "paused_working_days",
            "due_date_after",
        ]


class DossierEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    from_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    to_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Plain strings: as enums they would be a second and third name for the Status choices.
    from_status = serializers.CharField(read_only=True, help_text="a dossier status, or empty")
    to_status = serializers.CharField(read_only=True, help_text="a dossier status, or empty")

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "actor",
            "action",
            "from_status",
            "to_status",
            "from_unit",
            "to_unit",
            "note",
            "data",
        ]


class DossierComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierComponent
        fields = ["component", "name", "originals", "certified_copies", "photocopies", "digitized"]


class DossierFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text="the file's download address (GET, same authentication as the API)"
    )

    class Meta:
        model = DossierFile
        fields = [
            "id",
            "kind",
            "component",
            "original_name",
            "size",
            "sha256",
            "uploaded_at",
            "download",
        ]

    def get_download(self, stored: DossierFile) -> str:
        path = reverse("dossier-file", args=[stored.dossier.code, stored.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DossierSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    handling_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    procedure_name = serializers.CharField(
        source="procedure.name", read_only=True, default=None, allow_null=True
    )
    field = serializers.SlugRelatedField(slug_field="name", read_only=True)
    field_id = serializers.IntegerField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    dvcqg_status_code = serializers.IntegerField(
        read_only=True,
        help_text="status code of the national public-service portal (Cổng DVCQG), 1–10",
    )
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "unit",
            "unit_name",
            "handling_unit",
            "procedure",
            "procedure_name",
            "field",
            "field_id",
            "channel",
            "online_level",
            "status",
            "status_label",
            "dvcqg_status_code",
            "applicant_name",
            "applicant_id_number",
            "received_at",
            "received_date",
            "initial_due_date",
            "due_at",
            "due_date",
            "appointment_at",
            "outcome",
            "ended_at",
            "ended_date",
            "timeliness",
            "assignee",
            "version",
        ]


class DossierDetailSerializer(DossierSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    components = DossierComponentSerializer(many=True, read_only=True)
    files = DossierFileSerializer(many=True, read_only=True)
    pauses = DossierPauseSerializer(many=True, read_only=True)
    events = DossierEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="the actions the caller may take now (POST …/actions/<action>/)"
    )

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "department",
            "applicant_phone",
            "applicant_address",
            "applicant_email",
            "request_summary",
            "input_digitization",
            "result_digitized",
            "fee",
            "paid_online",
            "satisfaction",
            "returned_at",
            "end_reason",
            "components",
            "files",
            "pauses",
            "events",
            "allowed_actions",
        ]

    def get_allowed_actions(self, dossier: Dossier) -> list[str]:
        return [str(a) for a in allowed_actions(dossier, self.context["request"].user)]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="dossier CSV (exchange-format.md §1), UTF-8")


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="the line of the file where the record starts")
    last_line = serializers.IntegerField(
        allow_null=True, help_text="its last line when it runs over several (a broken quote)"
    )
    column = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="lines of the file not imported")
    errors = RowErrorSerializer(
        many=True, help_text="the first CCHC_IMPORT_MAX_ERRORS row errors, by line"
    )
    errors_total = serializers.IntegerField(help_text="every row error, listed or not")
    errors_truncated = serializers.BooleanField(help_text="whether `errors` lists fewer")
    warnings = serializers.ListField(child=serializers.CharField())
    detail = serializers.CharField(help_text="Vietnamese summary")


class ImportJobSerializer(serializers.ModelSerializer):
    """A queued import and its progress (`line` of `last_line` read)."""

    # A plain string: as an enum it would clash with the dossier's `status` in the schema.
    status = serializers.CharField(read_only=True, help_text="queued, running, done or failed")
    errors = RowErrorSerializer(many=True, read_only=True)
    errors_truncated = serializers.SerializerMethodField()
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "status",
            "file_name",
            "size",
            "created_at",
            "started_at",
            "finished_at",
            "line",
            "last_line",
            "imported",
            "unchanged",
            "rejected_lines",
            "errors",
            "errors_total",
            "errors_truncated",
            "warnings",
            "detail",
        ]
        read_only_fields = fields

    def get_errors_truncated(self, job: ImportJob) -> bool:
        return job.errors_total > len(job.errors)

    def get_url(self, job: ImportJob) -> str:
        return self.context["request"].build_absolute_uri(job_path(job))


def job_path(job: ImportJob) -> str:
    return reverse("dossier-import-job", kwargs={"job_id": job.pk})


# ---------------------------------------------------------------------------- import


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = ErrorCode.FILE_TOO_LARGE
    default_detail = gettext_lazy("Tệp quá lớn.")


# Room for the multipart envelope around the file in a request's length.
MULTIPART_OVERHEAD = 64 * 1024


def _report_data(report: ImportReport) -> dict:
    return {
        "imported": report.imported,
        "unchanged": report.unchanged,
        "rejected": report.rejected_lines,
        "errors": [imports.error_data(e) for e in report.errors],
        "errors_total": report.errors_total,
        "errors_truncated": report.errors_truncated,
        "warnings": report.warnings,
        "detail": report.summary(),
    }


# ---------------------------------------------------------------------------- export


class CsvRenderer(BaseRenderer):
    """Lets a caller ask for text/csv; errors on the CSV route then come out as a small CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not data:
            return b""
        stream = io.StringIO()
        writer = CsvWriter(stream)  # the detail may quote what the caller sent
        writer.writerow(["code", "detail"])
        writer.writerow([data.get("code", ""), data.get("detail", "")])
        return stream.getvalue().encode("utf-8")


class DownloadRenderer(BaseRenderer):
    """Lets a caller ask for a stored file with `Accept: application/octet-stream`; the file
    itself comes as a FileResponse, errors as a small text."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict):
            return f"{data.get('code', '')}: {data.get('detail', '')}".encode()
        return data or b""


# ---------------------------------------------------------------------------- list filters


FILTER_PARAMETERS = [
    OpenApiParameter("unit", str, description="unit code: dossiers received in its subtree"),
    OpenApiParameter("status", str, enum=Status.values, description="comma-separated or repeated"),
    OpenApiParameter("channel", str, enum=Channel.values, description="comma-separated"),
    OpenApiParameter("field", ID_PARAMETER, description="field id"),
    OpenApiParameter("procedure", str, description="procedure code"),
    OpenApiParameter("received_from", OpenApiTypes.DATE, description="received on or after"),
    OpenApiParameter("received_to", OpenApiTypes.DATE, description="received on or before"),
    OpenApiParameter("due_before", OpenApiTypes.DATE, description="due date strictly before"),
    OpenApiParameter("open", bool, description="true: not closed yet; false: closed"),
    OpenApiParameter(
        "q", str, description="search: part of the code or applicant name, or the ID number"
    ),
]


def filter_dossiers(queryset: QuerySet[Dossier], request: Request) -> QuerySet[Dossier]:
    """Apply the list filters of the query string; 400 on a malformed value."""
    params = request.query_params
    unit_code = params.get("unit", "").strip()
    if unit_code:
        root = visible_unit_by_code(request.user, unit_code)
        if root is None:
            return queryset.none()
        queryset = queryset.filter(unit__path__startswith=root.path)
    statuses = choice_params(request, "status", Status.values)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    channels = choice_params(request, "channel", Channel.values)
    if channels:
        queryset = queryset.filter(channel__in=channels)
    field_id = int_param(request, "field")
    if field_id is not None:
        queryset = queryset.filter(field_id=field_id)
    procedure = params.get("procedure", "").strip()
    if procedure:
        queryset = queryset.filter(procedure__code=procedure)
    received_from = date_param(request, "received_from")
    if received_from:
        queryset = queryset.filter(received_date__gte=received_from)
    received_to = date_param(request, "received_to")
    if received_to:
        queryset = queryset.filter(received_date__lte=received_to)
    due_before = date_param(request, "due_before")
    if due_before:
        queryset = queryset.filter(due_date__lt=due_before)
    is_open = params.get("open", "").strip().lower()
    if is_open in ("true", "1"):
        queryset = queryset.filter(outcome="")
    elif is_open in ("false", "0"):
        queryset = queryset.exclude(outcome="")
    elif is_open:
        raise exceptions.ValidationError({"open": [_("Cần true hoặc false.")]})
    q = params.get("q", "").strip()
    if q:
        queryset = queryset.filter(
            Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_id_number=q)
        )
    return queryset


# ---------------------------------------------------------------------------- views


class CanImportDossiers(permissions.BasePermission):
    """Importing is receiving dossiers in bulk: the one-stop officers' and the unit admins' job."""

    message = gettext_lazy("Chỉ cán bộ Bộ phận Một cửa hoặc quản trị đơn vị được nhập hồ sơ.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.is_superuser or user.role in (Role.OFFICER, Role.ADMIN)


def api_error(exc: DossierError | ActionForbidden) -> exceptions.APIException:
    """A refusal of the state machine as an API error: the service's code and message."""
    if isinstance(exc, ActionForbidden):
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    if isinstance(exc, InvalidDossierInput):
        return BadRequest(exc.message, code=exc.code)
    return Conflict(exc.message, code=exc.code)


ACTION_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="invalid input (code says which)"),
    403: OpenApiResponse(ErrorSerializer, description="role_not_allowed, out_of_scope"),
    404: OpenApiResponse(ErrorSerializer, description="no such dossier in the caller's scope"),
    409: OpenApiResponse(
        ErrorSerializer,
        description="stale_dossier (version changed), transition_not_allowed, …",
    ),
}


def action_endpoint(transition: Transition):
    """POST /api/dossiers/{code}/actions/<action>/: one transition through its service, with
    the input the registry names for it."""
    act, serializer_class, service = transition.action, transition.api_input, transition.service

    def endpoint(self, request: Request, code: str | None = None) -> Response:
        dossier = self.get_object()
        serializer = serializer_class(
            data=request.data, context={**self.get_serializer_context(), "dossier": dossier}
        )
        serializer.is_valid(raise_exception=True)
        try:
            changed = service(dossier, actor=request.user, **serializer.service_kwargs())
        except (DossierError, ActionForbidden) as exc:
            raise api_error(exc) from exc
        return Response(self.detail_data(changed))

    # The router dispatches to the attribute named like the function: name it before @action.
    endpoint.__name__ = endpoint.__qualname__ = act.value
    endpoint = viewset_action(
        detail=True,
        methods=["post"],
        url_path=f"actions/{act.value}",
        url_name=f"action-{act.value.replace('_', '-')}",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        serializer_class=serializer_class,
    )(endpoint)
    return extend_schema(
        summary=f"{act.label} ({act.value})",
        description=inspect.getdoc(service),
        operation_id=f"dossiers_{act.value}",
        request=serializer_class,
        parameters=[UNIT_PARAMETER],
        responses={200: DossierDetailSerializer, **ACTION_ERRORS},
    )(endpoint)


UNIT_PARAMETER = OpenApiParameter(
    "unit",
    str,
    description="code of the receiving unit: needed when the code is given by several units "
    "of the caller's subtree (codes are unique per unit; 409 ambiguous_code otherwise)",
)


def with_action_endpoints(viewset: type) -> type:
    """One endpoint for each action of the registry on an existing dossier (receiving one is
    POST /api/dossiers/, the viewset's `create`)."""
    for transition in TRANSITIONS.values():
        if not transition.creates:
            setattr(viewset, transition.action.value, action_endpoint(transition))
    return viewset


@with_action_endpoints
@extend_schema_view(
    list=extend_schema(summary="Dossiers the caller may see", parameters=FILTER_PARAMETERS),
    retrieve=extend_schema(
        summary="One dossier, by code, with its components, files, pauses and events",
        parameters=[UNIT_PARAMETER],
    ),
)
class DossierViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Dossiers received by, or forwarded to, a unit of the caller's subtree."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DossierDetailSerializer
        return self.serializer_class or DossierSerializer

    def get_renderers(self):
        if self.action == "export":
            return [JSONRenderer(), CsvRenderer()]
        return super().get_renderers()

    def get_queryset(self) -> QuerySet[Dossier]:
        qs = visible_dossiers(self.request.user)
        if self.action == "export":
            return qs
        qs = qs.select_related("unit", "handling_unit", "procedure", "field", "assignee")
        return self.with_history(qs) if self.action == "retrieve" else qs

    def get_object(self) -> Dossier:
        """The dossier of the caller's scope with the code of the address (and `?unit=`)."""
        queryset = self.filter_queryset(self.get_queryset())
        unit_code = self.request.query_params.get("unit", "").strip()
        try:
            dossier = dossier_by_code(queryset, self.kwargs["code"], unit_code)
        except AmbiguousCode as exc:
            raise Conflict(
                _(
                    "Mã hồ sơ %(code)s có ở nhiều đơn vị tiếp nhận (%(units)s): hãy ghi thêm "
                    "?unit=<mã đơn vị>."
                )
                % {"code": exc.code, "units": ", ".join(exc.units)},
                code=ErrorCode.AMBIGUOUS_CODE,
            ) from None
        if dossier is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, dossier)
        return dossier

    def filter_queryset(self, queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
        if self.action in ("list", "export"):
            return filter_dossiers(queryset, self.request)
        return queryset

    def with_history(self, queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
        return queryset.select_related("department").prefetch_related(
            "components",
            "files",
            "pauses",
            Prefetch(
                "events",
                queryset=DossierEvent.objects.select_related("actor", "from_unit", "to_unit"),
            ),
        )

    def detail_data(self, dossier: Dossier) -> dict:
        """The detail of a dossier just changed, read back with its history."""
        dossier = self.with_history(self.get_queryset()).get(pk=dossier.pk)
        return DossierDetailSerializer(dossier, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Receive a dossier (tiếp nhận) for a unit of the caller's subtree",
        description=inspect.getdoc(services.receive_dossier),
        request=ReceiveSerializer,
        responses={201: DossierDetailSerializer, 400: ACTION_ERRORS[400], 403: ACTION_ERRORS[403]},
    )
    def create(self, request: Request) -> Response:
        serializer = ReceiveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            dossier = services.receive_dossier(actor=request.user, **serializer.service_kwargs())
        except (DossierError, ActionForbidden) as exc:
            raise api_error(exc) from exc
        return Response(self.detail_data(dossier), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a digitised file of a dossier (a paper's scan or the result)",
        description=(
            "Always an attachment; its content type is that of a PDF, office document or "
            "image, else application/octet-stream. 404 for a dossier outside the caller's "
            "scope, like an unknown one."
        ),
        operation_id="dossiers_file",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the file"
            ),
            (404, "application/json"): ErrorSerializer,
        },
    )
    @viewset_action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<file_id>[0-9]+)",
        url_name="file",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def file(self, request: Request, code: str | None = None, file_id: str = "") -> FileResponse:
        dossier = self.get_object()
        stored = DossierFile.objects.filter(dossier=dossier, pk=int(file_id)).first()
        if stored is None:
            raise exceptions.NotFound()
        return stored_file_response(stored.file, stored.original_name)

    @extend_schema(
        summary="The dossiers the caller may see, as the exchange CSV (exchange-format.md §1)",
        description="Streams the dossiers that match the list filters.",
        operation_id="dossiers_export",
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="the CSV"),
            (400, "application/json"): ErrorSerializer,
        },
    )
    def export(self, request: Request) -> StreamingHttpResponse:
        queryset = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(
            csv_lines(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="dossiers.csv"'
        return response

    @extend_schema(
        summary="Import a dossier CSV (exchange-format.md §1) for the caller's subtree",
        description=(
            "Rows whose unit_code lies outside the caller's subtree are rejected with a row "
            "error, as rows of units that do not exist; a code is a key within its unit. 200 "
            "when every row was imported or already present, 422 when some rows were rejected "
            "(the others are stored; `errors` lists the first CCHC_IMPORT_MAX_ERRORS), 400 "
            "when the file cannot be read, 413 above CCHC_IMPORT_MAX_BYTES. With `async=1`, "
            "or above CCHC_IMPORT_ASYNC_BYTES, the import is queued for the task worker: 202 "
            "and a Location to follow (GET /api/dossiers/import/jobs/{id}/)."
        ),
        operation_id="dossiers_import",
        parameters=[
            OpenApiParameter(
                "async", bool, description="1: queue the import and answer 202 at once"
            )
        ],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportReportSerializer,
            202: ImportJobSerializer,
            422: ImportReportSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            413: ErrorSerializer,
        },
    )
    @viewset_action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[permissions.IsAuthenticated, CanImportDossiers],
        serializer_class=ImportUploadSerializer,
    )
    def import_csv(self, request: Request) -> Response:
        limit = imports.max_bytes()
        # Refused before the body is read when its announced length says so.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(imports.too_large_message())
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        uploaded = upload.validated_data["file"]
        if uploaded.size > limit:
            raise PayloadTooLarge(imports.too_large_message())
        queued = request.query_params.get("async", "").strip().lower() in ("1", "true")
        if queued or uploaded.size > imports.async_bytes():
            job = imports.queue_import(request.user, uploaded)
            return Response(
                ImportJobSerializer(job, context=self.get_serializer_context()).data,
                status=status.HTTP_202_ACCEPTED,
                headers={"Location": request.build_absolute_uri(job_path(job))},
            )
        try:
            report = imports.import_now(request.user, uploaded)
        except CsvFileError as exc:
            raise BadRequest(str(exc), code=ErrorCode.UNREADABLE_FILE) from None
        return Response(
            _report_data(report),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY
            if report.errors_total
            else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="A queued dossier import: its status, progress and report",
        description=(
            "The caller's own imports and those of the units of their subtree; 404 otherwise."
        ),
        operation_id="dossiers_import_job",
        responses={200: ImportJobSerializer, 404: ErrorSerializer},
    )
    @viewset_action(
        detail=False,
        methods=["get"],
        url_path=r"import/jobs/(?P<job_id>[0-9]{1,18})",
        url_name="import-job",
        permission_classes=[permissions.IsAuthenticated, CanImportDossiers],
        serializer_class=ImportJobSerializer,
    )
    def import_job(self, request: Request, job_id: str) -> Response:
        job = imports.import_jobs_of(request.user).filter(pk=int(job_id)).first()
        if job is None:
            raise exceptions.NotFound()
        return Response(ImportJobSerializer(job, context=self.get_serializer_context()).data)
