"""What each dossier action takes through the API: one input serializer per action of the
registry (cchc.dossiers.actions), checked for shape here and for meaning by the action's
service. `service_kwargs()` is what the service is called with."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cchc.catalog.models import Procedure, ProcedureComponent
from cchc.limits import integer_bounds, integer_range, max_length
from cchc.org.models import Unit
from cchc.org.scopes import visible_unit_by_code
from cchc.text import visible_text

from .constants import Channel, Digitization, Satisfaction
from .models import Department, Dossier, DossierComponent, DossierPause
from .selectors import eligible_assignees, forward_units
from .services import ReceivedComponent


class ActionSerializer(serializers.Serializer):
    """What every action takes: the version the caller saw (optimistic locking) and, for
    entries made after the fact, the moment it happened."""

    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=integer_range(Dossier, "version")[1],
        help_text="the dossier's `version` as the caller last read it",
    )
    at = serializers.DateTimeField(
        required=False, help_text="when it happened (default: now); never in the future"
    )

    def service_kwargs(self) -> dict:
        return dict(self.validated_data)


class NoteSerializer(ActionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(ActionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# One answer for a choice that does not exist and one outside what the dossier allows: the
# answer never tells whether a person, unit or department exists elsewhere.
NOT_A_CHOICE = gettext_lazy("Không phải lựa chọn hợp lệ trong phạm vi của bạn.")
CHOICE_ERRORS = {"does_not_exist": NOT_A_CHOICE, "invalid": NOT_A_CHOICE}


class AssignSerializer(NoteSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.none(),
        error_messages=CHOICE_ERRORS,
        help_text="username of a specialist or leader who can act on the dossier",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dossier = self.context.get("dossier")
        if dossier is not None:
            self.fields["assignee"].queryset = eligible_assignees(dossier)


class ForwardSerializer(NoteSerializer):
    to_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.none(),
        required=False,
        error_messages=CHOICE_ERRORS,
        help_text="unit code, to send it to another unit (liên thông)",
    )
    to_department = serializers.CharField(
        required=False, help_text="department code within the target unit"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dossier = self.context.get("dossier")
        if dossier is not None:
            self.fields["to_unit"].queryset = forward_units(dossier)

    def validate(self, attrs: dict) -> dict:
        code = attrs.pop("to_department", "")
        if code:
            dossier = self.context["dossier"]
            target = attrs.get("to_unit") or dossier.handling_unit or dossier.unit
            department = Department.objects.filter(unit=target, code=code, active=True).first()
            if department is None:
                raise serializers.ValidationError({"to_department": NOT_A_CHOICE})
            attrs["to_department"] = department
        return attrs


class RequestSupplementSerializer(ActionSerializer):
    reason = serializers.CharField(
        max_length=max_length(DossierPause, "reason"),
        help_text="what must be supplemented, and why",
    )
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ReturnResultSerializer(NoteSerializer):
    result_file = serializers.FileField(
        required=False, help_text="the digitised result (multipart/form-data)"
    )
    result_digitized = serializers.BooleanField(required=False, allow_null=True, default=None)
    paid_online = serializers.BooleanField(required=False, allow_null=True, default=None)
    fee = serializers.IntegerField(
        required=False, allow_null=True, default=None, **integer_bounds(Dossier, "fee")
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, default=""
    )


class ApologiseSerializer(ActionSerializer):
    new_appointment = serializers.DateField(help_text="the new date promised, a working day")
    reason = serializers.CharField(help_text="why the dossier is late")


class ReceivedComponentSerializer(serializers.Serializer):
    # An id, looked up among the procedure's own components (ReceiveSerializer.validate): the
    # answer is the same for an unknown id and for another procedure's component.
    component = serializers.IntegerField(
        required=False,
        allow_null=True,
        **integer_bounds(ProcedureComponent, "id"),
        help_text="id of the procedure's component; or give `name` for another paper",
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(DossierComponent, "name"),
    )
    originals = serializers.IntegerField(default=0, **integer_bounds(DossierComponent, "originals"))
    certified_copies = serializers.IntegerField(
        default=0, **integer_bounds(DossierComponent, "certified_copies")
    )
    photocopies = serializers.IntegerField(
        default=0, **integer_bounds(DossierComponent, "photocopies")
    )


class ReceiveSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="code of the receiving unit, in the caller's subtree")
    procedure = serializers.CharField(
        help_text="procedure code, looked up in the receiving unit's catalogue"
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant_name = serializers.CharField(max_length=max_length(Dossier, "applicant_name"))
    applicant_id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(Dossier, "applicant_id_number"),
    )
    applicant_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(Dossier, "applicant_phone"),
    )
    applicant_address = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(Dossier, "applicant_address"),
    )
    applicant_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(Dossier, "applicant_email"),
    )
    request_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length(Dossier, "request_summary"),
    )
    components = ReceivedComponentSerializer(many=True, required=False, default=list)
    input_digitization = serializers.ChoiceField(
        choices=Digitization.choices, required=False, allow_null=True, default=None
    )
    at = serializers.DateTimeField(required=False, help_text="when received (default: now)")

    def validate_applicant_name(self, name: str) -> str:
        name = visible_text(name)
        if not name:
            raise serializers.ValidationError(
                _("Cần nhập họ và tên người nộp (không chỉ khoảng trắng hay ký tự ẩn)."),
                code="blank",
            )
        return name

    def validate_unit(self, code: str) -> Unit:
        unit = visible_unit_by_code(self.context["request"].user, code)
        if unit is None:
            raise serializers.ValidationError(
                _("Không có đơn vị mã %(code)s trong phạm vi của bạn.") % {"code": code}
            )
        return unit

    def validate(self, attrs: dict) -> dict:
        procedure = Procedure.objects.for_unit(attrs["unit"], attrs["procedure"])
        if procedure is None:
            raise serializers.ValidationError(
                {
                    "procedure": _("Không có thủ tục mã %(code)s trong danh mục của đơn vị.")
                    % {"code": attrs["procedure"]}
                }
            )
        attrs["procedure"] = procedure
        own = procedure.components.in_bulk()
        errors = {}
        for index, received in enumerate(attrs.get("components", [])):
            pk = received.get("component")
            if pk is None:
                continue
            if pk not in own:
                errors[index] = {
                    "component": [
                        _("Thủ tục %(code)s không có thành phần số %(id)s.")
                        % {"code": procedure.code, "id": pk}
                    ]
                }
            else:
                received["component"] = own[pk]
        if errors:
            raise serializers.ValidationError(
                {"components": [errors.get(i, {}) for i in range(len(attrs["components"]))]}
            )
        return attrs

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["components"] = [ReceivedComponent(**c) for c in data["components"]]
        return data
