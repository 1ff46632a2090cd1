"""period_statistics: every count of domain.md "The period and its counts", at the edges."""

import datetime as dt

import pytest

from cchc.catalog.constants import OnlineLevel
from cchc.dossiers.constants import Channel, Digitization, Outcome
from cchc.stats.selectors import COUNT_KEYS, period_statistics, rate
from cchc.stats.validation import validate
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

from .history import close, pause, resume

START, END = dt.date(2023, 3, 1), dt.date(2023, 3, 31)
D = dt.date


def counts(unit, start=START, end=END) -> dict:
    return period_statistics(unit, start, end)["dossiers"]["all"]


def assert_counts(actual: dict, **nonzero: int) -> None:
    """The counts named are as given, every other count is 0."""
    expected = {key: nonzero.get(key, 0) for key in COUNT_KEYS}
    assert {key: actual[key] for key in COUNT_KEYS} == expected


@pytest.fixture
def c1(tree):
    return tree["P-D-1"]


@pytest.fixture
def procedure(db):
    return ProcedureFactory(code="X-01", processing_time=3, online_level=OnlineLevel.FULL)


def dossier(unit, received: dt.date, procedure, **kwargs):
    return DossierFactory(unit=unit, procedure=procedure, received_on=received, **kwargs)


@pytest.mark.parametrize(
    ("outcome", "key"),
    [
        (Outcome.RESOLVED, "resolved"),
        (Outcome.REJECTED, "rejected"),
        (Outcome.WITHDRAWN, "withdrawn"),
    ],
)
def test_dossier_closed_on_the_start_day_is_carried_over_and_closed_in_the_period(
    c1, procedure, outcome, key
):
    d = dossier(c1, D(2023, 2, 20), procedure)  # due 23/2: resolving on 1/3 is late
    close(d, outcome, START)
    extra = {"late": 1} if outcome == Outcome.RESOLVED else {}
    assert_counts(counts(c1), received_total=1, carried_over=1, **{key: 1}, **extra)


def test_dossier_closed_the_day_before_the_start_is_not_counted(c1, procedure):
    close(dossier(c1, D(2023, 2, 20), procedure), Outcome.RESOLVED, START - dt.timedelta(days=1))
    assert_counts(counts(c1))


def test_dossier_resolved_on_the_end_day_is_resolved_in_the_period(c1, procedure):
    d = dossier(c1, D(2023, 3, 28), procedure)  # due Friday 31/3, the end day
    close(d, Outcome.RESOLVED, END)
    stats = counts(c1)
    assert_counts(
        stats,
        received_total=1,
        received_in_period=1,
        direct_postal=1,
        online_eligible=1,
        resolved=1,
        on_time=1,
        resolved_in_time=1,
    )
    assert stats["on_time_rate"] == 100.0


def test_dossier_resolved_the_day_after_the_end_is_pending_at_the_end(c1, procedure):
    d = dossier(c1, D(2023, 3, 28), procedure)
    close(d, Outcome.RESOLVED, END + dt.timedelta(days=1))
    assert_counts(
        counts(c1),
        received_total=1,
        received_in_period=1,
        direct_postal=1,
        online_eligible=1,
        pending=1,
        pending_not_due=1,
    )


@pytest.mark.parametrize(
    ("due", "key"),
    [
        (END, "pending_not_due"),
        (END + dt.timedelta(days=5), "pending_not_due"),
        (D(2023, 3, 30), "pending_overdue"),
    ],
)
def test_pending_dossier_is_overdue_only_when_due_before_the_end(c1, procedure, due, key):
    dossier(c1, D(2023, 3, 1), procedure, initial_due_date=due)
    stats = counts(c1)
    assert stats[key] == stats["pending"] == 1


def test_dossier_paused_on_the_end_day_is_paused_not_pending(c1, procedure):
    d = dossier(c1, D(2023, 3, 20), procedure)
    pause(d, END)
    stats = counts(c1)
    assert (stats["paused"], stats["pending"]) == (1, 0)
    assert stats["received_total"] == stats["paused"]


def test_dossier_resumed_on_the_end_day_is_pending_with_the_moved_due_date(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)  # due 6/3
    pause(d, D(2023, 3, 2), resumed=END)
    assert d.due_date >= END > d.initial_due_date
    stats = counts(c1)
    assert (stats["paused"], stats["pending_not_due"], stats["pending_overdue"]) == (0, 1, 0)


def test_dossier_paused_across_the_end_is_paused_at_the_end(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)
    pause(d, D(2023, 3, 20), resumed=D(2023, 4, 10))
    stats = counts(c1)
    assert (stats["paused"], stats["pending"]) == (1, 0)


def test_due_date_at_the_end_is_the_one_before_a_later_resumption(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)  # due 6/3: overdue on 15/3
    pause(d, D(2023, 4, 3), resumed=D(2023, 4, 20))
    end = D(2023, 3, 15)
    assert d.due_date >= end > d.initial_due_date and d.due_date_since > end
    stats = counts(c1, end=end)
    assert (stats["pending_overdue"], stats["pending_not_due"]) == (1, 0)


def test_due_date_at_the_end_is_set_by_the_last_resumption_before_it(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)
    pause(d, D(2023, 3, 2), resumed=D(2023, 3, 13))
    due_at_end = d.due_date
    pause(d, D(2023, 3, 20), resumed=D(2023, 4, 20))
    end = D(2023, 3, 15)
    assert due_at_end >= end > d.initial_due_date
    stats = counts(c1, end=end)
    assert (stats["pending_not_due"], stats["pending_overdue"]) == (1, 0)
    # On 17/3 the first moved due date (15/3) has passed and the second pause has not begun.
    later = counts(c1, end=D(2023, 3, 17))
    assert (later["pending_not_due"], later["pending_overdue"]) == (0, 1)


def test_a_resumption_without_a_recorded_due_date_keeps_the_earlier_due_date(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)
    pause(d, D(2023, 3, 2), resumed=D(2023, 3, 13))
    due_at_end = d.due_date
    second = pause(d, D(2023, 3, 14), resumed=D(2023, 3, 14))
    second.due_date_after = None  # nothing moved: a lifecycle may leave it empty
    second.save()
    pause(d, D(2023, 3, 20), resumed=D(2023, 4, 20))
    end = D(2023, 3, 15)
    assert due_at_end >= end > d.initial_due_date
    assert counts(c1, end=end)["pending_not_due"] == 1


def test_paused_then_rejected_is_rejected_and_was_paused_before(c1, procedure):
    d = dossier(c1, D(2023, 3, 1), procedure)
    pause(d, D(2023, 3, 10))
    close(d, Outcome.REJECTED, D(2023, 3, 20))  # the pause is never resumed
    assert_counts(
        counts(c1),
        received_total=1,
        received_in_period=1,
        direct_postal=1,
        online_eligible=1,
        rejected=1,
    )
    before = counts(c1, end=D(2023, 3, 15))
    assert (before["paused"], before["rejected"], before["pending"]) == (1, 0, 0)


def test_paused_dossier_carries_over_into_the_next_period(c1, procedure):
    d = dossier(c1, D(2023, 3, 20), procedure)
    pause(d, END)
    resume(d, D(2023, 4, 5))
    after = counts(c1, D(2023, 4, 1), D(2023, 4, 30))
    assert (after["carried_over"], after["paused"], after["pending"]) == (1, 0, 1)


def test_a_period_of_one_day(c1, procedure):
    day = D(2023, 3, 15)
    close(dossier(c1, day, procedure), Outcome.RESOLVED, day)
    dossier(c1, D(2023, 3, 14), procedure)
    dossier(c1, D(2023, 3, 16), procedure)  # after the period
    assert_counts(
        counts(c1, day, day),
        received_total=2,
        carried_over=1,
        received_in_period=1,
        direct_postal=1,
        online_eligible=1,
        resolved=1,
        early=1,
        resolved_in_time=1,
        pending=1,
        pending_not_due=1,
    )


def test_a_unit_without_dossiers_gives_zeros_and_null_rates(tree):
    stats = period_statistics(tree["P-D-2"], START, END)
    assert_counts(stats["dossiers"]["all"])
    assert stats["dossiers"]["all"]["on_time_rate"] is None
    assert stats["dossiers"]["all"]["online_rate"] is None
    assert list(stats["dossiers"]["by_unit"]) == ["P-D-2"]
    assert list(stats["dossiers"]["by_level"]) == ["commune"]
    assert stats["dossiers"]["by_field"] == {}
    assert stats["digitization"]["input_full_rate"] is None
    assert stats["digitization"]["result_rate"] is None
    assert stats["online_services"]["full"]["online_rate"] is None
    assert validate(stats) == []


def test_by_unit_lists_every_unit_of_the_subtree_and_no_other(tree, procedure):
    dossier(tree["P-D-1"], D(2023, 3, 2), procedure)
    dossier(tree["Q-1"], D(2023, 3, 2), procedure)
    stats = period_statistics(tree["P"], START, END)["dossiers"]
    assert list(stats["by_unit"]) == ["P", "P-D", "P-D-1", "P-D-2"]
    assert stats["all"]["received_total"] == 1
    assert stats["by_unit"]["P-D-1"]["received_total"] == 1
    assert_counts(stats["by_unit"]["P-D-2"])


def test_by_level_lists_every_level_of_the_subtree_top_down_even_without_dossiers(tree, procedure):
    dossier(tree["P-D-1"], D(2023, 3, 2), procedure)
    stats = period_statistics(tree["P"], START, END)
    assert list(stats["dossiers"]["by_level"]) == ["province", "district", "commune"]
    assert_counts(stats["dossiers"]["by_level"]["district"])
    assert stats["dossiers"]["by_level"]["commune"]["received_total"] == 1
    assert list(stats["online_services"]["by_level"]) == ["province", "district", "commune"]


def test_online_dossier_of_a_procedure_not_offered_online_counts_in_the_online_rate(c1):
    offline = ProcedureFactory(code="X-N", online_level=OnlineLevel.NONE)
    dossier(c1, D(2023, 3, 2), offline, channel=Channel.ONLINE)
    dossier(c1, D(2023, 3, 2), offline, channel=Channel.DIRECT)
    stats = period_statistics(c1, START, END)
    all_ = stats["dossiers"]["all"]
    assert (all_["online"], all_["online_eligible"], all_["online_rate"]) == (1, 1, 100.0)
    for level in ("partial", "full"):
        assert stats["online_services"][level]["dossiers"] == 0
    assert validate(stats) == []


def test_dossier_without_procedure_counts_in_its_field_and_names_no_procedure(c1):
    field = FieldFactory(name="Hộ tịch")
    DossierFactory(
        unit=c1,
        procedure=None,
        field=field,
        online_level=OnlineLevel.FULL,
        channel=Channel.ONLINE,
        received_on=D(2023, 3, 2),
        initial_due_date=D(2023, 3, 3),
    )
    stats = period_statistics(c1, START, END)
    assert stats["dossiers"]["by_field"]["Hộ tịch"]["received_total"] == 1
    full = stats["online_services"]["full"]
    assert (full["dossiers"], full["online_dossiers"], full["procedures_with_dossiers"]) == (
        1,
        1,
        0,
    )
    assert validate(stats) == []


def test_procedures_with_dossiers_never_exceed_procedures_offered(tree):
    district_proc = ProcedureFactory(code="H-01", level="district", online_level=OnlineLevel.FULL)
    retired = ProcedureFactory(code="X-OLD", online_level=OnlineLevel.PARTIAL, active=False)
    dossier(tree["P-D-1"], D(2023, 3, 2), district_proc, channel=Channel.ONLINE)
    dossier(tree["P-D-1"], D(2023, 3, 2), retired)
    stats = period_statistics(tree["P-D"], START, END)
    commune = stats["online_services"]["by_level"]["commune"]
    assert commune["full"]["procedures"] == commune["full"]["procedures_with_dossiers"] == 1
    assert commune["partial"]["procedures"] == commune["partial"]["procedures_with_dossiers"] == 1
    assert stats["online_services"]["by_level"]["district"]["full"]["procedures"] == 1
    assert validate(stats) == []


def test_online_services_count_catalogue_procedures_of_the_subtree_levels(tree):
    ProcedureFactory(code="X-F", level="commune", online_level=OnlineLevel.FULL)
    ProcedureFactory(code="X-P", level="commune", online_level=OnlineLevel.PARTIAL)
    ProcedureFactory(code="X-N", level="commune", online_level=OnlineLevel.NONE)
    ProcedureFactory(code="T-F", level="province", online_level=OnlineLevel.FULL)
    online = period_statistics(tree["P-D"], START, END)["online_services"]
    assert (online["full"]["procedures"], online["partial"]["procedures"]) == (1, 1)
    assert online["by_level"]["district"]["full"]["procedures"] == 0


def test_digitization_counts_dossiers_received_and_results_resolved_in_the_period(c1, procedure):
    for received, level in (
        (D(2023, 2, 27), Digitization.FULL),
        (D(2023, 3, 2), Digitization.FULL),
    ):
        d = dossier(c1, received, procedure, input_digitization=level)
        d.result_digitized = True
        close(d, Outcome.RESOLVED, D(2023, 3, 3))
    dossier(c1, D(2023, 3, 6), procedure, input_digitization=Digitization.PARTIAL)
    dossier(c1, D(2023, 3, 7), procedure)
    close(dossier(c1, D(2023, 3, 8), procedure), Outcome.RESOLVED, D(2023, 3, 9))
    digit = period_statistics(c1, START, END)["digitization"]
    assert digit == {
        "received_in_period": 4,
        "input_any": 2,
        "input_full": 1,
        "input_none": 2,
        "input_full_rate": 25.0,
        "resolved": 3,
        "result_digitized": 2,
        "result_not_digitized": 1,
        "result_rate": 66.67,
    }


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 32, 3.13),
        (2, 3, 66.67),
        (1, 3, 33.33),
        (5, 5, 100.0),
        (0, 7, 0.0),
        (0, 0, None),
        (3, 0, None),
    ],
)
def test_rates_are_percentages_rounded_half_up_or_null(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_fixed_period_ignores_dossiers_received_after_it(c1, procedure):
    dossier(c1, END + dt.timedelta(days=1), procedure)
    assert_counts(counts(c1))
