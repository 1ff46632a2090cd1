"""Every change of a dossier's state: one function per action of the registry (actions.py).

Each function checks the actor's scope and role, the version the actor saw (optimistic
locking: UPDATE ... WHERE version = expected, so of two officers acting at once the second is
told and nothing is overwritten) and the transition table, then writes the dossier, its pause
and one event in one transaction. The dates the statistics cut on (received_date, ended_date,
timeliness, due_date with due_date_since, pause intervals with due_date_after) are written
here so that any past day's state can be read back from them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.catalog.models import Procedure, ProcedureComponent
from cchc.errors import ErrorCode
from cchc.org.models import Unit
from cchc.org.scopes import can_see_unit
from cchc.text import visible_text
from cchc.workcalendar import calendar

from .clock import VN_TZ, due_by, legal_due, local_date, shifted_due
from .codes import next_code
from .constants import Channel, Digitization, EventAction, Outcome, Satisfaction
from .journal import dossiers_changed
from .models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFile,
    DossierPause,
    DossierWarning,
    FileKind,
    WarningKind,
    timeliness_of,
)
from .transitions import (
    ACTIVE,
    NEW,
    PROCESSING_ROLES,
    Action,
    ActionForbidden,
    DossierError,
    InvalidDossierInput,
    StaleDossier,
    Transition,
    TransitionNotAllowed,
    can_act_on,
    require_no_apology,
    require_role,
    require_scope,
    require_status,
)

__all__ = [
    "ActionForbidden",
    "DossierError",
    "InvalidDossierInput",
    "ReceivedComponent",
    "StaleDossier",
    "TransitionNotAllowed",
    "apologise",
    "assign_dossier",
    "forward_dossier",
    "receive_dossier",
    "record_deadline_warnings",
    "reject_dossier",
    "request_supplement",
    "resolve_dossier",
    "resume_dossier",
    "return_result",
    "stop_dossier",
    "withdraw_dossier",
]


@dataclass(frozen=True)
class ReceivedComponent:
    """One paper handed in at receipt: the procedure's component (or a free name), how many
    originals and copies, and its digitised copy: a new scan, or an earlier digitised result
    of the same applicant that is reused."""

    component: ProcedureComponent | None = None
    name: str = ""
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    scan: File | None = None
    reuse: DossierFile | None = None

    @property
    def digitized(self) -> bool:
        return self.scan is not None or self.reuse is not None


# ---------------------------------------------------------------------------- shared steps


def _invalid(message: str, code: ErrorCode) -> InvalidDossierInput:
    return InvalidDossierInput(message, code=code)


def _moment(at: dt.datetime | None) -> dt.datetime:
    """The moment of an action: now, or a given past moment (imports, back-office entry)."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = at.replace(tzinfo=VN_TZ)
    if at > now:
        raise _invalid(
            _("Không ghi nhận thao tác ở thời điểm trong tương lai."), ErrorCode.FUTURE_MOMENT
        )
    return at


def _required_text(value: str, label: str) -> str:
    # Zero-width and other invisible characters alone are no text (a name nobody can read).
    text = visible_text(value)
    if not text:
        raise _invalid(_("Cần nhập %(label)s.") % {"label": label}, ErrorCode.REASON_REQUIRED)
    return text


def _load(pk: int) -> Dossier:
    return Dossier.objects.select_related("unit", "handling_unit", "procedure").get(pk=pk)


def _stale(dossier: Dossier) -> StaleDossier:
    return StaleDossier(
        _(
            "Hồ sơ %(code)s đã được người khác cập nhật trong lúc bạn thao tác; "
            "không có thay đổi nào được ghi. Vui lòng tải lại hồ sơ và thử lại."
        )
        % {"code": dossier.code}
    )


def _open_pause(dossier: Dossier) -> DossierPause | None:
    return dossier.pauses.filter(resumed_at__isnull=True).order_by("-started_at").first()


def _not_before(dossier: Dossier, at: dt.datetime, *moments: dt.datetime | None) -> None:
    """An action cannot be dated before the dossier's receipt or its last recorded action."""
    last = (
        dossier.events.exclude(action=EventAction.IMPORTED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    floor = max(m for m in (dossier.received_at, dossier.ended_at, last, *moments) if m)
    if at < floor:
        raise _invalid(
            _("Thời điểm thao tác %(at)s trước thao tác gần nhất của hồ sơ (%(floor)s).")
            % {
                "at": f"{at.astimezone(VN_TZ):%H:%M %d/%m/%Y}",
                "floor": f"{floor.astimezone(VN_TZ):%H:%M %d/%m/%Y}",
            },
            ErrorCode.MOMENT_BEFORE_LAST_ACTION,
        )


def _begin(
    dossier: Dossier, action: Action, actor, expected_version: int, at: dt.datetime | None
) -> tuple[Dossier, Transition, dt.datetime]:
    """Read the dossier afresh and check scope, role, version and status, in that order."""
    at = _moment(at)
    current = _load(dossier.pk)
    require_scope(actor, current)
    require_role(action, actor)
    if current.version != expected_version:
        raise _stale(current)
    transition = require_status(action, current.status)
    return current, transition, at


def _commit(
    current: Dossier,
    transition: Transition,
    actor,
    expected_version: int,
    at: dt.datetime,
    changes: dict,
    *,
    note: str = "",
    data: dict | None = None,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
) -> None:
    """Write the changes only if nobody changed the row since it was read, then the event."""
    if transition.target is not None:
        changes["status"] = transition.target
    updated = Dossier.objects.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise _stale(current)
    # The unit's stored counts of periods that end on or after the action's day are void. A
    # dossier imported without a return moment counts as returned from its end on, and no
    # longer once its hand-over is recorded: from its end then.
    since = local_date(at)
    if current.ended_date is not None and not current.return_tracked:
        since = min(since, current.ended_date)
    dossiers_changed([current.unit_id], since)
    DossierEvent.objects.create(
        dossier=current,
        at=at,
        actor=actor,
        action=transition.event,
        from_status=current.status,
        to_status=changes.get("status", current.status),
        from_unit=from_unit,
        to_unit=to_unit,
        note=note,
        data=data or {},
    )


def _moved(moment: dt.datetime, day: dt.date) -> dt.datetime:
    """The same local time of day on another date."""
    return dt.datetime.combine(day, moment.astimezone(VN_TZ).time(), tzinfo=VN_TZ)


def _store_file(
    dossier: Dossier,
    kind: str,
    upload: File,
    actor,
    at: dt.datetime,
    component: DossierComponent | None = None,
) -> DossierFile:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    name = os.path.basename(upload.name or "scan")
    stored = DossierFile(
        dossier=dossier,
        kind=kind,
        component=component,
        original_name=name[:255],
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        uploaded_at=at,
    )
    stored.file.save(name, upload, save=True)
    return stored


def _close_open_pause(current: Dossier, at: dt.datetime) -> None:
    """A dossier closed while paused: the pause ends with it and the due date stays."""
    pause = _open_pause(current)
    if pause is None:
        return
    pause.resumed_at = at
    pause.resumed_date = local_date(at)
    pause.paused_working_days = calendar.working_days_between(
        pause.started_date, pause.resumed_date, current.unit
    )
    pause.due_date_after = current.due_date
    pause.save()


# ---------------------------------------------------------------------------- receive


def _check_components(
    procedure: Procedure, components: Sequence[ReceivedComponent], applicant_id: str, actor
) -> None:
    seen: set[int] = set()
    for received in components:
        if received.component is None:
            if not visible_text(received.name):
                raise _invalid(_("Thành phần hồ sơ cần có tên."), ErrorCode.COMPONENT_NAME_REQUIRED)
        elif received.component.procedure_id != procedure.pk:
            raise _invalid(
                _("Thành phần “%(name)s” không thuộc thủ tục %(code)s.")
                % {"name": received.component.name, "code": procedure.code},
                ErrorCode.COMPONENT_NOT_IN_PROCEDURE,
            )
        elif received.component.pk in seen:
            raise _invalid(
                _("Thành phần “%(name)s” được khai hai lần.") % {"name": received.component.name},
                ErrorCode.COMPONENT_REPEATED,
            )
        else:
            seen.add(received.component.pk)
        if min(received.originals, received.certified_copies, received.photocopies) < 0:
            raise _invalid(_("Số bản giấy tờ không được âm."), ErrorCode.COMPONENT_COUNT_NEGATIVE)
        if received.reuse is not None:
            reused = received.reuse
            if (
                reused.kind != FileKind.RESULT
                or not applicant_id
                or reused.dossier.applicant_id_number != applicant_id
                or not can_act_on(actor, reused.dossier)
            ):
                raise _invalid(
                    _("Chỉ tái sử dụng được kết quả đã số hóa của chính người nộp hồ sơ."),
                    ErrorCode.REUSE_NOT_ALLOWED,
                )
    missing = [c.name for c in procedure.components.filter(required=True) if c.pk not in seen]
    if missing:
        raise _invalid(
            _("Hồ sơ chưa đủ thành phần bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
            ErrorCode.COMPONENTS_MISSING,
        )


def _digitization_of(components: Sequence[ReceivedComponent]) -> str:
    digitized = sum(1 for c in components if c.digitized)
    if not components or digitized == 0:
        return Digitization.NONE
    return Digitization.FULL if digitized == len(components) else Digitization.PARTIAL


@transaction.atomic
def receive_dossier(
    *,
    actor,
    unit: Unit,
    procedure: Procedure,
    channel: str,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
    applicant_email: str = "",
    request_summary: str = "",
    components: Sequence[ReceivedComponent] = (),
    input_digitization: str | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Receive a dossier (tiếp nhận): code, legal due date (the day of receipt not counted,
    a deadline on a day off moved to the next working day), components and their scans."""
    at = _moment(at)
    transition = require_role(Action.RECEIVE, actor)
    if not can_see_unit(actor, unit):
        raise ActionForbidden(
            _("Bạn không được tiếp nhận hồ sơ cho đơn vị %(unit)s.") % {"unit": unit.code},
            code=ErrorCode.OUT_OF_SCOPE,
        )
    if channel not in Channel.values:
        raise _invalid(_("Kênh tiếp nhận không hợp lệ."), ErrorCode.INVALID_CHANNEL)
    if not procedure.active:
        raise _invalid(
            _("Thủ tục %(code)s không còn áp dụng.") % {"code": procedure.code},
            ErrorCode.PROCEDURE_INACTIVE,
        )
    if not Procedure.objects.used_by(unit, procedure):
        # Another province's catalogue (or a procedure its own catalogue replaces).
        raise _invalid(
            _("Thủ tục này không thuộc danh mục thủ tục của đơn vị %(unit)s.")
            % {"unit": unit.code},
            ErrorCode.PROCEDURE_NOT_IN_CATALOGUE,
        )
    if input_digitization is not None and input_digitization not in Digitization.values:
        raise _invalid(_("Mức độ số hóa không hợp lệ."), ErrorCode.INVALID_DIGITIZATION)
    name = _required_text(applicant_name, _("tên người nộp hồ sơ"))
    applicant_id_number = applicant_id_number.strip()
    _check_components(procedure, components, applicant_id_number, actor)

    received_date = local_date(at)
    due_at = legal_due(procedure, at, unit)
    due_date = local_date(due_at)
    dossier = Dossier.objects.create(
        code=next_code(unit, received_date),
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        channel=channel,
        online_level=procedure.online_level,
        status=transition.target,
        applicant_name=name,
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone.strip(),
        applicant_address=applicant_address.strip(),
        applicant_email=applicant_email.strip(),
        request_summary=request_summary.strip(),
        received_at=at,
        received_date=received_date,
        initial_due_date=due_date,
        due_at=due_at,
        due_date=due_date,
        due_date_since=received_date,
        input_digitization=input_digitization or _digitization_of(components),
        input_digitization_given=True,
        fee=procedure.fee,
    )
    for order, received in enumerate(components):
        row = DossierComponent.objects.create(
            dossier=dossier,
            component=received.component,
            name=visible_text(received.name) or received.component.name,
            originals=received.originals,
            certified_copies=received.certified_copies,
            photocopies=received.photocopies,
            digitized=received.digitized,
            order=order,
        )
        if received.scan is not None:
            _store_file(dossier, FileKind.COMPONENT, received.scan, actor, at, row)
        elif received.reuse is not None:
            DossierFile.objects.create(
                dossier=dossier,
                kind=FileKind.COMPONENT,
                component=row,
                file=received.reuse.file.name,
                original_name=received.reuse.original_name,
                size=received.reuse.size,
                sha256=received.reuse.sha256,
                reused_from=received.reuse,
                uploaded_by=actor,
                uploaded_at=at,
            )
    DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=actor,
        action=transition.event,
        from_status=NEW,
        to_status=dossier.status,
        to_unit=unit,
        data={"due_date": due_date.isoformat()},
    )
    return _load(dossier.pk)


# ---------------------------------------------------------------------------- processing


@transaction.atomic
def assign_dossier(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    assignee,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Assign the dossier to a specialist or leader who can act on it (phân công xử lý)."""
    current, transition, at = _begin(dossier, Action.ASSIGN, actor, expected_version, at)
    _not_before(current, at)
    if (
        assignee is None
        or not assignee.is_active
        or not (assignee.is_superuser or assignee.role in PROCESSING_ROLES)
        or not can_act_on(assignee, current)
    ):
        raise _invalid(
            _("Người được phân công phải là chuyên viên hoặc lãnh đạo xử lý được hồ sơ này."),
            ErrorCode.ASSIGNEE_NOT_ELIGIBLE,
        )
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {"assignee": assignee},
        note=note,
        data={"assignee": assignee.pk, "previous_assignee": current.assignee_id},
    )
    return _load(current.pk)


@transaction.atomic
def forward_dossier(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    to_unit: Unit | None = None,
    to_department=None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Move the dossier to another department, or to another unit (liên thông). The
    receiving unit, which the statistics count it under, does not change."""
    current, transition, at = _begin(dossier, Action.FORWARD, actor, expected_version, at)
    _not_before(current, at)
    here = current.handling_unit or current.unit
    target = to_unit or here
    if to_unit is None and to_department is None:
        raise _invalid(
            _("Cần chọn phòng ban hoặc đơn vị nhận hồ sơ."), ErrorCode.FORWARD_TARGET_MISSING
        )
    if not target.active:
        raise _invalid(
            _("Đơn vị %(unit)s không còn hoạt động.") % {"unit": target.code},
            ErrorCode.UNIT_INACTIVE,
        )
    if to_department is not None and (
        to_department.unit_id != target.pk or not to_department.active
    ):
        raise _invalid(
            _("Phòng ban “%(dept)s” không thuộc đơn vị %(unit)s.")
            % {"dept": to_department.name, "unit": target.code},
            ErrorCode.DEPARTMENT_NOT_IN_UNIT,
        )
    to_department_id = to_department.pk if to_department is not None else None
    if target.pk == here.pk and to_department_id == current.department_id:
        raise _invalid(_("Hồ sơ đang ở đúng nơi này."), ErrorCode.FORWARD_TO_SAME_PLACE)
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {
            "handling_unit": None if target.pk == current.unit_id else target,
            "department": to_department,
            "assignee": None,
        },
        note=note,
        data={"from_department": current.department_id, "to_department": to_department_id},
        from_unit=here,
        to_unit=target,
    )
    return _load(current.pk)


@transaction.atomic
def request_supplement(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    reason: str,
    items: Sequence[str] = (),
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to supplement the dossier (phiếu yêu cầu bổ sung, hoàn thiện): the
    clock stops; a pause interval opens."""
    current, transition, at = _begin(
        dossier, Action.REQUEST_SUPPLEMENT, actor, expected_version, at
    )
    _not_before(current, at)
    reason = _required_text(reason, _("nội dung yêu cầu bổ sung"))
    items = [i.strip() for i in items if i.strip()]
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {"ever_paused": True},
        note=reason,
        data={"items": items},
    )
    DossierPause.objects.create(
        dossier=current, reason=reason, started_at=at, started_date=local_date(at)
    )
    return _load(current.pk)


@transaction.atomic
def resume_dossier(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The supplement arrived: the pause closes and the due date (and any new appointment)
    moves by the working days paused."""
    current, transition, at = _begin(dossier, Action.RESUME, actor, expected_version, at)
    pause = _open_pause(current)
    if pause is None:
        raise TransitionNotAllowed(
            _("Hồ sơ %(code)s không có lần tạm dừng nào đang mở.") % {"code": current.code},
            code=ErrorCode.NO_OPEN_PAUSE,
        )
    _not_before(current, at, pause.started_at)
    resumed_date = local_date(at)
    paused_days, new_due = shifted_due(
        current.due_date, pause.started_date, resumed_date, current.unit
    )
    changes = {
        "due_date": new_due,
        "due_at": _moved(current.due_at, new_due),
        "due_date_since": resumed_date,
    }
    if current.appointment_at is not None and paused_days:
        appointment = calendar.add_working_days(
            local_date(current.appointment_at), paused_days, current.unit
        )
        changes["appointment_at"] = _moved(current.appointment_at, appointment)
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        changes,
        note=note,
        data={
            "paused_working_days": paused_days,
            "due_date_before": current.due_date.isoformat(),
            "due_date_after": new_due.isoformat(),
        },
    )
    pause.resumed_at = at
    pause.resumed_date = resumed_date
    pause.paused_working_days = paused_days
    pause.due_date_after = new_due
    pause.save()
    return _load(current.pk)


@transaction.atomic
def resolve_dossier(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Approve the result (đã xử lý xong): early, on time or late by the legal due date; a new
    appointment given in an apology does not make a late dossier on time."""
    current, transition, at = _begin(dossier, Action.RESOLVE, actor, expected_version, at)
    _not_before(current, at)
    ended_date = local_date(at)
    timeliness = timeliness_of(ended_date, current.due_date)
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {
            "outcome": Outcome.RESOLVED,
            "ended_at": at,
            "ended_date": ended_date,
            "timeliness": timeliness,
            # Resolved here, handed over here: not returned until return_result says so.
            "return_tracked": True,
        },
        note=note,
        data={"timeliness": timeliness, "due_date": current.due_date.isoformat()},
    )
    return _load(current.pk)


@transaction.atomic
def return_result(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    result_file: File | None = None,
    result_digitized: bool | None = None,
    paid_online: bool | None = None,
    fee: int | None = None,
    satisfaction: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the result to the applicant (trả kết quả): its digitised copy, whether fees were
    paid online, the applicant's satisfaction. The resolution date does not change."""
    current, transition, at = _begin(dossier, Action.RETURN_RESULT, actor, expected_version, at)
    _not_before(current, at)
    if satisfaction and satisfaction not in Satisfaction.values:
        raise _invalid(_("Mức độ hài lòng không hợp lệ."), ErrorCode.INVALID_SATISFACTION)
    if fee is not None and fee < 0:
        raise _invalid(_("Phí, lệ phí không được âm."), ErrorCode.FEE_NEGATIVE)
    if result_file is not None:
        result_digitized = True
    changes = {"returned_at": at, "satisfaction": satisfaction}
    for key, value in (
        ("result_digitized", result_digitized),
        ("paid_online", paid_online),
        ("fee", fee),
    ):
        if value is not None:
            changes[key] = value
    _commit(current, transition, actor, expected_version, at, changes, note=note)
    if result_file is not None:
        _store_file(current, FileKind.RESULT, result_file, actor, at)
    return _load(current.pk)


# ---------------------------------------------------------------------------- closing


def _close(
    dossier: Dossier,
    action: Action,
    outcome: str,
    *,
    actor,
    expected_version: int,
    reason: str,
    reason_label: str | None,
    at: dt.datetime | None,
) -> Dossier:
    current, transition, at = _begin(dossier, action, actor, expected_version, at)
    _not_before(current, at)
    reason = _required_text(reason, reason_label) if reason_label else (reason or "").strip()
    ended_date = local_date(at)
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {"outcome": outcome, "ended_at": at, "ended_date": ended_date, "end_reason": reason},
        note=reason,
    )
    _close_open_pause(current, at)
    return _load(current.pk)


def _closing_service(action: Action, outcome: str, reason_label, doc: str):
    """The service of an action that ends the dossier with `outcome`; `reason_label` names the
    reason that must be given (None: the reason is optional)."""

    @transaction.atomic
    def service(
        dossier: Dossier,
        *,
        actor,
        expected_version: int,
        reason: str = "",
        at: dt.datetime | None = None,
    ) -> Dossier:
        return _close(
            dossier,
            action,
            outcome,
            actor=actor,
            expected_version=expected_version,
            reason=reason,
            reason_label=reason_label,
            at=at,
        )

    service.__doc__ = doc
    return service


reject_dossier = _closing_service(
    Action.REJECT,
    Outcome.REJECTED,
    gettext_lazy("lý do từ chối"),
    "Refuse the dossier (phiếu từ chối tiếp nhận, giải quyết hồ sơ), with the reason.",
)
withdraw_dossier = _closing_service(
    Action.WITHDRAW,
    Outcome.WITHDRAWN,
    None,
    "Withdraw the dossier at the applicant's request (công dân yêu cầu rút hồ sơ).",
)
stop_dossier = _closing_service(
    Action.STOP,
    Outcome.REJECTED,
    gettext_lazy("lý do dừng xử lý"),
    "Stop processing (thông báo dừng giải quyết hồ sơ); counted with the rejected ones.",
)


@transaction.atomic
def apologise(
    dossier: Dossier,
    *,
    actor,
    expected_version: int,
    new_appointment: dt.date | dt.datetime,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """Apologise and set a new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả), once.

    The legal due date does not move: a dossier resolved after it is still late.
    """
    current, transition, at = _begin(dossier, Action.APOLOGISE, actor, expected_version, at)
    require_no_apology(current)
    _not_before(current, at)
    reason = _required_text(reason, _("lý do chậm trễ"))
    if isinstance(new_appointment, dt.datetime):
        appointment_at = new_appointment
        if timezone.is_naive(appointment_at):
            appointment_at = appointment_at.replace(tzinfo=VN_TZ)
    else:
        appointment_at = calendar.office_close(new_appointment)
    day = local_date(appointment_at)
    if day <= current.due_date or day < local_date(at):
        raise _invalid(
            _("Ngày hẹn lại phải sau hạn giải quyết %(due)s.")
            % {"due": f"{current.due_date:%d/%m/%Y}"},
            ErrorCode.APPOINTMENT_NOT_AFTER_DUE,
        )
    if not calendar.is_working_day(day, current.unit):
        raise _invalid(
            _("Ngày hẹn lại %(day)s không phải ngày làm việc.") % {"day": f"{day:%d/%m/%Y}"},
            ErrorCode.APPOINTMENT_ON_DAY_OFF,
        )
    # Sent in time when at least CCHC_APOLOGY_NOTICE_DAYS working days are left before the
    # due date; a later one is still given, and marked so on the timeline and control slip.
    notice = calendar.working_days_between(local_date(at), current.due_date, current.unit)
    required = settings.CCHC_APOLOGY_NOTICE_DAYS
    _commit(
        current,
        transition,
        actor,
        expected_version,
        at,
        {"appointment_at": appointment_at},
        note=reason,
        data={
            "appointment_at": appointment_at.isoformat(),
            "due_date": current.due_date.isoformat(),
            "notice_days": notice,
            "notice_required": required,
            "notice_in_time": notice >= required,
        },
    )
    return _load(current.pk)


# ---------------------------------------------------------------------------- warnings


def record_deadline_warnings(today: dt.date) -> dict[str, int]:
    """Record, once per due date, a warning for each dossier being processed that is due by
    the next working day (time to apologise, at least a day before) or already overdue."""
    active = Dossier.objects.filter(status__in=ACTIVE)
    counts = {}
    for kind, due in (
        (WarningKind.DUE_SOON, Q(due_date__gte=today) & due_by(today, 1)),
        (WarningKind.OVERDUE, Q(due_date__lt=today)),
    ):
        already = DossierWarning.objects.filter(
            dossier=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
        )
        new = [
            DossierWarning(dossier_id=pk, kind=kind, due_date=due_date, day=today)
            for pk, due_date in active.filter(due)
            .exclude(Exists(already))
            .values_list("pk", "due_date")
        ]
        DossierWarning.objects.bulk_create(new, ignore_conflicts=True)
        counts[str(kind)] = len(new)
    return counts
