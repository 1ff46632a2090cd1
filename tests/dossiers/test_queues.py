"""Work queues, searches and the daily deadline warnings, scoped to the person's subtree."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.tasks import TaskResultStatus

from cchc.dossiers import selectors
from cchc.dossiers.constants import Channel, Status
from cchc.dossiers.models import DossierWarning, WarningKind
from cchc.dossiers.services import (
    apologise,
    assign_dossier,
    forward_dossier,
    receive_dossier,
    record_deadline_warnings,
    request_supplement,
    resolve_dossier,
    resume_dossier,
    return_result,
)
from cchc.dossiers.tasks import warn_dossiers_becoming_late
from cchc.org.constants import Role
from cchc.workcalendar import calendar
from tests.factories import DossierFactory, ProcedureFactory, UserFactory, staff_of, vn_moment

D = dt.date
TODAY = D(2023, 3, 8)  # a Wednesday; in 2 working days: Friday 10/3


@pytest.fixture
def world(tree):
    return {
        "tree": tree,
        "commune": staff_of(tree["P-D-1"]),
        "district": staff_of(tree["P-D"]),
        "sibling": staff_of(tree["P-D-2"]),
        "outsider": staff_of(tree["Q-1"]),
    }


def open_dossier(unit, due, **kwargs):
    """A dossier being processed, due on `due`."""
    return DossierFactory(
        unit=unit,
        received_on=due - dt.timedelta(days=7),
        due_date=due,
        initial_due_date=due,
        status=kwargs.pop("status", Status.PROCESSING),
        **kwargs,
    )


def codes(qs):
    return sorted(d.code for d in qs)


def test_deadline_queues_split_by_the_legal_due_date(world):
    unit = world["tree"]["P-D-1"]
    overdue = open_dossier(unit, D(2023, 3, 7), code="OVERDUE")
    due_today = open_dossier(unit, TODAY, code="TODAY")
    due_friday = open_dossier(unit, D(2023, 3, 10), code="FRIDAY")
    open_dossier(unit, D(2023, 3, 13), code="MONDAY")  # 3 working days away
    open_dossier(unit, D(2023, 3, 1), code="PAUSED", status=Status.SUPPLEMENT)
    open_dossier(unit, D(2023, 3, 1), code="DONE", status=Status.RESOLVED)
    officer = world["commune"][Role.OFFICER]
    assert codes(selectors.overdue(officer, TODAY)) == [overdue.code]
    assert codes(selectors.due_soon(officer, TODAY)) == sorted([due_today.code, due_friday.code])
    assert codes(selectors.paused(officer, TODAY)) == ["PAUSED"]


def test_an_apology_does_not_take_a_dossier_out_of_the_overdue_queue(world):
    unit = world["tree"]["P-D-1"]
    officer = world["commune"][Role.OFFICER]
    dossier = open_dossier(unit, D(2023, 3, 7))
    apologise(
        dossier,
        actor=officer,
        expected_version=dossier.version,
        new_appointment=D(2023, 3, 14),
        reason="Chờ xác minh",
        at=vn_moment(D(2023, 3, 6)),
    )
    assert codes(selectors.overdue(officer, TODAY)) == [dossier.code]


def test_my_dossiers_are_the_open_ones_assigned_to_me(world):
    unit = world["tree"]["P-D-1"]
    specialist = world["commune"][Role.SPECIALIST]
    mine = open_dossier(unit, TODAY, assignee=specialist)
    open_dossier(unit, TODAY, assignee=specialist, status=Status.RETURNED, code="CLOSED")
    open_dossier(unit, TODAY, assignee=world["commune"][Role.LEADER])
    assert codes(selectors.my_dossiers(specialist, TODAY)) == [mine.code]


def test_received_today_lists_todays_receipts(world):
    unit = world["tree"]["P-D-1"]
    today = DossierFactory(unit=unit, received_on=TODAY)
    DossierFactory(unit=unit, received_on=TODAY - dt.timedelta(days=1))
    officer = world["commune"][Role.OFFICER]
    assert codes(selectors.received_today(officer, TODAY)) == [today.code]


def test_queues_show_the_subtree_only(world):
    tree = world["tree"]
    here = open_dossier(tree["P-D-1"], D(2023, 3, 7))
    sibling = open_dossier(tree["P-D-2"], D(2023, 3, 7))
    far = open_dossier(tree["Q-1"], D(2023, 3, 7))
    assert codes(selectors.overdue(world["commune"][Role.OFFICER], TODAY)) == [here.code]
    assert codes(selectors.overdue(world["district"][Role.OFFICER], TODAY)) == sorted(
        [here.code, sibling.code]
    )
    assert codes(selectors.overdue(world["outsider"][Role.OFFICER], TODAY)) == [far.code]
    root = UserFactory(unit=None, is_superuser=True)
    assert len(selectors.overdue(root, TODAY)) == 3
    assert not selectors.overdue(UserFactory(unit=None), TODAY).exists()


def test_a_dossier_forwarded_to_another_unit_shows_in_its_queues(world):
    tree = world["tree"]
    dossier = open_dossier(tree["P-D-1"], D(2023, 3, 7))
    forward_dossier(
        dossier,
        actor=world["commune"][Role.OFFICER],
        expected_version=dossier.version,
        to_unit=tree["Q-1"],
        at=vn_moment(D(2023, 3, 3)),
    )
    assert codes(selectors.overdue(world["outsider"][Role.SPECIALIST], TODAY)) == [dossier.code]
    assert codes(selectors.overdue(world["commune"][Role.OFFICER], TODAY)) == [dossier.code]


def test_queue_counts_take_one_query_whatever_the_number_of_dossiers(
    world, django_assert_max_num_queries
):
    unit = world["tree"]["P-D-1"]
    specialist = world["commune"][Role.SPECIALIST]
    for n in range(30):
        open_dossier(unit, TODAY + dt.timedelta(days=n % 5 - 2), assignee=specialist)
    DossierFactory(unit=unit, received_on=TODAY, status=Status.SUPPLEMENT)
    specialist.refresh_from_db()
    specialist.unit  # noqa: B018 - the request's user comes with its unit
    calendar.is_working_day(TODAY)  # the calendar's overrides are cached per process
    with django_assert_max_num_queries(1):
        counts = selectors.queue_counts(specialist, TODAY)
    assert counts == {
        "mine": 30,
        "due_soon": 18,  # due 8/3, 9/3, 10/3 (6 each)
        "overdue": 12,  # due 6/3 and 7/3
        "paused": 1,
        "received_today": 1,
    }
    for name in selectors.QUEUES:
        assert selectors.queue(specialist, name, TODAY).count() == counts[name]


def test_listing_a_queue_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    unit = world["tree"]["P-D-1"]
    officer = world["commune"][Role.OFFICER]
    for n in range(25):
        open_dossier(unit, D(2023, 3, 7), assignee=world["commune"][Role.SPECIALIST], code=f"X{n}")
    officer.refresh_from_db()
    officer.unit  # noqa: B018
    calendar.is_working_day(TODAY)  # the calendar's overrides are cached per process
    with django_assert_max_num_queries(1):
        rows = [
            (d.code, d.unit.code, d.procedure.name, d.field.name, d.assignee.username)
            for d in selectors.overdue(officer, TODAY)[:50]
        ]
    assert len(rows) == 25


def test_search_matches_code_name_or_id_number_and_filters(world):
    unit = world["tree"]["P-D-1"]
    a = DossierFactory(unit=unit, applicant_name="Nguyễn Văn An", applicant_id_number="001")
    b = DossierFactory(
        unit=unit, applicant_name="Trần Thị Bình", applicant_id_number="002", channel="online"
    )
    DossierFactory(unit=world["tree"]["Q-1"], applicant_name="Nguyễn Văn An")
    officer = world["commune"][Role.OFFICER]
    assert codes(selectors.search_dossiers(officer, text="Văn An")) == [a.code]
    assert codes(selectors.search_dossiers(officer, text="002")) == [b.code]
    assert codes(selectors.search_dossiers(officer, text=b.code)) == [b.code]
    assert codes(selectors.search_dossiers(officer, channel=Channel.ONLINE)) == [b.code]
    assert codes(selectors.search_dossiers(officer, procedure_id=a.procedure_id)) == [a.code]
    assert (
        codes(
            selectors.search_dossiers(
                officer, received_from=D(2023, 3, 2), received_to=D(2023, 3, 9)
            )
        )
        == []
    )


def test_reusable_results_are_the_applicants_digitised_results_in_scope(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = world["tree"]["P-D-1"]
    officer = world["commune"][Role.OFFICER]
    dossier = receive_dossier(
        actor=officer,
        unit=unit,
        procedure=ProcedureFactory(),
        channel=Channel.DIRECT,
        applicant_name="Võ Văn Em",
        applicant_id_number="038000000001",
        at=vn_moment(D(2023, 3, 1)),
    )
    dossier = resolve_dossier(
        dossier,
        actor=world["commune"][Role.LEADER],
        expected_version=dossier.version,
        at=vn_moment(D(2023, 3, 2)),
    )
    return_result(
        dossier,
        actor=officer,
        expected_version=dossier.version,
        result_file=ContentFile(b"kq", name="kq.pdf"),
        at=vn_moment(D(2023, 3, 2), 15),
    )
    assert len(selectors.reusable_results(officer, "038000000001")) == 1
    assert not selectors.reusable_results(officer, "038000000002").exists()
    assert not selectors.reusable_results(world["outsider"][Role.OFFICER], "038000000001")


# ---------------------------------------------------------------------------- warnings


def test_the_daily_warning_finds_dossiers_due_by_the_next_working_day_and_overdue_ones(world):
    unit = world["tree"]["P-D-1"]
    friday = D(2023, 3, 10)
    overdue = open_dossier(unit, D(2023, 3, 9), code="LATE")
    today = open_dossier(unit, friday, code="DUE-TODAY")
    monday = open_dossier(unit, D(2023, 3, 13), code="DUE-MONDAY")  # the next working day
    open_dossier(unit, D(2023, 3, 14), code="LATER")
    open_dossier(unit, D(2023, 3, 1), code="PAUSED", status=Status.SUPPLEMENT)
    open_dossier(unit, D(2023, 3, 1), code="DONE", status=Status.RESOLVED)
    assert record_deadline_warnings(friday) == {"due_soon": 2, "overdue": 1}
    warned = {(w.dossier.code, w.kind) for w in DossierWarning.objects.select_related("dossier")}
    assert warned == {
        (overdue.code, WarningKind.OVERDUE),
        (today.code, WarningKind.DUE_SOON),
        (monday.code, WarningKind.DUE_SOON),
    }
    assert record_deadline_warnings(friday) == {"due_soon": 0, "overdue": 0}  # once per due date
    officer = world["commune"][Role.OFFICER]
    assert len(selectors.recent_warnings(officer, friday)) == 3
    assert not selectors.recent_warnings(world["outsider"][Role.OFFICER], friday).exists()


def test_a_moved_due_date_is_warned_about_again(world):
    unit = world["tree"]["P-D-1"]
    dossier = open_dossier(unit, D(2023, 3, 9))
    record_deadline_warnings(D(2023, 3, 8))
    dossier = request_supplement(
        dossier,
        actor=world["commune"][Role.OFFICER],
        expected_version=dossier.version,
        reason="Thiếu giấy",
        at=vn_moment(D(2023, 3, 8)),
    )
    assert record_deadline_warnings(D(2023, 3, 9)) == {"due_soon": 0, "overdue": 0}
    resume_dossier(
        dossier,
        actor=world["commune"][Role.OFFICER],
        expected_version=dossier.version,
        at=vn_moment(D(2023, 3, 10)),
    )  # 9, 10 paused → due 13/3
    assert record_deadline_warnings(D(2023, 3, 10)) == {"due_soon": 1, "overdue": 0}
    assert DossierWarning.objects.filter(dossier=dossier).count() == 2


def test_the_warning_task_runs_through_the_tasks_framework(world):
    unit = world["tree"]["P-D-1"]
    open_dossier(unit, D(2023, 3, 7))
    assert warn_dossiers_becoming_late.call("2023-03-08") == {"due_soon": 0, "overdue": 1}
    result = warn_dossiers_becoming_late.enqueue("2023-03-08")
    assert result.status == TaskResultStatus.READY


def test_assigning_keeps_the_queues_consistent(world):
    unit = world["tree"]["P-D-1"]
    specialist = world["commune"][Role.SPECIALIST]
    dossier = open_dossier(unit, TODAY, status=Status.RECEIVED)
    assign_dossier(
        dossier,
        actor=world["commune"][Role.OFFICER],
        expected_version=dossier.version,
        assignee=specialist,
        at=vn_moment(D(2023, 3, 7)),
    )
    assert selectors.queue_counts(specialist, TODAY)["mine"] == 1
