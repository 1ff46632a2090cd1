"""The level above: who has reported (on time or late), and the forms of its units rolled up."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from cchc.org.constants import Role
from cchc.reform.constants import SUMMABLE_TYPES, Timeliness
from cchc.reform.models import FormSet
from cchc.reform.schema import load_schema
from cchc.reform.selectors import (
    report_values,
    rolled_up,
    submission_deadline,
    submissions,
)
from cchc.reform.services import (
    create_report,
    enter_values,
    return_report,
    revise_report,
    submit_report,
)
from tests.factories import ProcedureFactory, UnitFactory, UnitLevelFactory

from .factories import Q1_2023, officer, resolved

START, END = Q1_2023
COMMUNES = 14
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def form_set(db) -> FormSet:
    return FormSet.objects.get(year=2023, version=1)


@pytest.fixture
def kbang(db):
    """A district of 14 communes, like Kbang; each commune has its reform officer."""
    district_level = UnitLevelFactory(name="district", rank=2)
    commune_level = UnitLevelFactory(name="commune", rank=3)
    province = UnitFactory(code="GL", level=UnitLevelFactory(name="province", rank=1))
    district = UnitFactory(code="GL-KB", level=district_level, parent=province)
    communes = [
        UnitFactory(code=f"GL-KB-{i:02d}", level=commune_level, parent=district)
        for i in range(1, COMMUNES + 1)
    ]
    return {
        "district": district,
        "communes": communes,
        "officers": [officer(c) for c in communes],
        "district_officer": officer(district),
        "district_leader": officer(district, Role.LEADER),
    }


def commune_values(i: int) -> dict:
    """Different figures in each commune, so that a mean of rates differs from the rate of sums."""
    return {
        (1, "1"): i,
        (1, "3.3.1"): 2 * i,
        (1, "3.3.2"): i + (i % 3),
        (2, "1.3"): i % 2,
        (3, "3.4.1"): 10 + i,
        (3, "3.4.2"): 10 + i - (i % 4),
        (4, "2.1"): 20 + i,
        (4, "2.2"): 19 + i,
        (6, "1.1"): Decimal("1000.5") * i,
        (6, "1.2"): Decimal(300) * i + 50 * (i % 3),
        (7, "8.1.1"): 5 + i,
        (7, "8.3.2"): i % 2,  # at most the one online procedure of the catalogue
        (1, "6"): i % 2,  # a choice: not added up
        (4, "1.5.4"): 10 + i,  # a rate without a formula: not added up
    }


@pytest.fixture
def sent(kbang, form_set):
    """Every commune's forms submitted, with dossiers resolved on time in some communes only."""
    procedure = ProcedureFactory(code="XA-1", level="commune", online_level="full")
    for i, (commune, person) in enumerate(
        zip(kbang["communes"], kbang["officers"], strict=True), 1
    ):
        for n in range(i % 4):  # resolved early, received 1/3, due 6/3
            resolved(commune, procedure, dt.date(2023, 3, 1), dt.date(2023, 3, 2), code=f"D{i}-{n}")
        if i % 5 == 0:  # and one late
            resolved(commune, procedure, dt.date(2023, 3, 1), dt.date(2023, 3, 13), code=f"L{i}")
        report = create_report(unit=commune, form_set=form_set, start=START, end=END, user=person)
        enter_values(report, commune_values(i), user=person)
        submit_report(report, user=person, at=dt.datetime(2023, 3, 17, 9, tzinfo=VN))
    return kbang


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_rollup_over_14_communes_is_the_sum_of_their_forms_with_rates_recomputed(
    sent, form_set, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        result = rolled_up(sent["district"], form_set, START, END)
    assert len(result.reports) == COMMUNES and result.missing == []
    schema = load_schema(form_set)
    parts = [report_values(r) for r in result.reports.values()]

    summed_rows = 0
    for key, row in schema.rows.items():
        if row.formula is None and row.value_type in SUMMABLE_TYPES:
            given = [p[key] for p in parts if p.get(key) is not None]
            assert result.values[key] == (sum(given) if given else None), key
            summed_rows += bool(given)
    assert summed_rows >= 12
    assert result.values[(1, "1")] == sum(range(1, COMMUNES + 1))
    assert result.values[(3, "3.3.1")] == sum(p[(3, "3.3.1")] for p in parts) > 0

    # Rates are recomputed from the sums, not added up or averaged.
    for key in [(1, "3.3"), (3, "3.3"), (3, "3.4"), (6, "1")]:
        num, den = schema.rows[key].formula.refs
        expected = _rounded(result.values[num] / result.values[den] * 100)
        assert result.values[key] == expected
        rates = [p[key] for p in parts if p.get(key) is not None]
        if rates:
            assert expected != _rounded(sum(rates) / len(rates))
            assert expected != sum(rates)
    # 3.3 is reported by the district only: the communes have none, the roll-up has it.
    assert all((3, "3.3") not in p for p in parts) and result.values[(3, "3.3")] is not None
    # Choices and rates without a formula cannot be added up.
    assert result.values[(1, "6")] is None and result.values[(4, "1.5.4")] is None


def test_rollup_takes_each_units_latest_sent_version_and_names_the_missing(kbang, form_set):
    first, second = kbang["communes"][:2]
    p1, p2 = kbang["officers"][:2]
    v1 = create_report(unit=first, form_set=form_set, start=START, end=END, user=p1)
    enter_values(v1, {(1, "1"): 5}, user=p1)
    submit_report(v1, user=p1)
    return_report(v1, user=kbang["district_officer"], comment="Sai số văn bản")
    v2 = revise_report(v1, user=p1)
    enter_values(v2, {(1, "1"): 7}, user=p1)
    draft = create_report(unit=second, form_set=form_set, start=START, end=END, user=p2)
    enter_values(draft, {(1, "1"): 100}, user=p2)

    result = rolled_up(kbang["district"], form_set, START, END)
    assert result.values[(1, "1")] is None  # v1 was returned, v2 and the other are drafts
    submit_report(v2, user=p1)
    result = rolled_up(kbang["district"], form_set, START, END)
    assert result.values[(1, "1")] == 7
    assert [u.code for u in result.missing] == [c.code for c in kbang["communes"][1:]]


def test_submissions_say_who_sent_on_time_late_or_not_at_all(
    kbang, form_set, settings, django_assert_max_num_queries
):
    assert submission_deadline(END) == dt.date(2023, 3, 20)  # BNV 581: the 20th
    on_time, late, corrected = kbang["communes"][:3]
    people = dict(zip(kbang["communes"], kbang["officers"], strict=True))

    def send(unit, day):
        report = create_report(
            unit=unit, form_set=form_set, start=START, end=END, user=people[unit]
        )
        return submit_report(
            report, user=people[unit], at=dt.datetime.combine(day, dt.time(23, 30), tzinfo=VN)
        )

    send(on_time, dt.date(2023, 3, 20))
    send(late, dt.date(2023, 3, 21))
    first = send(corrected, dt.date(2023, 3, 10))
    return_report(first, user=kbang["district_officer"], comment="Bổ sung")
    v2 = revise_report(first, user=people[corrected])
    submit_report(v2, user=people[corrected], at=dt.datetime(2023, 3, 25, tzinfo=VN))

    with django_assert_max_num_queries(4):
        rows = submissions(kbang["district"], form_set, START, END)
    by_code = {row.unit.code: row for row in rows}
    assert len(rows) == COMMUNES
    assert by_code[on_time.code].timeliness == Timeliness.ON_TIME
    assert by_code[late.code].timeliness == Timeliness.LATE
    # Timeliness is the first sending's; the corrected version is the one shown.
    assert by_code[corrected.code].timeliness == Timeliness.ON_TIME
    assert by_code[corrected.code].report.version == 2
    assert sum(row.timeliness == Timeliness.NOT_SUBMITTED for row in rows) == COMMUNES - 3

    settings.CCHC_REPORT_DEADLINE_DAY = 25
    rows = submissions(kbang["district"], form_set, START, END)
    assert {r.unit.code: r.timeliness for r in rows}[late.code] == Timeliness.ON_TIME
