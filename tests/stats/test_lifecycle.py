"""The lifecycle services write what the statistics read: a month's figures are those of the
dossiers' states at its end, and stay so whatever the services do afterwards."""

import datetime as dt
import json

import pytest

from cchc.catalog.constants import OnlineLevel
from cchc.dossiers import services
from cchc.org.constants import Role
from cchc.stats.selectors import period_statistics
from tests.factories import ProcedureFactory, UserFactory

from .history import moment

D = dt.date
START, END = D(2023, 1, 1), D(2023, 1, 31)


@pytest.fixture
def people(tree):
    return {
        "officer": UserFactory(username="mc", unit=tree["P-D-1"], role=Role.OFFICER),
        "specialist": UserFactory(username="cv", unit=tree["P-D-1"], role=Role.SPECIALIST),
    }


def january_json(unit) -> str:
    return json.dumps(period_statistics(unit, START, END), sort_keys=True)


def test_figures_of_a_month_run_through_the_services_do_not_change_afterwards(tree, people):
    officer, specialist = people["officer"], people["specialist"]
    procedure = ProcedureFactory(code="S-1", processing_time=5, online_level=OnlineLevel.FULL)

    def receive(day):
        return services.receive_dossier(
            actor=officer,
            unit=tree["P-D-1"],
            procedure=procedure,
            channel="online",
            applicant_name="Nguyễn Văn A",
            at=moment(day, 8),
        )

    def do(action, dossier, day, hour=10, actor=officer, **kwargs):
        return action(
            dossier, actor=actor, expected_version=dossier.version, at=moment(day, hour), **kwargs
        )

    supplemented = receive(D(2023, 1, 5))
    supplemented = do(services.request_supplement, supplemented, D(2023, 1, 6), reason="Thiếu")
    supplemented = do(services.resume_dossier, supplemented, D(2023, 1, 20))
    supplemented = do(services.resolve_dossier, supplemented, D(2023, 1, 27), actor=specialist)
    paused = receive(D(2023, 1, 10))
    paused = do(services.request_supplement, paused, D(2023, 1, 30), reason="Thiếu")
    still_open = receive(D(2023, 1, 25))
    returned = receive(D(2023, 1, 3))
    returned = do(services.resolve_dossier, returned, END, hour=15, actor=specialist)
    returned = do(services.return_result, returned, END, hour=16, result_digitized=True)

    before = january_json(tree["P"])
    counts = json.loads(before)["dossiers"]["all"]
    assert (counts["received_total"], counts["resolved"], counts["paused"], counts["pending"]) == (
        4,
        2,
        1,
        1,
    )
    assert json.loads(before)["digitization"]["result_digitized"] == 1

    do(services.return_result, supplemented, D(2023, 2, 1), result_digitized=True)
    do(services.reject_dossier, paused, D(2023, 2, 3), reason="Không bổ sung")
    still_open = do(services.request_supplement, still_open, D(2023, 2, 2), reason="Thiếu")
    do(services.resume_dossier, still_open, D(2023, 2, 20))
    receive(D(2023, 2, 6))

    assert january_json(tree["P"]) == before
