"""The lifecycle services: every transition, every refusal, deadlines, codes and locking."""

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import F

from cchc.catalog.constants import TimeUnit
from cchc.dossiers import services
from cchc.dossiers.constants import (
    Channel,
    Digitization,
    EventAction,
    Outcome,
    Satisfaction,
    Status,
    Timeliness,
)
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause, FileKind
from cchc.dossiers.services import (
    ReceivedComponent,
    apologise,
    assign_dossier,
    forward_dossier,
    receive_dossier,
    reject_dossier,
    request_supplement,
    resolve_dossier,
    resume_dossier,
    return_result,
    stop_dossier,
    withdraw_dossier,
)
from cchc.dossiers.transitions import (
    TRANSITIONS,
    Action,
    ActionForbidden,
    InvalidDossierInput,
    StaleDossier,
    TransitionNotAllowed,
)
from cchc.org.constants import Role
from cchc.workcalendar import calendar
from tests.factories import (
    DepartmentFactory,
    DossierFactory,
    ProcedureComponentFactory,
    ProcedureFactory,
    UserFactory,
    staff_of,
    vn_moment,
)

D = dt.date
RECEIVED_ON = D(2023, 3, 1)  # a Wednesday; 3 working days → due Monday 6/3
DUE = D(2023, 3, 6)
ACTION_DAY = D(2023, 3, 2)


@pytest.fixture
def world(tree):
    unit = tree["P-D-1"]
    return SimpleNamespace(
        tree=tree,
        unit=unit,
        procedure=ProcedureFactory(processing_time=3, fee=20000),
        staff=staff_of(unit),
        district=staff_of(tree["P-D"]),
        sibling=staff_of(tree["P-D-2"]),
        outsider=staff_of(tree["Q-1"]),
        department=DepartmentFactory(unit=unit, code="TP", name="Tư pháp"),
    )


def receive(world, day=RECEIVED_ON, hour=9, **kwargs):
    options = {
        "actor": world.staff[Role.OFFICER],
        "unit": world.unit,
        "procedure": world.procedure,
        "channel": Channel.DIRECT,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001090000001",
        "at": vn_moment(day, hour),
    }
    options.update(kwargs)
    return receive_dossier(**options)


def bring_to(world, status, day=RECEIVED_ON):
    """A dossier taken to `status` through the services, all on `day`."""
    staff = world.staff
    dossier = receive(world, day=day, hour=8)
    if status == Status.RECEIVED:
        return dossier

    def step(fn, actor, hour, **kwargs):
        return fn(
            dossier,
            actor=actor,
            expected_version=dossier.version,
            at=vn_moment(day, hour),
            **kwargs,
        )

    if status == Status.NOT_ACCEPTED:
        return step(reject_dossier, staff[Role.OFFICER], 9, reason="Không thuộc thẩm quyền")
    if status == Status.WITHDRAWN:
        return step(withdraw_dossier, staff[Role.OFFICER], 9, reason="Người nộp xin rút")
    if status == Status.STOPPED:
        return step(stop_dossier, staff[Role.LEADER], 9, reason="Có tranh chấp")
    dossier = step(assign_dossier, staff[Role.OFFICER], 9, assignee=staff[Role.SPECIALIST])
    if status == Status.PROCESSING:
        return dossier
    if status == Status.SUPPLEMENT:
        return step(request_supplement, staff[Role.SPECIALIST], 10, reason="Thiếu bản sao")
    dossier = step(resolve_dossier, staff[Role.SPECIALIST], 10)
    if status == Status.RESOLVED:
        return dossier
    return step(return_result, staff[Role.OFFICER], 11)


def dossier_in(world, status):
    if status in (Status.REGISTERED, Status.AWAITING_FEE):  # no service leads there yet
        return DossierFactory(unit=world.unit, procedure=world.procedure, status=status)
    return bring_to(world, status)


def act(world, action, dossier, actor, *, version=None, at=None):
    """Take `action` with valid arguments; the version and moment may be overridden."""
    kwargs = {
        "actor": actor,
        "expected_version": dossier.version if version is None else version,
        "at": at or vn_moment(ACTION_DAY, 10),
    }
    match action:
        case Action.ASSIGN:
            return assign_dossier(dossier, assignee=world.staff[Role.SPECIALIST], **kwargs)
        case Action.FORWARD:
            return forward_dossier(dossier, to_department=world.department, **kwargs)
        case Action.REQUEST_SUPPLEMENT:
            return request_supplement(dossier, reason="Thiếu giấy khai sinh", **kwargs)
        case Action.RESUME:
            return resume_dossier(dossier, **kwargs)
        case Action.RESOLVE:
            return resolve_dossier(dossier, **kwargs)
        case Action.RETURN_RESULT:
            return return_result(dossier, **kwargs)
        case Action.REJECT:
            return reject_dossier(dossier, reason="Không thuộc thẩm quyền", **kwargs)
        case Action.WITHDRAW:
            return withdraw_dossier(dossier, reason="Người nộp xin rút", **kwargs)
        case Action.STOP:
            return stop_dossier(dossier, reason="Có tranh chấp", **kwargs)
        case Action.APOLOGISE:
            return apologise(
                dossier, new_appointment=D(2023, 3, 10), reason="Chờ xác minh", **kwargs
            )
    raise AssertionError(action)


def allowed_role(action):
    return sorted(TRANSITIONS[action].roles)[0]


PROCESS_ACTIONS = [a for a in Action if a != Action.RECEIVE]
PAIRS = [(a, s) for a in PROCESS_ACTIONS for s in sorted(TRANSITIONS[a].sources)]


def snapshot(dossier):
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.version, fresh.status, fresh.events.count(), fresh.pauses.count()


# ---------------------------------------------------------------------------- every transition


@pytest.mark.parametrize(("action", "source"), PAIRS)
def test_every_allowed_transition_moves_the_status_and_writes_one_event(world, action, source):
    dossier = dossier_in(world, source)
    events = dossier.events.count()
    actor = world.staff[allowed_role(action)]
    after = act(world, action, dossier, actor)
    target = TRANSITIONS[action].target or source
    assert after.status == target
    assert after.version == dossier.version + 1
    assert after.events.count() == events + 1
    event = after.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        TRANSITIONS[action].event,
        actor,
        source,
        target,
    )
    assert event.at == vn_moment(ACTION_DAY, 10)


@pytest.mark.parametrize(
    ("action", "status"),
    [(a, s) for a in PROCESS_ACTIONS for s in Status.values if s not in TRANSITIONS[a].sources],
)
def test_a_transition_from_a_status_outside_the_table_is_refused(world, action, status):
    dossier = dossier_in(world, status)
    before = snapshot(dossier)
    with pytest.raises(TransitionNotAllowed) as caught:
        act(world, action, dossier, world.staff[allowed_role(action)])
    assert caught.value.code == "transition_not_allowed"
    assert snapshot(dossier) == before


@pytest.mark.parametrize(
    ("action", "role"),
    [(a, r) for a in PROCESS_ACTIONS for r in Role if r not in TRANSITIONS[a].roles],
)
def test_a_role_outside_the_table_is_refused(world, action, role):
    dossier = dossier_in(world, sorted(TRANSITIONS[action].sources)[0])
    before = snapshot(dossier)
    with pytest.raises(ActionForbidden) as caught:
        act(world, action, dossier, world.staff[role])
    assert caught.value.code == "role_not_allowed"
    assert snapshot(dossier) == before


@pytest.mark.parametrize("action", PROCESS_ACTIONS)
@pytest.mark.parametrize("where", ["sibling", "outsider"])
def test_a_person_outside_the_dossiers_subtree_is_refused(world, action, where):
    dossier = dossier_in(world, sorted(TRANSITIONS[action].sources)[0])
    before = snapshot(dossier)
    with pytest.raises(ActionForbidden) as caught:
        act(world, action, dossier, getattr(world, where)[allowed_role(action)])
    assert caught.value.code == "out_of_scope"
    assert snapshot(dossier) == before


@pytest.mark.parametrize("action", PROCESS_ACTIONS)
def test_a_person_of_a_parent_unit_may_act_on_the_subtree(world, action):
    dossier = dossier_in(world, sorted(TRANSITIONS[action].sources)[0])
    after = act(world, action, dossier, world.district[allowed_role(action)])
    assert after.version == dossier.version + 1


@pytest.mark.parametrize("action", PROCESS_ACTIONS)
def test_a_stale_version_is_refused_and_nothing_is_written(world, action):
    dossier = dossier_in(world, sorted(TRANSITIONS[action].sources)[0])
    before = snapshot(dossier)
    with pytest.raises(StaleDossier) as caught:
        act(world, action, dossier, world.staff[allowed_role(action)], version=dossier.version - 1)
    assert caught.value.code == "stale_dossier"
    assert "đã được người khác cập nhật" in str(caught.value)
    assert snapshot(dossier) == before


def test_a_superuser_without_a_unit_may_act_anywhere(world):
    root = UserFactory(unit=None, role=Role.REFORM_OFFICER, is_superuser=True)
    dossier = receive(world, actor=root)
    assert act(world, Action.RESOLVE, dossier, root).status == Status.RESOLVED


def test_an_anonymous_person_is_refused(world):
    from django.contrib.auth.models import AnonymousUser

    dossier = receive(world)
    with pytest.raises(ActionForbidden):
        act(world, Action.RESOLVE, dossier, AnonymousUser())


# ---------------------------------------------------------------------------- optimistic locking


def test_the_second_of_two_officers_acting_on_the_same_version_is_told_and_overwrites_nothing(
    world,
):
    dossier = receive(world)
    seen_by_both = dossier.version
    first = reject_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=seen_by_both,
        reason="Sai thẩm quyền",
        at=vn_moment(ACTION_DAY, 9),
    )
    with pytest.raises(StaleDossier):
        request_supplement(
            dossier,
            actor=world.staff[Role.SPECIALIST],
            expected_version=seen_by_both,
            reason="Thiếu giấy",
            at=vn_moment(ACTION_DAY, 10),
        )
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.version, fresh.end_reason) == (
        Status.NOT_ACCEPTED,
        first.version,
        "Sai thẩm quyền",
    )
    assert not fresh.pauses.exists()


def test_a_change_between_reading_and_writing_is_caught_by_the_conditional_update(
    world, monkeypatch
):
    dossier = receive(world)
    real_load = services._load
    calls = []

    def load_then_someone_else_writes(pk):
        row = real_load(pk)
        if not calls:
            Dossier.objects.filter(pk=pk).update(version=F("version") + 1)
        calls.append(pk)
        return row

    monkeypatch.setattr(services, "_load", load_then_someone_else_writes)
    with pytest.raises(StaleDossier):
        resolve_dossier(
            dossier,
            actor=world.staff[Role.SPECIALIST],
            expected_version=dossier.version,
            at=vn_moment(ACTION_DAY, 9),
        )
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.RECEIVED and fresh.outcome == ""
    assert fresh.events.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)
def test_two_concurrent_resolutions_let_exactly_one_win(tree):
    unit = tree["P-D-1"]
    specialist = UserFactory(unit=unit, role=Role.SPECIALIST)
    officer = UserFactory(unit=unit, role=Role.OFFICER)
    dossier = receive_dossier(
        actor=officer,
        unit=unit,
        procedure=ProcedureFactory(),
        channel=Channel.DIRECT,
        applicant_name="Trần Thị B",
        at=vn_moment(RECEIVED_ON),
    )
    barrier = threading.Barrier(4)
    outcomes = []

    def resolve():
        try:
            barrier.wait()
            resolve_dossier(
                dossier,
                actor=specialist,
                expected_version=dossier.version,
                at=vn_moment(ACTION_DAY),
            )
            outcomes.append("ok")
        except StaleDossier:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=resolve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "stale", "stale", "stale"]
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.RESOLVED).count() == 1


# ---------------------------------------------------------------------------- receive


def test_receipt_computes_the_legal_due_date_and_writes_the_receipt_event(world):
    dossier = receive(world)
    assert dossier.status == Status.RECEIVED
    assert dossier.version == 1
    assert (dossier.received_date, dossier.initial_due_date, dossier.due_date) == (
        RECEIVED_ON,
        DUE,
        DUE,
    )
    assert dossier.due_date_since == RECEIVED_ON
    assert dossier.due_at == calendar.office_close(DUE)
    assert dossier.field_id == world.procedure.field_id
    assert dossier.online_level == world.procedure.online_level
    assert dossier.fee == 20000
    assert dossier.input_digitization_given
    event = dossier.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        EventAction.RECEIVED,
        "",
        Status.RECEIVED,
        world.staff[Role.OFFICER],
    )


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (D(2023, 3, 3), 1, D(2023, 3, 6)),  # Friday: the weekend is not counted
        (D(2023, 3, 4), 1, D(2023, 3, 6)),  # received online on Saturday
        (D(2023, 3, 4), 0, D(2023, 3, 6)),  # "trong ngày" on a day off: the next working day
        (D(2023, 1, 19), 1, D(2023, 1, 27)),  # Tết 2023: 20–26/1 off
        (D(2023, 1, 17), 5, D(2023, 1, 31)),  # 18, 19, 27, 30, 31
        (D(2023, 4, 28), 1, D(2023, 5, 4)),  # 29/4–3/5/2023 off (30/4, 1/5 and swaps)
    ],
)
def test_receipt_follows_the_civil_code_day_of_receipt_not_counted(world, received, days, due):
    if received == D(2023, 4, 28):
        _give_days_off(D(2023, 4, 29), D(2023, 5, 3))
    procedure = ProcedureFactory(processing_time=days)
    dossier = receive(world, day=received, procedure=procedure, channel=Channel.ONLINE)
    assert dossier.due_date == due
    assert calendar.is_working_day(dossier.due_date)


def _give_days_off(first, last):
    from cchc.workcalendar.models import CalendarOverride

    day = first
    while day <= last:
        CalendarOverride.objects.update_or_create(date=day, defaults={"is_working_day": False})
        day += dt.timedelta(days=1)
    calendar.invalidate_cache()


def test_receipt_of_a_procedure_in_working_hours_keeps_the_hour(world):
    procedure = ProcedureFactory(processing_time=4, time_unit=TimeUnit.WORKING_HOURS)
    dossier = receive(world, procedure=procedure, hour=15)  # 15:00 + 2h → next day 09:30
    assert dossier.due_at == vn_moment(D(2023, 3, 2), 9, 30)
    assert dossier.due_date == D(2023, 3, 2)


def test_dossier_codes_are_readable_and_run_per_unit_and_day(world):
    first = receive(world)
    second = receive(world, hour=10)
    next_day = receive(world, day=D(2023, 3, 2))
    other_unit = receive(world, unit=world.tree["P-D-2"], actor=world.district[Role.OFFICER])
    assert [first.code, second.code, next_day.code, other_unit.code] == [
        "P-D-1-230301-0001",
        "P-D-1-230301-0002",
        "P-D-1-230302-0001",
        "P-D-2-230301-0001",
    ]


def test_a_code_already_taken_by_an_imported_dossier_is_skipped(world):
    DossierFactory(code="P-D-1-230301-0001", unit=world.unit)
    assert receive(world).code == "P-D-1-230301-0002"


def test_the_official_unit_code_is_used_when_there_is_one(world):
    world.unit.official_code = "26734"
    world.unit.save()
    assert receive(world).code == "26734-230301-0001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)
def test_concurrent_receipts_get_distinct_codes(tree):
    unit = tree["P-D-1"]
    officer = UserFactory(unit=unit, role=Role.OFFICER)
    procedure = ProcedureFactory()
    barrier = threading.Barrier(6)
    codes, errors = [], []

    def take():
        try:
            barrier.wait()
            dossier = receive_dossier(
                actor=officer,
                unit=unit,
                procedure=procedure,
                channel=Channel.DIRECT,
                applicant_name="Lê C",
                at=vn_moment(RECEIVED_ON),
            )
            codes.append(dossier.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"P-D-1-230301-{n:04d}" for n in range(1, 7)]


def test_receipt_records_components_and_derives_the_digitisation_level(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    procedure = ProcedureFactory()
    form = ProcedureComponentFactory(procedure=procedure, name="Tờ khai")
    id_card = ProcedureComponentFactory(procedure=procedure, name="CCCD")
    ProcedureComponentFactory(procedure=procedure, name="Giấy ủy quyền", required=False)

    partly = receive(
        world,
        procedure=procedure,
        components=[
            ReceivedComponent(form, originals=1, scan=ContentFile(b"%PDF-1", name="to-khai.pdf")),
            ReceivedComponent(id_card, photocopies=1),
        ],
    )
    assert partly.input_digitization == Digitization.PARTIAL
    rows = list(partly.components.order_by("order"))
    assert [(c.name, c.originals, c.photocopies, c.digitized) for c in rows] == [
        ("Tờ khai", 1, 0, True),
        ("CCCD", 0, 1, False),
    ]
    scan = partly.files.get()
    assert (scan.kind, scan.component, scan.size) == (FileKind.COMPONENT, rows[0], 6)
    assert scan.file.read() == b"%PDF-1"
    assert len(scan.sha256) == 64

    fully = receive(
        world,
        procedure=procedure,
        components=[
            ReceivedComponent(form, scan=ContentFile(b"a", name="a.pdf")),
            ReceivedComponent(id_card, scan=ContentFile(b"b", name="b.pdf")),
        ],
    )
    assert fully.input_digitization == Digitization.FULL
    not_at_all = receive(
        world, procedure=procedure, components=[ReceivedComponent(form), ReceivedComponent(id_card)]
    )
    assert not_at_all.input_digitization == Digitization.NONE


def test_receipt_without_every_required_component_is_refused(world):
    procedure = ProcedureFactory()
    form = ProcedureComponentFactory(procedure=procedure, name="Tờ khai")
    ProcedureComponentFactory(procedure=procedure, name="CCCD")
    with pytest.raises(InvalidDossierInput) as caught:
        receive(world, procedure=procedure, components=[ReceivedComponent(form)])
    assert caught.value.code == "components_missing"
    assert "CCCD" in caught.value.message
    assert not Dossier.objects.exists()


def test_a_component_of_another_procedure_is_refused(world):
    stranger = ProcedureComponentFactory()
    with pytest.raises(InvalidDossierInput) as caught:
        receive(world, components=[ReceivedComponent(stranger)])
    assert caught.value.code == "component_not_in_procedure"


def test_a_digitised_result_is_reused_for_a_later_dossier_of_the_same_applicant(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    earlier = bring_to(world, Status.RESOLVED)
    earlier = return_result(
        earlier,
        actor=world.staff[Role.OFFICER],
        expected_version=earlier.version,
        result_file=ContentFile(b"ket qua", name="ket-qua.pdf"),
        at=vn_moment(RECEIVED_ON, 15),
    )
    result = earlier.files.get(kind=FileKind.RESULT)
    procedure = ProcedureFactory()
    component = ProcedureComponentFactory(procedure=procedure, name="Giấy khai sinh")
    later = receive(
        world,
        day=D(2023, 3, 2),
        procedure=procedure,
        components=[ReceivedComponent(component, reuse=result)],
    )
    reused = later.files.get()
    assert reused.reused_from == result
    assert reused.file.name == result.file.name
    assert later.input_digitization == Digitization.FULL

    with pytest.raises(InvalidDossierInput) as caught:
        receive(
            world,
            day=D(2023, 3, 2),
            procedure=procedure,
            applicant_id_number="079000000009",
            components=[ReceivedComponent(component, reuse=result)],
        )
    assert caught.value.code == "reuse_not_allowed"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OFFICER])
def test_receipt_by_a_role_other_than_officer_is_refused(world, role):
    with pytest.raises(ActionForbidden) as caught:
        receive(world, actor=world.staff[role])
    assert caught.value.code == "role_not_allowed"


def test_receipt_for_a_unit_outside_the_subtree_is_refused(world):
    with pytest.raises(ActionForbidden) as caught:
        receive(world, unit=world.tree["P-D-2"])
    assert caught.value.code == "out_of_scope"


def test_receipt_refuses_bad_input(world):
    with pytest.raises(InvalidDossierInput, match="tên người nộp"):
        receive(world, applicant_name="  ")
    with pytest.raises(InvalidDossierInput) as caught:
        receive(world, channel="fax")
    assert caught.value.code == "invalid_channel"
    world.procedure.active = False
    world.procedure.save()
    with pytest.raises(InvalidDossierInput) as caught:
        receive(world)
    assert caught.value.code == "procedure_inactive"


def test_an_action_in_the_future_is_refused(world):
    with pytest.raises(InvalidDossierInput) as caught:
        receive(world, at=vn_moment(dt.date.today() + dt.timedelta(days=2)))
    assert caught.value.code == "future_moment"


def test_an_action_dated_before_the_last_one_is_refused(world):
    dossier = bring_to(world, Status.PROCESSING)  # assigned at 09:00
    with pytest.raises(InvalidDossierInput) as caught:
        resolve_dossier(
            dossier,
            actor=world.staff[Role.SPECIALIST],
            expected_version=dossier.version,
            at=vn_moment(RECEIVED_ON, 8, 30),
        )
    assert caught.value.code == "moment_before_last_action"


# ---------------------------------------------------------------------------- assign, forward


def test_assignment_sets_the_person_processing_the_dossier(world):
    dossier = receive(world)
    after = act(world, Action.ASSIGN, dossier, world.staff[Role.OFFICER])
    assert (after.status, after.assignee) == (Status.PROCESSING, world.staff[Role.SPECIALIST])


@pytest.mark.parametrize("who", ["officer_here", "specialist_elsewhere", "inactive"])
def test_assignment_to_someone_who_cannot_process_it_is_refused(world, who):
    assignee = {
        "officer_here": world.staff[Role.OFFICER],
        "specialist_elsewhere": world.outsider[Role.SPECIALIST],
        "inactive": UserFactory(unit=world.unit, role=Role.SPECIALIST, is_active=False),
    }[who]
    dossier = receive(world)
    with pytest.raises(InvalidDossierInput) as caught:
        assign_dossier(
            dossier,
            actor=world.staff[Role.OFFICER],
            expected_version=dossier.version,
            assignee=assignee,
            at=vn_moment(ACTION_DAY),
        )
    assert caught.value.code == "assignee_not_eligible"


def test_forwarding_between_departments_clears_the_assignee(world):
    dossier = bring_to(world, Status.PROCESSING)
    after = act(world, Action.FORWARD, dossier, world.staff[Role.SPECIALIST])
    assert (after.department, after.assignee, after.handling_unit) == (
        world.department,
        None,
        None,
    )
    event = after.events.get(action=EventAction.FORWARDED)
    assert (event.from_unit, event.to_unit) == (world.unit, world.unit)
    assert event.data["to_department"] == world.department.pk


def test_forwarding_to_another_unit_lets_its_people_act_and_keeps_the_receiving_unit(world):
    district = world.tree["P-D"]
    land = DepartmentFactory(unit=district, code="TNMT", name="Tài nguyên và Môi trường")
    dossier = bring_to(world, Status.PROCESSING)
    outsider = world.outsider[Role.SPECIALIST]
    after = forward_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        to_unit=world.tree["Q-1"],
        at=vn_moment(ACTION_DAY, 9),
    )
    assert (after.unit, after.handling_unit) == (world.unit, world.tree["Q-1"])
    after = forward_dossier(
        after,
        actor=outsider,
        expected_version=after.version,
        to_unit=district,
        to_department=land,
        at=vn_moment(ACTION_DAY, 10),
    )
    assert (after.handling_unit, after.department) == (district, land)
    with pytest.raises(ActionForbidden):
        resolve_dossier(
            after, actor=outsider, expected_version=after.version, at=vn_moment(ACTION_DAY, 11)
        )
    after = forward_dossier(
        after,
        actor=world.district[Role.SPECIALIST],
        expected_version=after.version,
        to_unit=world.unit,
        at=vn_moment(ACTION_DAY, 12),
    )
    assert (after.handling_unit, after.department) == (None, None)
    moves = list(
        after.events.filter(action=EventAction.FORWARDED).values_list("from_unit", "to_unit")
    )
    assert moves == [
        (world.unit.pk, world.tree["Q-1"].pk),
        (world.tree["Q-1"].pk, district.pk),
        (district.pk, world.unit.pk),
    ]


def test_forwarding_refuses_a_department_of_another_unit_and_a_move_to_the_same_place(world):
    dossier = bring_to(world, Status.PROCESSING)
    foreign = DepartmentFactory(unit=world.tree["P-D-2"])
    for kwargs, code in (
        ({"to_department": foreign}, "department_not_in_unit"),
        ({}, "forward_target_missing"),
        ({"to_unit": world.unit}, "forward_to_same_place"),
    ):
        with pytest.raises(InvalidDossierInput) as caught:
            forward_dossier(
                dossier,
                actor=world.staff[Role.OFFICER],
                expected_version=dossier.version,
                at=vn_moment(ACTION_DAY),
                **kwargs,
            )
        assert caught.value.code == code


# ---------------------------------------------------------------------------- pause and resume


def pause(dossier, world, on, hour=9):
    return request_supplement(
        dossier,
        actor=world.staff[Role.SPECIALIST],
        expected_version=dossier.version,
        reason="Bổ sung giấy tờ",
        at=vn_moment(on, hour),
    )


def resume(dossier, world, on, hour=10):
    return resume_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        at=vn_moment(on, hour),
    )


def test_a_supplement_request_opens_a_pause_and_keeps_the_due_date(world):
    dossier = pause(receive(world), world, D(2023, 3, 2))
    assert (dossier.status, dossier.ever_paused, dossier.due_date) == (
        Status.SUPPLEMENT,
        True,
        DUE,
    )
    opened = dossier.pauses.get()
    assert (opened.started_date, opened.resumed_date, opened.reason) == (
        D(2023, 3, 2),
        None,
        "Bổ sung giấy tờ",
    )


def test_a_supplement_request_needs_a_reason(world):
    dossier = receive(world)
    with pytest.raises(InvalidDossierInput) as caught:
        request_supplement(
            dossier,
            actor=world.staff[Role.OFFICER],
            expected_version=dossier.version,
            reason=" ",
            at=vn_moment(ACTION_DAY),
        )
    assert caught.value.code == "reason_required"


def test_resumption_moves_the_due_date_by_the_paused_working_days(world):
    dossier = pause(receive(world), world, D(2023, 3, 2))  # Thursday
    dossier = resume(dossier, world, D(2023, 3, 7))  # Tuesday: 3, 6, 7 paused
    assert dossier.status == Status.PROCESSING
    assert (dossier.initial_due_date, dossier.due_date) == (DUE, D(2023, 3, 9))
    assert dossier.due_at == calendar.office_close(D(2023, 3, 9))
    assert dossier.due_date_since == D(2023, 3, 7)
    closed = dossier.pauses.get()
    assert (closed.resumed_date, closed.paused_working_days, closed.due_date_after) == (
        D(2023, 3, 7),
        3,
        D(2023, 3, 9),
    )


def test_two_pauses_add_up_and_each_records_the_due_date_after_it(world):
    procedure = ProcedureFactory(processing_time=10)  # 1/3 → due 15/3
    dossier = receive(world, procedure=procedure)
    assert dossier.due_date == D(2023, 3, 15)
    dossier = resume(pause(dossier, world, D(2023, 3, 3)), world, D(2023, 3, 7))  # 6, 7
    dossier = resume(pause(dossier, world, D(2023, 3, 9)), world, D(2023, 3, 13))  # 10, 13
    assert dossier.due_date == D(2023, 3, 21)
    assert dossier.due_date_since == D(2023, 3, 13)
    assert list(dossier.pauses.values_list("paused_working_days", "due_date_after")) == [
        (2, D(2023, 3, 17)),
        (2, D(2023, 3, 21)),
    ]
    resolved = resolve_dossier(
        dossier,
        actor=world.staff[Role.SPECIALIST],
        expected_version=dossier.version,
        at=vn_moment(D(2023, 3, 20)),
    )
    # Past the due date at receipt, but the clock was stopped twice: not overdue.
    assert resolved.timeliness == Timeliness.EARLY


@pytest.mark.parametrize(
    ("paused_on", "resumed_on", "paused_days", "due"),
    [
        (D(2023, 1, 19), D(2023, 1, 27), 1, D(2023, 2, 1)),  # Tết 20–26/1 not counted
        (D(2023, 1, 18), D(2023, 1, 30), 3, D(2023, 2, 3)),  # 19, 27, 30
        (D(2023, 1, 20), D(2023, 1, 26), 0, D(2023, 1, 31)),  # paused and resumed in Tết
    ],
)
def test_a_pause_across_tet_2023_counts_only_working_days(
    world, paused_on, resumed_on, paused_days, due
):
    procedure = ProcedureFactory(processing_time=5)  # 17/1 → due 31/1
    dossier = receive(world, day=D(2023, 1, 17), procedure=procedure)
    assert dossier.due_date == D(2023, 1, 31)
    dossier = resume(pause(dossier, world, paused_on), world, resumed_on)
    assert dossier.due_date == due
    assert dossier.pauses.get().paused_working_days == paused_days


def test_a_pause_resumed_the_same_day_moves_nothing(world):
    dossier = resume(pause(receive(world), world, D(2023, 3, 2), 9), world, D(2023, 3, 2), 15)
    assert dossier.due_date == DUE
    assert dossier.pauses.get().paused_working_days == 0


def test_resumption_also_moves_an_apologys_new_appointment(world):
    dossier = bring_to(world, Status.PROCESSING)
    dossier = apologise(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        new_appointment=D(2023, 3, 8),
        reason="Chờ xác minh",
        at=vn_moment(ACTION_DAY, 9),
    )
    dossier = resume(pause(dossier, world, D(2023, 3, 2), 10), world, D(2023, 3, 6))  # 3, 6
    assert dossier.due_date == D(2023, 3, 8)
    assert dossier.appointment_at == calendar.office_close(D(2023, 3, 10))


# ---------------------------------------------------------------------------- resolve, apologise


@pytest.mark.parametrize(
    ("resolved_on", "timeliness"),
    [
        (D(2023, 3, 3), Timeliness.EARLY),
        (DUE, Timeliness.ON_TIME),
        (D(2023, 3, 7), Timeliness.LATE),
    ],
)
def test_resolution_is_early_on_time_or_late_by_the_legal_due_date(world, resolved_on, timeliness):
    dossier = bring_to(world, Status.PROCESSING)
    after = resolve_dossier(
        dossier,
        actor=world.staff[Role.LEADER],
        expected_version=dossier.version,
        at=vn_moment(resolved_on, 16),
    )
    assert (after.outcome, after.ended_date, after.timeliness) == (
        Outcome.RESOLVED,
        resolved_on,
        timeliness,
    )
    assert after.ended_at == vn_moment(resolved_on, 16)


def test_an_apology_cannot_make_a_late_dossier_on_time(world):
    dossier = bring_to(world, Status.PROCESSING)
    dossier = apologise(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        new_appointment=D(2023, 3, 10),
        reason="Chờ ý kiến cơ quan phối hợp",
        at=vn_moment(D(2023, 3, 3)),
    )
    assert dossier.appointment_at == calendar.office_close(D(2023, 3, 10))
    assert dossier.due_date == DUE  # the legal due date does not move
    event = dossier.events.get(action=EventAction.APOLOGISED)
    assert event.note == "Chờ ý kiến cơ quan phối hợp"
    resolved = resolve_dossier(
        dossier,
        actor=world.staff[Role.SPECIALIST],
        expected_version=dossier.version,
        at=vn_moment(D(2023, 3, 9)),  # before the new appointment, after the legal due date
    )
    assert resolved.timeliness == Timeliness.LATE


def test_a_second_apology_is_refused(world):
    dossier = act(world, Action.APOLOGISE, receive(world), world.staff[Role.OFFICER])
    before = snapshot(dossier)
    with pytest.raises(TransitionNotAllowed) as caught:
        apologise(
            dossier,
            actor=world.staff[Role.LEADER],
            expected_version=dossier.version,
            new_appointment=D(2023, 3, 15),
            reason="Lại chậm",
            at=vn_moment(D(2023, 3, 9)),
        )
    assert caught.value.code == "apology_already_given"
    assert "một lần" in caught.value.message
    assert snapshot(dossier) == before


@pytest.mark.parametrize(
    ("new_appointment", "code"),
    [
        (DUE, "appointment_not_after_due"),
        (D(2023, 3, 11), "appointment_on_day_off"),  # a Saturday
    ],
)
def test_an_apology_needs_a_new_working_day_after_the_due_date(world, new_appointment, code):
    dossier = receive(world)
    with pytest.raises(InvalidDossierInput) as caught:
        apologise(
            dossier,
            actor=world.staff[Role.OFFICER],
            expected_version=dossier.version,
            new_appointment=new_appointment,
            reason="Chờ xác minh",
            at=vn_moment(ACTION_DAY),
        )
    assert caught.value.code == code


# ---------------------------------------------------------------------------- return, close


def test_returning_the_result_records_digitisation_payment_and_satisfaction(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = bring_to(world, Status.RESOLVED)
    after = return_result(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        result_file=ContentFile(b"%PDF-ket-qua", name="ket-qua.pdf"),
        paid_online=True,
        satisfaction=Satisfaction.SATISFIED,
        at=vn_moment(ACTION_DAY, 14),
    )
    assert after.status == Status.RETURNED
    assert (after.result_digitized, after.paid_online, after.satisfaction) == (
        True,
        True,
        Satisfaction.SATISFIED,
    )
    assert after.returned_at == vn_moment(ACTION_DAY, 14)
    assert (after.ended_at, after.ended_date) == (dossier.ended_at, RECEIVED_ON)
    result = after.files.get(kind=FileKind.RESULT)
    assert result.file.read() == b"%PDF-ket-qua"


def test_returning_refuses_an_unknown_satisfaction(world):
    dossier = bring_to(world, Status.RESOLVED)
    with pytest.raises(InvalidDossierInput):
        return_result(
            dossier,
            actor=world.staff[Role.OFFICER],
            expected_version=dossier.version,
            satisfaction="thrilled",
            at=vn_moment(ACTION_DAY),
        )


@pytest.mark.parametrize(
    ("action", "status", "outcome"),
    [
        (Action.REJECT, Status.NOT_ACCEPTED, Outcome.REJECTED),
        (Action.WITHDRAW, Status.WITHDRAWN, Outcome.WITHDRAWN),
        (Action.STOP, Status.STOPPED, Outcome.REJECTED),
    ],
)
def test_closing_sets_the_outcome_the_end_date_and_the_reason(world, action, status, outcome):
    dossier = bring_to(world, Status.PROCESSING)
    after = act(world, action, dossier, world.staff[allowed_role(action)])
    assert (after.status, after.outcome, after.ended_date, after.timeliness) == (
        status,
        outcome,
        ACTION_DAY,
        "",
    )
    assert after.end_reason


@pytest.mark.parametrize("action", [Action.REJECT, Action.STOP])
def test_rejecting_or_stopping_needs_a_reason(world, action):
    dossier = receive(world)
    fn = {Action.REJECT: reject_dossier, Action.STOP: stop_dossier}[action]
    with pytest.raises(InvalidDossierInput) as caught:
        fn(
            dossier,
            actor=world.staff[allowed_role(action)],
            expected_version=dossier.version,
            reason="",
            at=vn_moment(ACTION_DAY),
        )
    assert caught.value.code == "reason_required"


def test_closing_a_paused_dossier_ends_its_pause_without_moving_the_due_date(world):
    dossier = pause(receive(world), world, D(2023, 3, 2))
    after = withdraw_dossier(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        at=vn_moment(D(2023, 3, 8)),
    )
    assert after.due_date == DUE
    closed = DossierPause.objects.get(dossier=after)
    assert (closed.resumed_date, closed.due_date_after) == (D(2023, 3, 8), DUE)
    assert not DossierPause.objects.filter(resumed_at__isnull=True).exists()


def test_an_imported_paused_dossier_can_be_resumed(world):
    dossier = DossierFactory(unit=world.unit, status=Status.SUPPLEMENT, ever_paused=True)
    DossierPause.objects.create(
        dossier=dossier,
        started_at=vn_moment(D(2023, 3, 2)),
        started_date=D(2023, 3, 2),
    )
    due = dossier.due_date
    after = resume(dossier, world, D(2023, 3, 6))
    assert after.due_date == calendar.add_working_days(due, 2)


def apologise_on(world, sent_on):
    """A dossier due on DUE, apologised for on `sent_on`: the apology's event data."""
    dossier = bring_to(world, Status.PROCESSING)
    dossier = apologise(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        new_appointment=D(2023, 3, 10),
        reason="Chờ xác minh",
        at=vn_moment(sent_on, 9),
    )
    return dossier.events.get(action=EventAction.APOLOGISED).data


@pytest.mark.parametrize(
    ("sent_on", "notice", "in_time"),
    [
        (D(2023, 3, 2), 2, True),
        (D(2023, 3, 3), 1, True),
        (DUE, 0, False),
        (D(2023, 3, 7), -1, False),
    ],
)
def test_an_apology_is_marked_sent_late_when_less_than_a_working_day_is_left(
    world, sent_on, notice, in_time
):
    """ND 61: at least one working day before the due date (CCHC_APOLOGY_NOTICE_DAYS). A later
    apology is still given (the applicant is owed it), and marked as sent late."""
    data = apologise_on(world, sent_on)
    assert (data["notice_days"], data["notice_in_time"], data["notice_required"]) == (
        notice,
        in_time,
        1,
    )


def test_the_apology_notice_is_a_setting(world, settings):
    settings.CCHC_APOLOGY_NOTICE_DAYS = 2
    assert apologise_on(world, D(2023, 3, 3))["notice_in_time"] is False
