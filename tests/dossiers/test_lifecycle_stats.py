"""Dossiers taken through the lifecycle services keep the period statistics true.

The statistics read a past day's state from dates and pause intervals; these tests check that
what the services write lets them do so: for any sequence of allowed actions over simulated
days, every period's counts equal the states the dossiers really had on its last day, the
counts identity holds, and an export re-imported into an empty database gives the same figures.
"""

import datetime as dt
import io
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.catalog.constants import OnlineLevel, TimeUnit
from cchc.dossiers.constants import Channel, Outcome, Status
from cchc.dossiers.exchange import import_dossiers, write_csv
from cchc.dossiers.models import Dossier, DossierCodeSequence
from cchc.dossiers.services import (
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
from cchc.dossiers.transitions import TRANSITIONS, Action
from cchc.org.constants import Role
from cchc.stats.selectors import period_statistics
from cchc.stats.validation import validate
from cchc.workcalendar import calendar
from tests.factories import DepartmentFactory, ProcedureFactory, staff_of, vn_moment

D = dt.date
ONE_DAY = dt.timedelta(days=1)
SIM_START = D(2023, 1, 9)  # a Monday; the simulation runs across Tết 2023 (20–26/1 off)
SIM_DAYS = 35
MAX_DOSSIERS = 10
CLOSED = {Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}
COMPARED = (
    "received_total",
    "carried_over",
    "received_in_period",
    "online",
    "direct_postal",
    "resolved",
    "early",
    "on_time",
    "late",
    "rejected",
    "withdrawn",
    "pending_not_due",
    "pending_overdue",
    "paused",
)


@pytest.fixture
def world(tree):
    district = tree["P-D"]
    return SimpleNamespace(
        root=tree["P"],
        units=[district, tree["P-D-1"], tree["P-D-2"]],
        elsewhere=tree["Q-1"],
        staff=staff_of(district),
        department=DepartmentFactory(unit=district, code="TP", name="Tư pháp"),
        procedures=[
            ProcedureFactory(code="TT-3", processing_time=3, online_level=OnlineLevel.FULL),
            ProcedureFactory(
                code="TT-1", processing_time=1, online_level=OnlineLevel.NONE, level="district"
            ),
            ProcedureFactory(
                code="TT-8H",
                processing_time=8,
                time_unit=TimeUnit.WORKING_HOURS,
                online_level=OnlineLevel.PARTIAL,
                fee=50000,
            ),
        ],
    )


# ---------------------------------------------------------------------------- driving services


def receive(world, unit, procedure, channel, at):
    return receive_dossier(
        actor=world.staff[Role.OFFICER],
        unit=unit,
        procedure=procedure,
        channel=channel,
        applicant_name="Phạm Thị Dung",
        at=at,
    )


def take(world, action: Action, dossier: Dossier, at: dt.datetime) -> Dossier:
    """Take an allowed `action` with arguments that suit the dossier's state."""
    actor = world.staff[sorted(TRANSITIONS[action].roles)[0]]
    common = {"actor": actor, "expected_version": dossier.version, "at": at}
    if action == Action.ASSIGN:
        return assign_dossier(dossier, assignee=world.staff[Role.SPECIALIST], **common)
    if action == Action.FORWARD:
        if dossier.handling_unit_id is None:
            return forward_dossier(dossier, to_unit=world.elsewhere, **common)
        return forward_dossier(dossier, to_unit=dossier.unit, **common)
    if action == Action.REQUEST_SUPPLEMENT:
        return request_supplement(dossier, reason="Bổ sung giấy tờ", **common)
    if action == Action.RESUME:
        return resume_dossier(dossier, **common)
    if action == Action.RESOLVE:
        return resolve_dossier(dossier, **common)
    if action == Action.RETURN_RESULT:
        return return_result(dossier, result_digitized=True, paid_online=False, **common)
    if action == Action.REJECT:
        return reject_dossier(dossier, reason="Không đủ điều kiện", **common)
    if action == Action.WITHDRAW:
        return withdraw_dossier(dossier, **common)
    if action == Action.STOP:
        return stop_dossier(dossier, reason="Dừng theo yêu cầu cơ quan", **common)
    if action == Action.APOLOGISE:
        day = calendar.add_working_days(max(dossier.due_date, at.date()), 1)
        return apologise(dossier, new_appointment=day, reason="Chờ xác minh", **common)
    raise AssertionError(action)


def possible_actions(dossier: Dossier) -> list[Action]:
    return [
        action
        for action, transition in TRANSITIONS.items()
        if dossier.status in transition.sources
        and not (action == Action.APOLOGISE and dossier.appointment_at is not None)
    ]


class Clock:
    """Strictly increasing moments within a simulated day."""

    def __init__(self, day: dt.date) -> None:
        self.next = vn_moment(day, 7, 30)

    def __call__(self) -> dt.datetime:
        self.next += dt.timedelta(minutes=7)
        return self.next


# ---------------------------------------------------------------------------- expected counts


def state_rows() -> dict[int, dict]:
    fields = (
        "pk",
        "unit__code",
        "channel",
        "received_date",
        "status",
        "outcome",
        "ended_date",
        "timeliness",
        "due_date",
    )
    return {row["pk"]: row for row in Dossier.objects.values(*fields)}


def expected_counts(rows, start: dt.date, end: dt.date) -> Counter:
    """The counts of a period from the dossiers' states at the end of its last day."""
    counts = Counter()
    for row in rows:
        if row["ended_date"] is not None and row["ended_date"] < start:
            continue
        counts["received_total"] += 1
        if row["received_date"] < start:
            counts["carried_over"] += 1
        else:
            counts["received_in_period"] += 1
            counts["online" if row["channel"] == Channel.ONLINE else "direct_postal"] += 1
        if row["outcome"] == Outcome.RESOLVED:
            counts["resolved"] += 1
            counts[row["timeliness"]] += 1
        elif row["outcome"]:
            counts[row["outcome"]] += 1
        elif row["status"] == Status.SUPPLEMENT:
            counts["paused"] += 1
        elif row["due_date"] >= end:
            counts["pending_not_due"] += 1
        else:
            counts["pending_overdue"] += 1
    return counts


def figures(stats: dict, place: str = "all") -> dict:
    block = stats["dossiers"]["all"] if place == "all" else stats["dossiers"]["by_unit"][place]
    return {key: block[key] for key in COMPARED}


def check_period(world, snapshots: dict, start: dt.date, end: dt.date) -> None:
    stats = period_statistics(world.root, start, end)
    assert validate(stats) == [], (start, end)
    last_day = max(snapshots) if snapshots else None
    states = snapshots.get(min(end, last_day), {}) if last_day and end >= SIM_START else {}
    rows = [r for r in states.values() if r["received_date"] <= end]
    expected = expected_counts(rows, start, end)
    assert figures(stats) == {key: expected[key] for key in COMPARED}, (start, end)
    for unit in world.units:
        mine = expected_counts([r for r in rows if r["unit__code"] == unit.code], start, end)
        assert figures(stats, unit.code) == {key: mine[key] for key in COMPARED}, unit.code


def export_and_reimport(world, periods) -> None:
    """Export, empty the dossiers, re-import: the statistics of `periods` do not change."""
    before = {period: period_statistics(world.root, *period) for period in periods}
    stream = io.StringIO()
    exported = write_csv(Dossier.objects.all(), stream)
    Dossier.objects.all().delete()
    DossierCodeSequence.objects.all().delete()
    report = import_dossiers(stream.getvalue().encode())
    assert report.errors == []
    assert report.imported == exported
    for period, stats in before.items():
        assert period_statistics(world.root, *period) == stats, period


# ---------------------------------------------------------------------------- the tests


def test_a_paused_dossier_counts_as_paused_then_by_its_moved_due_date(world):
    unit, procedure = world.units[1], world.procedures[0]
    paused = receive(world, unit, procedure, Channel.DIRECT, vn_moment(D(2023, 3, 1)))
    late = receive(world, unit, procedure, Channel.ONLINE, vn_moment(D(2023, 3, 1), 10))
    paused = take(world, Action.REQUEST_SUPPLEMENT, paused, vn_moment(D(2023, 3, 2)))
    take(world, Action.RESUME, paused, vn_moment(D(2023, 3, 9)))  # 3, 6, 7, 8, 9 → due 13/3
    during = figures(period_statistics(world.root, D(2023, 3, 1), D(2023, 3, 8)))
    assert (during["paused"], during["pending_overdue"]) == (1, 1)
    after = figures(period_statistics(world.root, D(2023, 3, 1), D(2023, 3, 10)))
    assert (after["paused"], after["pending_not_due"], after["pending_overdue"]) == (0, 1, 1)
    assert late.due_date == D(2023, 3, 6)


def test_later_actions_do_not_change_a_past_periods_figures(world):
    unit, procedure = world.units[1], world.procedures[0]
    dossiers = [
        receive(world, unit, procedure, Channel.DIRECT, vn_moment(D(2023, 3, 1), 8 + i))
        for i in range(4)
    ]
    dossiers[0] = take(world, Action.REQUEST_SUPPLEMENT, dossiers[0], vn_moment(D(2023, 3, 2)))
    dossiers[1] = take(world, Action.RESOLVE, dossiers[1], vn_moment(D(2023, 3, 3)))
    past = period_statistics(world.root, D(2023, 2, 15), D(2023, 3, 3))
    take(world, Action.RESUME, dossiers[0], vn_moment(D(2023, 3, 7)))
    take(world, Action.RETURN_RESULT, dossiers[1], vn_moment(D(2023, 3, 7)))
    take(world, Action.REJECT, dossiers[2], vn_moment(D(2023, 3, 7)))
    take(world, Action.APOLOGISE, dossiers[3], vn_moment(D(2023, 3, 7)))
    assert (
        period_statistics(world.root, D(2023, 2, 15), D(2023, 3, 3))["dossiers"]
        == (past["dossiers"])
    )


def test_dossiers_processed_by_the_services_survive_export_and_reimport(world):
    """Every outcome, two pauses, a liên thông forward and an apology, then CSV round trip."""
    first, second, third = world.units
    proc3, proc1, hours = world.procedures
    day = D(2023, 1, 16)
    script = [
        (first, proc3, Channel.ONLINE, [Action.ASSIGN, Action.RESOLVE, Action.RETURN_RESULT]),
        (second, proc1, Channel.DIRECT, [Action.REQUEST_SUPPLEMENT, Action.RESUME]),
        (second, proc3, Channel.POSTAL, [Action.REQUEST_SUPPLEMENT]),
        (third, hours, Channel.ONLINE, [Action.FORWARD, Action.APOLOGISE, Action.RESOLVE]),
        (third, proc3, Channel.DIRECT, [Action.REJECT]),
        (first, proc1, Channel.DIRECT, [Action.REQUEST_SUPPLEMENT, Action.WITHDRAW]),
        (first, hours, Channel.DIRECT, [Action.STOP]),
        (second, proc1, Channel.ONLINE, [Action.ASSIGN]),
        (
            third,
            proc3,
            Channel.DIRECT,
            [
                Action.REQUEST_SUPPLEMENT,
                Action.RESUME,
                Action.REQUEST_SUPPLEMENT,
                Action.RESUME,
                Action.RESOLVE,
            ],
        ),
    ]
    for unit, procedure, channel, actions in script:
        dossier = receive(world, unit, procedure, channel, vn_moment(day, 8))
        for offset, action in enumerate(actions, start=1):
            dossier = take(world, action, dossier, vn_moment(day + offset * 3 * ONE_DAY, 9))
    last = day + 16 * ONE_DAY
    periods = [
        (D(2022, 12, 15), D(2023, 3, 14)),
        (D(2023, 1, 20), last),
        (D(2023, 2, 1), D(2023, 2, 14)),
        (last, last + 30 * ONE_DAY),
    ]
    for start, end in periods:
        assert validate(period_statistics(world.root, start, end)) == []
    export_and_reimport(world, periods)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_sequence_of_allowed_actions_keeps_every_periods_statistics_true(world, data):
    with transaction.atomic():
        snapshots: dict[dt.date, dict] = {}
        for offset in range(SIM_DAYS):
            day = SIM_START + offset * ONE_DAY
            moment = Clock(day)
            for dossier in Dossier.objects.exclude(status__in=CLOSED).order_by("pk"):
                action = data.draw(st.sampled_from([None, None, *possible_actions(dossier)]))
                if action is not None:
                    take(world, action, dossier, moment())
            arrivals = data.draw(st.integers(0, 2))
            for _ in range(min(arrivals, MAX_DOSSIERS - Dossier.objects.count())):
                receive(
                    world,
                    data.draw(st.sampled_from(world.units)),
                    data.draw(st.sampled_from(world.procedures)),
                    data.draw(st.sampled_from(Channel.values)),
                    moment(),
                )
            snapshots[day] = state_rows()

        last = SIM_START + (SIM_DAYS - 1) * ONE_DAY
        day_in_range = st.integers(-3, SIM_DAYS + 3).map(lambda n: SIM_START + n * ONE_DAY)
        periods = [(SIM_START, last)]
        for _ in range(4):
            start = data.draw(day_in_range)
            end = start + data.draw(st.integers(0, 40)) * ONE_DAY
            periods.append((start, end))
        for start, end in periods:
            check_period(world, snapshots, start, end)
        settled = [(start, end) for start, end in periods if end >= last]
        export_and_reimport(world, settled)
        transaction.set_rollback(True)
