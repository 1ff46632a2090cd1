"""Reports of the statistical forms: computed rows, manual entry, submission, approval, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.org.constants import Role
from cchc.reform.constants import ReportAction, ReportStatus, ValueSource
from cchc.reform.models import FormReport, FormSet, FormValue, ReportEvent
from cchc.reform.selectors import preview_values, report_values
from cchc.reform.services import (
    ReportError,
    ReportInvalid,
    allowed_actions,
    approve_report,
    create_report,
    enter_values,
    refresh_report,
    report_violations,
    return_report,
    revise_report,
    submit_report,
)
from cchc.stats.selectors import period_statistics
from tests.factories import ProcedureFactory

from .factories import Q1_2023, officer, resolved

D = dt.date
START, END = Q1_2023


@pytest.fixture
def form_set(db) -> FormSet:
    return FormSet.objects.get(year=2023, version=1)


@pytest.fixture
def staff(tree) -> dict:
    return {
        "c1": officer(tree["P-D-1"]),
        "c2": officer(tree["P-D-2"]),
        "d": officer(tree["P-D"]),
        "d_leader": officer(tree["P-D"], Role.LEADER),
        "d_specialist": officer(tree["P-D"], Role.SPECIALIST),
        "p": officer(tree["P"]),
    }


def new_report(unit, form_set, user) -> FormReport:
    return create_report(unit=unit, form_set=form_set, start=START, end=END, user=user)


@pytest.fixture
def dossiers(tree):
    """Commune 1: three dossiers resolved (early, on time, late); the district: one, early."""
    commune_procedure = ProcedureFactory(code="XA-1", level="commune", online_level="full")
    district_procedure = ProcedureFactory(
        code="HUYEN-1", level="district", online_level="partial", fee=50_000
    )
    c1, d = tree["P-D-1"], tree["P-D"]
    # Received Wednesday 1/3/2023, 3 working days: due Monday 6/3.
    resolved(c1, commune_procedure, D(2023, 3, 1), D(2023, 3, 2))
    resolved(c1, commune_procedure, D(2023, 3, 1), D(2023, 3, 6))
    resolved(c1, commune_procedure, D(2023, 3, 1), D(2023, 3, 10))
    resolved(d, district_procedure, D(2023, 3, 1), D(2023, 3, 2), channel="online")


def test_computed_rows_are_the_period_statistics_and_catalogue(tree, form_set, staff, dossiers):
    report = new_report(tree["P-D"], form_set, staff["d"])
    values = report_values(report)
    stats = period_statistics(tree["P-D"], START, END)["dossiers"]["by_level"]
    assert values[(3, "3.3.1")] == stats["commune"]["resolved"] == 3
    assert values[(3, "3.3.2")] == stats["commune"]["resolved_in_time"] == 2
    assert values[(3, "3.3")] == Decimal("66.67")
    assert values[(3, "3.2.1")] == values[(3, "3.2.2")] == 1
    assert values[(3, "3.2")] == Decimal("100.00")
    assert values[(3, "1.4.2")] == values[(3, "1.4.3")] == 1
    assert values[(3, "1.4")] == 2
    assert values[(7, "7.4.1")] == values[(7, "7.4.2")] == 1  # the district's online dossier
    assert values[(7, "7.1.2")] == 1 and values[(7, "7.1.3")] == 1
    assert values[(7, "7.5.1")] == 1  # the district procedure with a fee
    assert values[(7, "2.a")] == 2  # communes of the district
    # Another province's catalogue is not the district's.
    ProcedureFactory(code="Q-HUYEN-1", level="district", owner=tree["Q"], fee=10_000)
    values = report_values(refresh_report(report, user=staff["d"]))
    assert values[(3, "1.4.2")] == 1 and values[(7, "7.5.1")] == 1
    # Rows the district level does not report ("Cấp sở báo") stay empty.
    assert (3, "1.4.1") not in values and (3, "3.1.1") not in values
    assert set(FormValue.objects.filter(report=report).values_list("source", flat=True)) == {
        ValueSource.COMPUTED
    }


def test_a_commune_report_counts_its_own_dossiers_and_no_district_figures(
    tree, form_set, staff, dossiers
):
    values = report_values(new_report(tree["P-D-1"], form_set, staff["c1"]))
    assert values[(3, "3.3.1")] == 3
    assert (3, "3.2.1") not in values  # no district-level unit in a commune's subtree
    assert (3, "3.3") not in values  # "Cấp huyện báo"


def test_manual_values_are_kept_with_their_precision_and_formulas_recomputed(tree, form_set, staff):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(
        report,
        {(3, "3.4.1"): 4, (3, "3.4.2"): "3", (7, "5.2"): Decimal("86.0"), (2, "1.2"): 1},
        user=staff["d"],
        notes={(7, "8.5.1"): "Cấp huyện 81; cấp xã 38"},
    )
    values = report_values(report)
    assert values[(3, "3.4")] == Decimal("75.00")
    assert str(values[(7, "5.2")]) == "86.0"
    assert values[(2, "1")] == 1  # 1 = 1.1 + 1.2 + 1.3, the missing ones counted as 0
    note = FormValue.objects.get(report=report, row__form__number=7, row__code="8.5.1")
    # 8.5.1 comes from the catalogue; a note explains a computed row too.
    assert (note.note, note.value, note.source) == ("Cấp huyện 81; cấp xã 38", 0, "computed")

    enter_values(report, {(3, "3.4.2"): None}, user=staff["d"])
    values = report_values(report)
    assert (3, "3.4.2") not in values and (3, "3.4") not in values


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ((3, "3.3.1"), 5, "computed_row"),  # from the dossiers
        ((3, "3.3"), 100, "computed_row"),  # a formula
        ((3, "1"), 1, "computed_row"),  # a heading takes no value
        ((3, "9.9"), 1, "no_row"),
        ((3, "1.2"), 1, "not_reported"),  # "Cấp sở báo"
        ((3, "2.1"), "nhiều", "not_a_number"),
    ],
)
def test_entering_a_locked_unknown_or_bad_value_is_refused(tree, form_set, staff, key, value, code):
    report = new_report(tree["P-D"], form_set, staff["d"])
    with pytest.raises(ReportError) as exc:
        enter_values(report, {key: value}, user=staff["d"])
    assert exc.value.code == code


def test_a_contradiction_of_high_importance_blocks_submission(tree, form_set, staff):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(report, {(1, "3.3.1"): 2, (1, "3.3.2"): 5}, user=staff["d"])
    assert [v.code for v in report_violations(report)] == ["B1-3.3.2-le-3.3.1"]
    with pytest.raises(ReportInvalid) as exc:
        submit_report(report, user=staff["d"])
    assert "3.3.2" in str(exc.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None


def test_warnings_do_not_block_submission_and_are_recorded(tree, form_set, staff):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(report, {(4, "2.1"): 78, (4, "2.2"): 80}, user=staff["d"])
    submit_report(report, user=staff["d"])
    event = report.events.get(action=ReportAction.SUBMIT)
    assert event.details["warnings"] == ["B4-2.2-le-2.1"]


def test_a_submitted_report_does_not_change_when_dossiers_or_values_change_afterwards(
    tree, form_set, staff, dossiers
):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(report, {(3, "3.4.1"): 4, (3, "3.4.2"): 4}, user=staff["d"])
    submit_report(report, user=staff["d"])
    sent = report_values(report)

    procedure = ProcedureFactory(code="XA-2", level="commune")
    for _ in range(3):
        resolved(tree["P-D-2"], procedure, D(2023, 3, 1), D(2023, 3, 13))
    with pytest.raises(ReportError):
        enter_values(report, {(3, "3.4.2"): 1}, user=staff["d"])
    with pytest.raises(ReportError):
        refresh_report(report, user=staff["d"])
    approve_report(report, user=staff["p"])

    correction = revise_report(report, user=staff["d"])
    enter_values(correction, {(3, "3.4.2"): 1}, user=staff["d"])
    refresh_report(correction, user=staff["d"])

    assert report_values(report) == sent
    corrected = report_values(correction)
    assert corrected[(3, "3.3.1")] == 6 and corrected[(3, "3.4")] == Decimal("25.00")
    assert sent[(3, "3.3.1")] == 3 and sent[(3, "3.4")] == Decimal("100.00")


def test_submit_approve_and_history(tree, form_set, staff):
    report = new_report(tree["P-D-1"], form_set, staff["c1"])
    report = submit_report(report, user=staff["c1"], at=dt.datetime(2023, 3, 18, 9, tzinfo=dt.UTC))
    assert allowed_actions(staff["d_leader"], report) == [
        ReportAction.APPROVE,
        ReportAction.RETURN,
    ]
    approve_report(report, user=staff["d_leader"])
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in report.events.all()] == [
        (ReportAction.CREATE, "", ReportStatus.DRAFT, staff["c1"]),
        (ReportAction.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED, staff["c1"]),
        (ReportAction.APPROVE, ReportStatus.SUBMITTED, ReportStatus.APPROVED, staff["d_leader"]),
    ]
    with pytest.raises(ReportError) as exc:
        approve_report(report, user=staff["d_leader"])
    assert exc.value.code == "wrong_status"


def test_a_returned_report_is_corrected_in_a_new_version(tree, form_set, staff):
    report = new_report(tree["P-D-1"], form_set, staff["c1"])
    enter_values(report, {(2, "1.3"): 1}, user=staff["c1"])
    submit_report(report, user=staff["c1"])
    with pytest.raises(ReportError) as exc:
        return_report(report, user=staff["d"], comment="  ")
    assert exc.value.code == "comment_required"
    return_report(report, user=staff["d"], comment="Thiếu số liệu biên chế")
    report.refresh_from_db()
    assert (report.status, report.return_comment) == (
        ReportStatus.RETURNED,
        "Thiếu số liệu biên chế",
    )

    v2 = revise_report(report, user=staff["c1"])
    assert (v2.version, v2.supersedes, v2.status) == (2, report, ReportStatus.DRAFT)
    assert report_values(v2) == report_values(report)
    with pytest.raises(ReportError) as exc:
        revise_report(report, user=staff["c1"])
    assert exc.value.code == "newer_version"
    with pytest.raises(ReportError) as exc:
        create_report(unit=tree["P-D-1"], form_set=form_set, start=START, end=END, user=staff["c1"])
    assert exc.value.code == "exists"


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("c2", "submit"),  # another commune
        ("d", "submit"),  # the level above does not submit for the commune
        ("c1", "approve"),  # nobody approves their own report
        ("p", "approve"),  # the province is not the level directly above a commune
        ("d_specialist", "approve"),  # not a role that approves
    ],
)
def test_who_may_submit_and_approve(tree, form_set, staff, who, action):
    report = new_report(tree["P-D-1"], form_set, staff["c1"])
    if action == "approve":
        submit_report(report, user=staff["c1"])
    act = {"submit": submit_report, "approve": approve_report}[action]
    with pytest.raises(PermissionDenied):
        act(report, user=staff[who])


def test_only_the_units_officers_create_and_enter(tree, form_set, staff):
    with pytest.raises(PermissionDenied):
        new_report(tree["P-D-1"], form_set, staff["d"])
    report = new_report(tree["P-D-1"], form_set, staff["c1"])
    with pytest.raises(PermissionDenied):
        enter_values(report, {(2, "1.3"): 1}, user=staff["c2"])


def test_history_is_append_only(tree, form_set, staff):
    report = new_report(tree["P-D-1"], form_set, staff["c1"])
    event = ReportEvent.objects.get(report=report)
    event.comment = "sửa"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_entering_a_whole_form_costs_a_fixed_number_of_queries(
    tree, form_set, staff, django_assert_max_num_queries
):
    report = new_report(tree["P-D"], form_set, staff["d"])
    few = {(5, code): 1 for code in ("2.1", "2.2")}
    many = {(5, code): 1 for code in ("1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "4.2")}
    many |= {(4, code): 10 for code in ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3")}
    # The dossier statistics behind the computed rows, twice: the units' counts and then the
    # subtree's are stored (cchc.stats.cache), as after the first looks at the period.
    for _ in range(2):
        period_statistics(report.unit, report.period_start, report.period_end)
    with django_assert_max_num_queries(60) as few_queries:
        enter_values(report, few, user=staff["d"])
    with django_assert_max_num_queries(len(few_queries.captured_queries)) as many_queries:
        enter_values(report, many, user=staff["d"])
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)


def test_history_records_each_changed_value_before_and_after(tree, form_set, staff):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(report, {(4, "2.1"): 78, (4, "2.2"): 75}, user=staff["d"])
    enter_values(
        report,
        {(4, "2.1"): 78, (4, "2.2"): 76},
        notes={(4, "2.1"): "Theo Quyết định giao biên chế"},
        user=staff["d"],
    )
    last = report.events.filter(action=ReportAction.ENTER).last()
    assert last.details["rows"] == {
        "4:2.1": ["78", "78 (Theo Quyết định giao biên chế)"],
        "4:2.2": ["75", "76"],
    }


def test_a_preview_checks_typed_values_without_saving_them(tree, form_set, staff):
    report = new_report(tree["P-D"], form_set, staff["d"])
    enter_values(report, {(1, "3.3.1"): 4}, user=staff["d"])
    values, violations = preview_values(report, {(1, "3.3.2"): Decimal(5), (3, "3.3.1"): 1})
    assert [v.code for v in violations] == ["B1-3.3.2-le-3.3.1"]
    assert values[(1, "3.3")] == Decimal("125.00")
    assert values[(3, "3.3.1")] == 0  # a computed row is not overridden
    assert (1, "3.3.2") not in report_values(report)
    values, violations = preview_values(report, {(1, "3.3.2"): Decimal(3)})
    assert violations == [] and values[(1, "3.3")] == Decimal("75.00")
