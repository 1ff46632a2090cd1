"""Stored period counts (cchc.stats.cache) give exactly the figures counted from the dossiers,
whatever changed in between, and are read when they are still exact."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.dossiers.constants import Channel, Outcome
from cchc.dossiers.exchange import import_dossiers
from cchc.dossiers.models import Dossier, StatsStamp
from cchc.dossiers.services import resolve_dossier
from cchc.org.constants import Role
from cchc.org.models import Unit
from cchc.stats import read_through, selectors
from cchc.stats.models import PeriodCounts, SubtreeCounts
from cchc.stats.selectors import period_statistics
from tests.dossiers.test_lifecycle_stats import (
    CLOSED,
    ONE_DAY,
    SIM_DAYS,
    SIM_START,
    Clock,
    possible_actions,
    receive,
    take,
)
from tests.dossiers.test_lifecycle_stats import world as world  # the fixture
from tests.factories import DossierFactory, ProcedureFactory, UserFactory
from tests.web.conftest import load_fixture_folder

from .history import close, hand_over, pause, resume
from .test_fixtures import CASES, compare

D = dt.date
START, END = D(2023, 1, 1), D(2023, 3, 31)


def live(unit, start=START, end=END) -> dict:
    return period_statistics(unit, start, end, cached=False)


def cached(unit, start=START, end=END) -> dict:
    return period_statistics(unit, start, end)


def settle(unit, start=START, end=END) -> dict:
    """Asked three times: counted, then the units' stored counts, then the subtree's."""
    figures = [cached(unit, start, end) for _ in range(3)]
    assert figures[0] == figures[1] == figures[2]
    return figures[0]


@pytest.fixture
def dossiers(tree):
    procedure = ProcedureFactory(code="C-1", processing_time=5)
    made = {}
    for i, code in enumerate(["P-D-1", "P-D-1", "P-D-2", "P-D", "Q-1"]):
        made[i] = DossierFactory(
            code=f"C-{i}", unit=tree[code], procedure=procedure, received_on=D(2023, 1, 5 + i)
        )
    return made


@pytest.mark.parametrize(("folder", "unit", "start", "end"), CASES)
def test_stored_counts_give_the_published_figures_of_both_fixtures(
    db, fixtures_dir, folder, unit, start, end
):
    load_fixture_folder(fixtures_dir / folder)
    root = Unit.objects.get(code=unit)
    start, end = D.fromisoformat(start), D.fromisoformat(end)
    figures = settle(root, start, end)
    assert figures == live(root, start, end)
    assert SubtreeCounts.objects.filter(unit=root, start=start, end=end).exists()
    # The figures read back from the stored counts, as the contract's JSON.
    actual = json.loads(json.dumps(cached(root, start, end)), parse_float=Decimal)
    expected = json.loads(
        (fixtures_dir / folder / "expected.json").read_text(), parse_float=Decimal
    )
    assert compare(expected, actual) == []


def test_the_stored_counts_are_what_is_read(tree, dossiers):
    """Not a cache in name only: a stored row, while its stamp is current, is the figure."""
    settle(tree["P"])
    SubtreeCounts.objects.all().delete()
    row = PeriodCounts.objects.get(unit=tree["P-D-1"], start=START, end=END)
    row.total = [n + 1000 for n in row.total]
    row.save()
    assert cached(tree["P"])["dossiers"]["by_unit"]["P-D-1"]["received_total"] == 1002
    assert live(tree["P"])["dossiers"]["by_unit"]["P-D-1"]["received_total"] == 2


def test_counts_under_an_old_stamp_or_another_layout_are_not_read(tree, dossiers):
    figures = settle(tree["P"])
    SubtreeCounts.objects.all().delete()
    PeriodCounts.objects.filter(unit=tree["P-D-1"]).update(
        total=[1000] * len(selectors.KEYS), stamp=0
    )
    PeriodCounts.objects.filter(unit=tree["P-D-2"]).update(
        total=[1000] * len(selectors.KEYS), layout="v0-old"
    )
    assert cached(tree["P"]) == figures


@pytest.mark.parametrize(
    "change", ["save", "pause", "resume", "delete", "new", "hand_over", "move"]
)
def test_any_write_to_a_dossier_voids_its_units_counts(tree, dossiers, change):
    settle(tree["P"])
    settle(tree["P-D"])
    target = dossiers[0]
    if change == "save":
        close(target, Outcome.RESOLVED, D(2023, 1, 20))
    elif change == "pause":
        pause(target, D(2023, 1, 10))
    elif change == "resume":
        pause(dossiers[1], D(2023, 1, 10))
        settle(tree["P"])
        resume(dossiers[1], D(2023, 1, 12))
    elif change == "delete":
        target.delete()
    elif change == "new":
        DossierFactory(unit=tree["P-D-1"], procedure=target.procedure, received_on=D(2023, 2, 1))
    elif change == "move":  # an admin's correction: received by another commune
        target.unit = tree["P-D-2"]
        target.save()
    elif change == "hand_over":
        close(target, Outcome.RESOLVED, D(2023, 1, 20))
        settle(tree["P"])
        hand_over(target, D(2023, 1, 21), result_digitized=True, paid_online=True, fee=10)
    for unit in ("P", "P-D", "P-D-1", "P-D-2"):
        assert cached(tree[unit]) == live(tree[unit]), unit


def test_a_one_stop_action_voids_the_units_counts(tree, dossiers):
    before = settle(tree["P"])
    officer = UserFactory(unit=tree["P-D-1"], role=Role.SPECIALIST)
    dossier = dossiers[0]
    resolve_dossier(
        dossier,
        actor=officer,
        expected_version=dossier.version,
        at=dt.datetime(2023, 1, 11, 9, tzinfo=dt.UTC),
    )
    after = cached(tree["P"])
    assert after == live(tree["P"])
    assert after["dossiers"]["all"]["resolved"] == before["dossiers"]["all"]["resolved"] + 1


def test_an_import_voids_the_counts_of_the_units_it_adds_to(tree, dossiers):
    before = settle(tree["P"])
    csv = (
        "code,unit_code,procedure_code,field,channel,online_level,received_at,due_at,status,"
        "resolved_at,closed_at,paused_at,input_digitization,result_digitized,fee,paid_online\n"
        f"IMP-1,P-D-2,C-1,{dossiers[0].field.name},online,full,2023-02-01,2023-02-08,"
        "processing,,,,,,,\n"
    )
    report = import_dossiers(csv.encode())
    assert report.imported == 1, report.summary()
    after = cached(tree["P"])
    assert after == live(tree["P"])
    assert after["dossiers"]["all"]["received_total"] == (
        before["dossiers"]["all"]["received_total"] + 1
    )


def test_a_change_while_counting_is_not_stored_as_current(tree, dossiers, monkeypatch):
    """The stamps are read before the dossiers are counted: a dossier written in between
    raises the stamp, so the counts stored without it are never read."""
    counting = read_through.grouped_counts

    def with_a_change_meanwhile(*args, **kwargs):
        counted = counting(*args, **kwargs)
        DossierFactory(unit=tree["P-D-1"], received_on=D(2023, 2, 2))
        return counted

    monkeypatch.setattr(read_through, "grouped_counts", with_a_change_meanwhile)
    first = cached(tree["P"])
    monkeypatch.setattr(read_through, "grouped_counts", counting)
    assert cached(tree["P"]) == live(tree["P"])
    assert (
        live(tree["P"])["dossiers"]["all"]["received_total"]
        == first["dossiers"]["all"]["received_total"] + 1
    )


def test_moving_a_unit_and_adding_one_change_the_subtrees_figures(tree, dossiers):
    settle(tree["P"])
    settle(tree["Q"])
    moved = tree["Q-1"]
    moved.parent = tree["P-D"]
    moved.save()  # a commune: no unit below it to move along
    Unit.objects.create(code="P-D-9", name="Xã mới", level=tree["P-D-1"].level, parent=tree["P-D"])
    for code in ("P", "Q"):
        unit = Unit.objects.get(code=code)
        assert cached(unit) == live(unit), code
    assert "Q-1" in cached(Unit.objects.get(code="P"))["dossiers"]["by_unit"]
    assert "P-D-9" in cached(Unit.objects.get(code="P"))["dossiers"]["by_unit"]


def test_every_unit_gets_a_stamp_when_first_counted(tree, dossiers):
    StatsStamp.objects.all().delete()
    settle(tree["P"])
    subtree = Unit.objects.subtree_of(tree["P"]).count()
    assert StatsStamp.objects.filter(unit__path__startswith=tree["P"].path).count() == subtree


def test_warm_stats_stores_the_usual_periods_of_every_tree(tree, dossiers):
    out = io.StringIO()
    call_command("warm_stats", "--today", "2023-04-20", stdout=out)
    assert "P" in out.getvalue()
    stored = set(SubtreeCounts.objects.values_list("unit__code", "start", "end"))
    assert ("P", D(2023, 2, 15), D(2023, 3, 14)) in stored  # the last whole month
    assert ("Q", D(2022, 12, 15), D(2023, 3, 14)) in stored  # the first quarter
    # A district's and a commune's figures come from the units' stored counts.
    for code in ("P-D", "P-D-1"):
        assert PeriodCounts.objects.filter(
            unit=tree[code], start=D(2023, 2, 15), end=D(2023, 3, 14)
        ).exists()
        assert cached(tree[code], D(2023, 2, 15), D(2023, 3, 14)) == live(
            tree[code], D(2023, 2, 15), D(2023, 3, 14)
        )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_stored_counts_equal_the_dossiers_through_any_sequence_of_actions(world, data):
    """The one-stop actions of a simulated month, with the figures asked on any day in
    between (so counts are stored and then voided again): the stored figures always equal
    those counted from the dossiers."""
    with transaction.atomic():
        last = SIM_START + (SIM_DAYS - 1) * ONE_DAY
        periods = [(SIM_START, last), (SIM_START + 5 * ONE_DAY, SIM_START + 20 * ONE_DAY)]
        units = [world.root, *world.units]
        for offset in range(0, SIM_DAYS, 3):
            moment = Clock(SIM_START + offset * ONE_DAY)
            for dossier in Dossier.objects.exclude(status__in=CLOSED).order_by("pk"):
                action = data.draw(st.sampled_from([None, None, *possible_actions(dossier)]))
                if action is not None:
                    take(world, action, dossier, moment())
            if data.draw(st.booleans()):
                receive(
                    world,
                    data.draw(st.sampled_from(world.units)),
                    data.draw(st.sampled_from(world.procedures)),
                    data.draw(st.sampled_from(Channel.values)),
                    moment(),
                )
            unit = data.draw(st.sampled_from(units))
            start, end = data.draw(st.sampled_from(periods))
            assert cached(unit, start, end) == live(unit, start, end)
        for unit in units:
            for start, end in periods:
                assert cached(unit, start, end) == live(unit, start, end)
        transaction.set_rollback(True)


def test_trends_read_the_stored_months_and_count_the_others(tree, dossiers):
    from cchc.stats.periods import reporting_period
    from cchc.stats.trends import bucket_counts, cached_bucket_counts, reporting_months

    units = list(Unit.objects.subtree_of(tree["P"]))
    months = reporting_months(D(2023, 3, 14), cutoff=15)
    buckets = [m.period for m in months] + [reporting_period("quarter", 2023, 1, cutoff=15)]
    for month in months[-2:]:
        settle(tree["P"], month.period.start, month.period.end)
    close(dossiers[0], Outcome.RESOLVED, D(2023, 1, 20))  # voids what was stored
    settle(tree["P"], months[-1].period.start, months[-1].period.end)  # stored again
    live_counts = bucket_counts(tree["P"], buckets, [u.pk for u in units])
    mixed = cached_bucket_counts(tree["P"], buckets, units)

    def nonzero(counts):  # a unit with only zeros reads as one without dossiers
        return {pk: c for pk, c in counts.items() if any(any(b.values()) for b in c)}

    assert nonzero(mixed) == nonzero(live_counts)
    assert any(c["resolved"] for per_unit in mixed.values() for c in per_unit)


def test_warm_stats_forgets_the_counts_of_old_periods(tree, dossiers):
    settle(tree["P"], D(2022, 1, 1), D(2022, 1, 31))
    settle(tree["P"])
    call_command("warm_stats", "--unit", "Q", "--forget-before", "2023-01-01", stdout=io.StringIO())
    assert not PeriodCounts.objects.filter(end__lt=D(2023, 1, 1)).exists()
    assert not SubtreeCounts.objects.filter(end__lt=D(2023, 1, 1)).exists()
    assert SubtreeCounts.objects.filter(unit=tree["P"], start=START, end=END).exists()
    assert cached(tree["P"], D(2022, 1, 1), D(2022, 1, 31)) == live(
        tree["P"], D(2022, 1, 1), D(2022, 1, 31)
    )


def test_warm_stats_can_queue_the_work_and_the_task_stores_the_counts(tree, dossiers):
    from django_tasks_db.models import DBTaskResult

    from cchc.stats.tasks import usual_periods, warm_stored_counts

    call_command(
        "warm_stats", "--unit", "P", "--today", "2023-04-20", "--enqueue", stdout=io.StringIO()
    )
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == ["P", "2023-04-20"]
    assert not SubtreeCounts.objects.exists()  # the worker counts them
    expected = usual_periods(D(2023, 4, 20), cutoff=15, months=13)
    # 13 months; 2022's quarters, half, 9 months and year; 2023's Q1 and Q2 (cut at today),
    # and its half, 9 months and year, which cut at today are one span.
    assert len(expected) == 13 + 4 + 3 + 2 + 1
    assert warm_stored_counts.call("P", "2023-04-20") == {"P": len(expected)}
    assert SubtreeCounts.objects.filter(unit=tree["P"], start=D(2023, 2, 15)).exists()


def test_when_nothing_can_be_stored_the_figures_are_counted_all_the_same(
    tree, dossiers, monkeypatch
):
    """A read-only database (a reporting replica): no stamp, no stored count can be written;
    the figures come from the dossiers, and the page does not fail."""
    from django.db import DatabaseError
    from django.db.models import QuerySet

    def refuse(*args, **kwargs):
        raise DatabaseError("cannot execute INSERT in a read-only transaction")

    StatsStamp.objects.all().delete()
    monkeypatch.setattr(QuerySet, "bulk_create", refuse)
    monkeypatch.setattr(QuerySet, "update_or_create", refuse)
    assert cached(tree["P"]) == live(tree["P"])
    assert not PeriodCounts.objects.exists() and not SubtreeCounts.objects.exists()


def vn(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_a_change_from_after_a_periods_end_keeps_its_stored_counts(tree, dossiers):
    """A one-stop action dated after a period's end cannot alter it: the period's stored
    counts stay in use (they are read, not counted again), while a later period's are not."""
    january = (D(2023, 1, 1), D(2023, 1, 31))
    settle(tree["P"], *january)
    settle(tree["P"])  # the first quarter
    stored = SubtreeCounts.objects.get(unit=tree["P"], start=january[0], end=january[1])
    stored.data["units"][str(tree["P-D-1"].pk)][0] += 1000  # marked, to see it read
    stored.save()
    specialist = UserFactory(unit=tree["P-D-1"], role=Role.SPECIALIST)
    target = dossiers[0]
    resolve_dossier(target, actor=specialist, expected_version=target.version, at=vn(D(2023, 2, 6)))
    marked = cached(tree["P"], *january)["dossiers"]["by_unit"]["P-D-1"]["received_total"]
    assert (
        marked == live(tree["P"], *january)["dossiers"]["by_unit"]["P-D-1"]["received_total"] + 1000
    )
    assert cached(tree["P"]) == live(tree["P"])  # the quarter is counted again


def test_a_hand_over_after_a_periods_end_voids_it_from_the_resolution_day(tree, dossiers):
    """Until its result is handed over a resolved dossier counts as returned (returned_at is
    empty, as for imported dossiers); handed over after the period, it no longer does. So
    the hand-over voids the stored counts of periods from the resolution day on."""
    from cchc.dossiers.services import return_result

    officer = UserFactory(unit=tree["P-D-1"], role=Role.OFFICER)
    specialist = UserFactory(unit=tree["P-D-1"], role=Role.SPECIALIST)
    target = dossiers[0]
    target.fee = 50000
    target.save()
    target = resolve_dossier(
        target, actor=specialist, expected_version=target.version, at=vn(D(2023, 1, 20))
    )
    january = (D(2023, 1, 1), D(2023, 1, 31))
    settle(tree["P"], *january)
    return_result(target, actor=officer, expected_version=target.version, at=vn(D(2023, 2, 6)))
    assert cached(tree["P"], *january) == live(tree["P"], *january)


def test_a_subtree_checked_exact_is_stored_under_the_new_stamps(tree, dossiers):
    """After changes that start after the period's end, the first reader checks them once
    and records the new stamps: the next reader finds the subtree's counts at once."""
    from cchc.dossiers.journal import dossiers_changed

    january = (D(2023, 1, 1), D(2023, 1, 31))
    settle(tree["P"], *january)
    dossiers_changed([tree["P-D-1"].pk, tree["P-D-2"].pk], D(2023, 2, 10))
    stored = SubtreeCounts.objects.get(unit=tree["P"], start=january[0], end=january[1])
    assert stored.stamps[str(tree["P-D-1"].pk)] != StatsStamp.objects.get(unit=tree["P-D-1"]).value
    assert cached(tree["P"], *january) == live(tree["P"], *january)
    stored.refresh_from_db()
    assert stored.stamps[str(tree["P-D-1"].pk)] == StatsStamp.objects.get(unit=tree["P-D-1"]).value
    dossiers_changed([tree["P-D-1"].pk], D(2023, 1, 15))  # this one alters January
    DossierFactory(unit=tree["P-D-1"], received_on=D(2023, 1, 16))
    assert cached(tree["P"], *january) == live(tree["P"], *january)
