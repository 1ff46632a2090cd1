"""The one-stop's Django forms (web input): receiving a dossier, filtering the lists and one
small form per action of the registry (cchc.dossiers.actions), registered with `form_for`. Forms
only read the input; the services decide what is allowed. The printed paper forms of a dossier
are cchc.onestop.paper_forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure, ProcedureComponent
from cchc.dossiers.constants import Channel, Digitization, Satisfaction, Status
from cchc.dossiers.models import Dossier, DossierFile
from cchc.dossiers.selectors import (
    eligible_assignees,
    forward_departments,
    forward_units,
    reusable_results,
)
from cchc.dossiers.services import ReceivedComponent
from cchc.dossiers.transitions import Action
from cchc.limits import integer_bounds, integer_range, parse_id
from cchc.org.models import Unit
from cchc.org.scopes import visible_units
from cchc.text import fold, visible_text

from .templatetags.onestop import person

DATE_INPUT = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm.")}
MAX_COPIES = 99


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, with the numeric keypad on phones."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": "10",
            "class": "os-date",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


# ---------------------------------------------------------------------------- receiving


def choosable_procedures(user):
    """The active procedures a person may receive a dossier for (or search, or open the panel
    of): those of the catalogues their units use."""
    return Procedure.objects.filter(active=True).visible_to(user).select_related("field")


class ComponentRow:
    """One paper of the procedure on the receiving form, with its bound fields."""

    def __init__(self, form: ReceiveForm, component: ProcedureComponent) -> None:
        self.component = component
        prefix = f"c{component.pk}"
        self.received = form[prefix]
        self.originals = form[f"{prefix}_originals"]
        self.certified_copies = form[f"{prefix}_certified"]
        self.photocopies = form[f"{prefix}_photocopies"]
        self.scan = form[f"{prefix}_scan"]
        self.reuse = form[f"{prefix}_reuse"] if f"{prefix}_reuse" in form.fields else None


class ReceiveForm(forms.Form):
    """Receiving a dossier (tiếp nhận): the procedure, the applicant, the papers handed in."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none(), empty_label=None
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=Procedure.objects.filter(active=True).select_related("field"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Hãy chọn thủ tục hành chính."),
            "invalid_choice": _("Thủ tục không có hoặc không còn áp dụng."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=Channel.choices,
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / CCCD"), max_length=20, required=False
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    request_summary = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_papers = forms.CharField(
        label=_("Giấy tờ khác"),
        help_text=_("Mỗi dòng một giấy tờ."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    input_digitization = forms.ChoiceField(
        label=_("Số hóa thành phần hồ sơ"),
        choices=[("", _("Tự động theo tệp đã quét")), *Digitization.choices],
        required=False,
    )

    def __init__(self, *args, user, procedure: Procedure | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_units(user).filter(active=True).order_by("path")
        # Only procedures of catalogues the person's units use; clean() checks the unit chosen.
        self.fields["procedure"].queryset = choosable_procedures(user)
        if user.unit_id is not None:
            self.fields["unit"].initial = user.unit_id
        self.chosen_procedure = procedure or self._procedure_in_data()
        if self.chosen_procedure is not None:
            self.fields["procedure"].initial = self.chosen_procedure.pk
        self.components = (
            list(self.chosen_procedure.components.all()) if self.chosen_procedure else []
        )
        self.reusable = self._reusable_files()
        for component in self.components:
            self._add_component_fields(component)

    def _given(self, name: str) -> str:
        """A value typed in (bound form) or handed over (initial), before validation."""
        source = self.data if self.is_bound else self.initial
        return str(source.get(self.add_prefix(name) if self.is_bound else name) or "").strip()

    def _procedure_in_data(self) -> Procedure | None:
        pk = parse_id(self._given("procedure"))
        if pk is None:
            return None
        return choosable_procedures(self.user).filter(pk=pk).first()

    def clean(self) -> dict:
        data = super().clean()
        unit, procedure = data.get("unit"), data.get("procedure")
        if (
            unit is not None
            and procedure is not None
            and not Procedure.objects.used_by(unit, procedure)
        ):
            # Shown above the form: the chosen procedure's panel has no place for it.
            self.add_error(
                None,
                forms.ValidationError(
                    _("Thủ tục này không thuộc danh mục thủ tục của đơn vị %(unit)s.")
                    % {"unit": unit.name},
                    code="not_in_catalogue",
                ),
            )
        return data

    def _reusable_files(self) -> list[DossierFile]:
        id_number = self._given("applicant_id_number")
        if not self.components or not id_number:
            return []
        return list(reusable_results(self.user, id_number)[:20])

    def _add_component_fields(self, component: ProcedureComponent) -> None:
        prefix = f"c{component.pk}"
        self.fields[prefix] = forms.BooleanField(label=component.name, required=False)
        for name, label, initial in (
            ("originals", _("Bản chính"), 1),
            ("certified", _("Bản sao chứng thực"), 0),
            ("photocopies", _("Bản photo"), 0),
        ):
            self.fields[f"{prefix}_{name}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_COPIES,
                initial=initial,
                required=False,
                widget=forms.NumberInput(attrs={"class": "os-count"}),
            )
        self.fields[f"{prefix}_scan"] = forms.FileField(label=_("Bản quét"), required=False)
        if self.reusable:
            self.fields[f"{prefix}_reuse"] = forms.TypedChoiceField(
                label=_("Dùng lại kết quả đã số hóa"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[
                    ("", "—"),
                    *(
                        (
                            f.pk,
                            f"{f.original_name} · {f.dossier.code} · {f.uploaded_at:%d/%m/%Y}",
                        )
                        for f in self.reusable
                    ),
                ],
            )

    @property
    def component_rows(self) -> list[ComponentRow]:
        return [ComponentRow(self, c) for c in self.components]

    def received_components(self) -> list[ReceivedComponent]:
        """The papers ticked (or scanned, or reused) and the other papers, one per line."""
        data = self.cleaned_data
        files = {f.pk: f for f in self.reusable}
        received = []
        for component in self.components:
            prefix = f"c{component.pk}"
            scan = data.get(f"{prefix}_scan")
            reuse = files.get(data.get(f"{prefix}_reuse"))
            if not (data.get(prefix) or scan or reuse):
                continue
            received.append(
                ReceivedComponent(
                    component=component,
                    originals=data.get(f"{prefix}_originals") or 0,
                    certified_copies=data.get(f"{prefix}_certified") or 0,
                    photocopies=data.get(f"{prefix}_photocopies") or 0,
                    scan=scan or None,
                    reuse=None if scan else reuse,
                )
            )
        for line in data.get("other_papers", "").splitlines():
            if visible_text(line):
                received.append(ReceivedComponent(name=visible_text(line)[:500]))
        return received

    def clean_applicant_name(self) -> str:
        name = visible_text(self.cleaned_data["applicant_name"])
        if not name:
            raise forms.ValidationError(
                _("Hãy nhập họ và tên người nộp (không chỉ khoảng trắng hay ký tự ẩn)."),
                code="blank",
            )
        return name

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data["unit"],
            "procedure": data["procedure"],
            "channel": data["channel"],
            "applicant_name": data["applicant_name"],
            "applicant_id_number": data["applicant_id_number"],
            "applicant_phone": data["applicant_phone"],
            "applicant_address": data["applicant_address"],
            "applicant_email": data["applicant_email"],
            "request_summary": data["request_summary"],
            "components": self.received_components(),
            "input_digitization": data["input_digitization"] or None,
        }


# ---------------------------------------------------------------------------- lists


class DossierFilterForm(forms.Form):
    """The filters of the dossier lists; every field is optional."""

    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Mã hồ sơ, tên người nộp, số định danh"), "type": "search"}
        ),
    )
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), coerce=int, required=False, empty_value=None
    )
    procedure = forms.CharField(
        label=_("Thủ tục"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Mã hoặc tên thủ tục")}),
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả")), *Channel.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Status.choices], required=False
    )
    received_from = date_field(_("Tiếp nhận từ ngày"), required=False)
    received_to = date_field(_("đến ngày"), required=False)

    def __init__(self, *args, fields: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả")), *fields]

    def search_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "text": data.get("q", ""),
            "field_id": data.get("field"),
            "channel": data.get("channel", ""),
            "status": data.get("status", ""),
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
        }

    def procedure_condition(self) -> Q | None:
        """The procedure filter: its exact code, or words of its name (accents optional)."""
        text = (self.cleaned_data.get("procedure", "") if self.is_valid() else "").strip()
        if not text:
            return None
        words = Q()
        for word in fold(text).split():
            words &= Q(procedure__name_search__contains=word)
        return Q(procedure__code__iexact=text) | words

    @property
    def active(self) -> bool:
        return self.is_valid() and any(v not in (None, "") for v in self.cleaned_data.values())


class TrackingBookForm(forms.Form):
    """The period of the tracking book (sổ theo dõi hồ sơ) to export."""

    start = date_field(_("Từ ngày"))
    end = date_field(_("Đến ngày"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data


# ---------------------------------------------------------------------------- actions


class ActionForm(forms.Form):
    """What every action posts: the version of the dossier the officer saw."""

    action: Action  # set by `form_for`
    # Whether its choices cost queries: the dossier page then loads it when it is opened.
    loaded_when_opened = False
    expected_version = forms.IntegerField(
        min_value=1, max_value=integer_range(Dossier, "version")[1], widget=forms.HiddenInput
    )

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        kwargs.setdefault("prefix", self.action.value)
        kwargs.setdefault("initial", {"expected_version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# The page's form of each action of the registry but receiving (its own page, ReceiveForm).
ACTION_FORMS: dict[Action, type[ActionForm]] = {}


def form_for(action: Action):
    """Register the decorated form as the one the dossier page shows for `action`."""

    def register(form: type[ActionForm]) -> type[ActionForm]:
        if action in ACTION_FORMS:
            raise ImproperlyConfigured(f"Two forms for the action {action.value}.")
        form.action = action
        ACTION_FORMS[action] = form
        return form

    return register


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def reason_field(label, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


@form_for(Action.ASSIGN)
class AssignForm(ActionForm):
    loaded_when_opened = True
    assignee = forms.ModelChoiceField(
        label=_("Người xử lý"), queryset=None, empty_label=_("— Chọn người xử lý —")
    )
    note = note_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = eligible_assignees(self.dossier)
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{person(u)} · {u.get_role_display()} · {u.unit.name}"
        )


@form_for(Action.FORWARD)
class ForwardForm(ActionForm):
    loaded_when_opened = True
    to_department = forms.ModelChoiceField(
        label=_("Phòng ban nhận"), queryset=None, required=False, empty_label="—"
    )
    to_unit = forms.ModelChoiceField(
        label=_("Hoặc đơn vị khác (liên thông)"), queryset=None, required=False, empty_label="—"
    )
    note = note_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = list(forward_units(self.dossier))
        self.fields["to_unit"].queryset = forward_units(self.dossier)
        self.fields["to_department"].queryset = forward_departments(self.dossier, units)
        self.fields["to_department"].label_from_instance = lambda d: f"{d.name} · {d.unit.name}"

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        department = data.get("to_department")
        here = self.dossier.handling_unit or self.dossier.unit
        if department is not None and data.get("to_unit") is None and department.unit_id != here.pk:
            # A department of another unit: the dossier goes to that unit (liên thông).
            data["to_unit"] = department.unit
        return data


@form_for(Action.REQUEST_SUPPLEMENT)
class RequestSupplementForm(ActionForm):
    reason = reason_field(_("Nội dung, lý do yêu cầu bổ sung"))
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện"),
        help_text=_("Mỗi dòng một giấy tờ."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["items"] = [line.strip() for line in data["items"].splitlines() if line.strip()]
        return data


@form_for(Action.RESUME)
class ResumeForm(ActionForm):
    note = note_field()


@form_for(Action.RESOLVE)
class ResolveForm(ActionForm):
    note = note_field()


YES_NO_UNKNOWN = [("", _("Chưa ghi nhận")), ("yes", _("Có")), ("no", _("Không"))]


@form_for(Action.RETURN_RESULT)
class ReturnResultForm(ActionForm):
    result_file = forms.FileField(label=_("Bản số hóa kết quả"), required=False)
    result_digitized = forms.BooleanField(label=_("Kết quả đã được số hóa"), required=False)
    paid_online = forms.ChoiceField(
        label=_("Thanh toán phí, lệ phí trực tuyến"), choices=YES_NO_UNKNOWN, required=False
    )
    fee = forms.IntegerField(
        label=_("Phí, lệ phí (đồng)"), required=False, **integer_bounds(Dossier, "fee")
    )
    satisfaction = forms.ChoiceField(
        label=_("Mức độ hài lòng của người nộp"),
        choices=[("", _("Chưa đánh giá")), *Satisfaction.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = note_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fee"].initial = self.dossier.fee
        if self.dossier.paid_online is not None:
            self.fields["paid_online"].initial = "yes" if self.dossier.paid_online else "no"

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["result_file"] = data["result_file"] or None
        data["result_digitized"] = True if data["result_digitized"] else None
        data["paid_online"] = {"yes": True, "no": False}.get(data["paid_online"])
        return data


@form_for(Action.REJECT)
class RejectForm(ActionForm):
    reason = reason_field(_("Lý do từ chối"))


@form_for(Action.WITHDRAW)
class WithdrawForm(ActionForm):
    reason = reason_field(_("Lý do rút hồ sơ"), required=False)


@form_for(Action.STOP)
class StopForm(ActionForm):
    reason = reason_field(_("Lý do dừng xử lý"))


@form_for(Action.APOLOGISE)
class ApologiseForm(ActionForm):
    new_appointment = date_field(_("Ngày hẹn trả mới"))
    reason = reason_field(_("Lý do chậm trễ"))
