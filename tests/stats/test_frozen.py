"""A period that ended in the past gives the same figures whatever happened afterwards, and the
statistics cost a fixed number of queries however many dossiers there are."""

import datetime as dt
import json

import pytest

from cchc.catalog.constants import OnlineLevel
from cchc.dossiers.constants import Channel, Digitization, Outcome
from cchc.dossiers.exchange import import_dossiers
from cchc.stats.selectors import period_statistics
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

from .history import close, hand_over, pause, resume

D = dt.date
START, END = D(2023, 1, 1), D(2023, 1, 31)


@pytest.fixture
def january(tree):
    """Dossiers of P-D in every state at the end of January 2023."""
    full = ProcedureFactory(code="X-F", online_level=OnlineLevel.FULL, processing_time=5)
    partial = ProcedureFactory(code="X-P", online_level=OnlineLevel.PARTIAL, processing_time=2)
    c1, c2 = tree["P-D-1"], tree["P-D-2"]

    def new(code, unit, received, procedure=full, **kwargs):
        return DossierFactory(
            code=code, unit=unit, procedure=procedure, received_on=received, **kwargs
        )

    states = {
        "open": new("J-open", c1, D(2023, 1, 30)),
        "paused": new("J-paused", c1, D(2023, 1, 16), channel=Channel.ONLINE),
        "resumed": new("J-resumed", c2, D(2023, 1, 5), partial),
        "overdue": new("J-overdue", c2, D(2022, 12, 20), partial),
        "resolved": new("J-resolved", c1, D(2023, 1, 9), input_digitization=Digitization.FULL),
        "paused_across": new("J-across", tree["P-D"], D(2023, 1, 10)),
        "unreturned": new("J-unreturned", c2, D(2023, 1, 27)),
    }
    pause(states["paused"], D(2023, 1, 17))
    pause(states["resumed"], D(2023, 1, 6), resumed=D(2023, 1, 16))
    states["resolved"].result_digitized = True
    close(states["resolved"], Outcome.RESOLVED, D(2023, 1, 12))
    pause(states["paused_across"], D(2023, 1, 11))
    close(states["unreturned"], Outcome.RESOLVED, END)
    return states


def frozen_json(unit) -> str:
    return json.dumps(period_statistics(unit, START, END), sort_keys=True)


def test_a_past_period_gives_the_same_figures_whatever_happens_afterwards(tree, january):
    before = frozen_json(tree["P"])
    february_before = period_statistics(tree["P"], D(2023, 2, 1), D(2023, 2, 28))

    close(january["open"], Outcome.RESOLVED, D(2023, 2, 3))
    close(january["paused"], Outcome.REJECTED, D(2023, 2, 6))  # still paused when rejected
    pause(january["resumed"], D(2023, 2, 1), resumed=D(2023, 2, 20))  # moves the due date
    resume(january["paused_across"], D(2023, 2, 2))
    close(january["paused_across"], Outcome.RESOLVED, D(2023, 2, 10))
    close(january["overdue"], Outcome.WITHDRAWN, D(2023, 2, 1))
    hand_over(january["unreturned"], D(2023, 2, 2), result_digitized=True, paid_online=True)
    FieldFactory(name="Hộ tịch")
    report = import_dossiers(
        "code,unit_code,procedure_code,field,channel,received_at,status,resolved_at,paused_at\n"
        "F-1,P-D-1,X-F,Hộ tịch,online,2023-02-01,resolved,2023-02-02,\n"
        "F-2,P-D-2,X-P,Hộ tịch,direct,2023-02-05T09:30,paused,,2023-02-06\n"
        "F-3,P-D,,Hộ tịch,postal,2023-02-07,processing,,\n".encode()
    )
    assert (report.imported, report.errors) == (3, [])

    assert frozen_json(tree["P"]) == before
    # ... while the month after it did change.
    assert period_statistics(tree["P"], D(2023, 2, 1), D(2023, 2, 28)) != february_before


def test_the_figures_of_january_are_what_happened_in_january(tree, january):
    stats = period_statistics(tree["P"], START, END)
    counts = stats["dossiers"]["all"]
    assert (counts["received_total"], counts["carried_over"], counts["received_in_period"]) == (
        7,
        1,
        6,
    )
    assert (counts["resolved"], counts["paused"], counts["pending"]) == (2, 2, 3)
    # Received 20/12 and due two working days later; due 9/1 moved to 17/1 by its pause.
    assert (counts["pending_overdue"], counts["pending_not_due"]) == (2, 1)
    assert stats["digitization"]["result_digitized"] == 1


def test_what_is_recorded_at_hand_over_counts_once_handed_over_by_the_end(tree, january):
    hand_over(january["unreturned"], END, result_digitized=True, paid_online=True, fee=20000)
    stats = period_statistics(tree["P"], START, END)
    assert stats["digitization"]["result_digitized"] == 2
    assert (stats["fees"]["resolved_with_fee"], stats["fees"]["paid_online"]) == (1, 1)


@pytest.mark.parametrize("n", [3, 90])
def test_statistics_run_a_fixed_number_of_queries_whatever_the_dossier_count(
    tree, django_assert_max_num_queries, n
):
    procedures = [
        ProcedureFactory(code=f"Q-{i}", online_level=level) for i, level in enumerate(OnlineLevel)
    ]
    units = [tree["P"], tree["P-D"], tree["P-D-1"], tree["P-D-2"]]
    for i in range(n):
        d = DossierFactory(
            unit=units[i % 4],
            procedure=procedures[i % 3],
            received_on=START + dt.timedelta(days=i % 40),
            channel=Channel.ONLINE if i % 2 else Channel.DIRECT,
        )
        if i % 3 == 0:
            pause(d, d.received_date + dt.timedelta(days=1), resumed=D(2023, 2, 10))
        elif i % 3 == 1:
            close(d, Outcome.RESOLVED, d.received_date + dt.timedelta(days=2))
    # Counted from the dossiers: the subtree with its stamps, the stored counts of the
    # subtree and of its units, the grouped counts, the online services' rows, the field
    # names and the catalogue; storing the units' counts (a savepoint around one INSERT);
    # four for the units that get their first stamp.
    with django_assert_max_num_queries(20):
        stats = period_statistics(tree["P"], START, END)
    assert stats["dossiers"]["all"]["received_total"] == sum(1 for i in range(n) if i % 40 <= 30)
    # Asked again: the units' stored counts, and the subtree's are stored (cchc.stats.cache).
    with django_assert_max_num_queries(15):
        assert period_statistics(tree["P"], START, END) == stats
    # And again: the subtree with its stamps, its stored counts, the field names, the catalogue.
    with django_assert_max_num_queries(4):
        assert period_statistics(tree["P"], START, END) == stats
