"""A past period never changes: no one-stop action dated after a period's end alters any figure
of that period, in any block of the contract's JSON, counted from the dossiers or read from the
stored counts alike (issue 9, item 9)."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps as django_apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.dossiers.constants import Channel, Satisfaction, Status
from cchc.dossiers.exchange import import_dossiers
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.services import return_result
from cchc.dossiers.transitions import Action
from cchc.org.constants import Role
from cchc.stats.selectors import period_statistics
from tests.dossiers.test_lifecycle_stats import (
    CLOSED,
    ONE_DAY,
    Clock,
    possible_actions,
    receive,
    take,
)
from tests.dossiers.test_lifecycle_stats import world as world  # the fixture
from tests.factories import DossierFactory

D = dt.date
START, END = D(2023, 3, 1), D(2023, 3, 14)
BUILD_FROM = D(2023, 2, 20)  # some dossiers are carried over into the period
LATER_DAYS = 8
MAX_DOSSIERS = 8
# The actions of the one-stop that the property draws from, and hand-overs' recorded values.
RATINGS = ["", *Satisfaction.values]
FEES = [None, 0, 30000]
FLAGS = [None, True, False]


def act(world, data, dossier: Dossier, at: dt.datetime) -> None:
    """One allowed action on `dossier`, or none, with drawn arguments for a hand-over."""
    action = data.draw(st.sampled_from([None, *possible_actions(dossier)]))
    if action is None:
        return
    if action == Action.RETURN_RESULT:
        return_result(
            dossier,
            actor=world.staff[Role.OFFICER],
            expected_version=dossier.version,
            at=at,
            satisfaction=data.draw(st.sampled_from(RATINGS)),
            fee=data.draw(st.sampled_from(FEES)),
            result_digitized=data.draw(st.sampled_from(FLAGS)),
            paid_online=data.draw(st.sampled_from(FLAGS)),
        )
    else:
        take(world, action, dossier, at)


def simulate(world, data, first: dt.date, last: dt.date, *, arrivals: int) -> None:
    """Each day from `first` to `last`: maybe an action on each open or resolved dossier, and
    up to `arrivals` new dossiers."""
    day = first
    while day <= last:
        clock = Clock(day)
        for dossier in Dossier.objects.exclude(status__in=CLOSED).order_by("pk"):
            act(world, data, dossier, clock())
        room = MAX_DOSSIERS - Dossier.objects.count()
        for _ in range(min(data.draw(st.integers(0, arrivals)), room)):
            receive(
                world,
                data.draw(st.sampled_from(world.units)),
                data.draw(st.sampled_from(world.procedures)),
                data.draw(st.sampled_from(Channel.values)),
                clock(),
            )
        day += data.draw(st.integers(1, 4)) * ONE_DAY


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_action_after_a_periods_end_changes_any_of_its_figures(world, data):
    with transaction.atomic():
        simulate(world, data, BUILD_FROM, END, arrivals=2)
        counted = period_statistics(world.root, START, END, cached=False)
        stored = period_statistics(world.root, START, END)  # counted, and stored
        assert stored == counted
        simulate(world, data, END + ONE_DAY, END + LATER_DAYS * ONE_DAY, arrivals=1)
        assert period_statistics(world.root, START, END, cached=False) == counted
        assert period_statistics(world.root, START, END) == counted
        transaction.set_rollback(True)


def test_a_result_handed_over_after_the_end_leaves_the_periods_hand_over_figures(world):
    """The example that broke the promise: resolved in the period with a fee (set at receipt)
    and handed over after its end, rated and with its result digitised."""
    unit, with_fee = world.units[1], world.procedures[2]
    dossier = receive(world, unit, with_fee, Channel.ONLINE, Clock(START)())
    dossier = take(world, Action.RESOLVE, dossier, Clock(START + ONE_DAY)())
    before = period_statistics(world.root, START, END)
    assert (before["fees"]["resolved_with_fee"], before["dossiers"]["all"]["resolved"]) == (0, 1)
    return_result(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        at=Clock(END + ONE_DAY)(),
        satisfaction=Satisfaction.SATISFIED,
        result_digitized=True,
        paid_online=True,
    )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED
    assert period_statistics(world.root, START, END) == before
    assert period_statistics(world.root, START, END, cached=False) == before
    after = period_statistics(world.root, START, END + ONE_DAY)
    assert after["fees"]["resolved_with_fee"] == after["satisfaction"]["satisfied"] == 1


def test_an_imported_dossier_handed_over_later_is_counted_and_stored_alike(world):
    """Imported without a return moment, it counts as returned once resolved; its hand-over
    recorded later through the one-stop is read the same by the counts and the stored ones."""
    header = "code,unit_code,field,channel,received_at,status,resolved_at,fee,result_digitized\n"
    row = f"X-1,{world.units[1].code},{world.procedures[0].field.name},direct,2023-03-01,"
    import_dossiers((header + row + "resolved,2023-03-02,30000,1\n").encode())
    dossier = Dossier.objects.get(code="X-1")
    assert not dossier.return_tracked
    before = period_statistics(world.root, START, END)
    assert before["fees"]["resolved_with_fee"] == before["digitization"]["result_digitized"] == 1
    return_result(
        dossier,
        actor=world.staff[Role.OFFICER],
        expected_version=dossier.version,
        at=Clock(END + ONE_DAY)(),
        satisfaction=Satisfaction.NORMAL,
    )
    assert period_statistics(world.root, START, END) == period_statistics(
        world.root, START, END, cached=False
    )


def test_the_migration_tracks_the_dossiers_the_one_stop_resolved(world):
    migration = importlib.import_module("cchc.dossiers.migrations.0009_return_tracked")
    received = receive(world, world.units[1], world.procedures[0], Channel.DIRECT, Clock(START)())
    resolved = receive(world, world.units[1], world.procedures[0], Channel.DIRECT, Clock(START)())
    resolved = take(world, Action.RESOLVE, resolved, Clock(START + ONE_DAY)())
    imported = DossierFactory(unit=world.units[1], procedure=world.procedures[0])
    DossierEvent.objects.create(dossier=imported, at=imported.received_at, action="imported")
    made = DossierFactory(unit=world.units[1], procedure=world.procedures[0])
    Dossier.objects.update(return_tracked=False)  # as before the field existed
    migration.track_one_stop_dossiers(django_apps, None)
    tracked = dict(Dossier.objects.values_list("pk", "return_tracked"))
    assert tracked == {received.pk: False, resolved.pk: True, imported.pk: False, made.pk: False}
