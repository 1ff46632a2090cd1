"""Validation rules of the 2023 set: seed 003's printed contradictions are caught, nothing else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.reform.constants import MissingValues
from cchc.reform.expressions import compile_expression
from cchc.reform.models import FormSet
from cchc.reform.schema import load_schema
from cchc.reform.validation import check_values

from .seed003 import printed_values, vn_number

# Every contradiction printed in seed 003's forms, by the rule that catches it.
SEED_003_CONTRADICTIONS = {
    # Form 3: 100% of commune dossiers on time, but 2,245 of 2,445 is 91.8%.
    "B3-3.3-ty-le",
    # Form 7: the district's e-document rate 86% while district and communes both write 100%.
    "B7-5.2-khong-duoi-min",
    # Form 7: 225 district procedures online at level 3 and 4, but 11 + 213 = 224.
    "B7-7.3.1-tong",
    # Form 7: 100% of commune online procedures integrated, but 11 of 74 is 14.9%.
    "B7-8.3-ty-le",
    # Form 7: 74 commune procedures online at level 3 and 4, but 9 + 73 = 82.
    "B7-8.3.1-tong",
    # Form 7: 82% of commune dossiers received online, but 2 of 2,467 is 0.08%.
    "B7-8.4-ty-le",
}


@pytest.fixture
def schema(db):
    return load_schema(FormSet.objects.get(year=2023, version=1))


def seed_values() -> dict:
    values, _notes = printed_values()
    return {
        (form, code): vn_number(text)
        for form, rows in values.items()
        for code, text in rows.items()
    }


def test_seed_003_printed_values_raise_each_of_its_contradictions_and_no_other(schema):
    found = check_values(schema, seed_values())
    assert {v.code for v in found} == SEED_003_CONTRADICTIONS
    assert len(found) == len(SEED_003_CONTRADICTIONS)


def test_the_messages_name_the_rows_and_the_numbers_in_vietnamese_notation(schema):
    found = {v.code: v for v in check_values(schema, seed_values())}
    text = str(found["B3-3.3-ty-le"])
    assert text.startswith("Biểu 3: Chỉ tiêu 3.3")
    assert "[3.3] = 100" in text and "91,82" in text
    assert "0,08" in str(found["B7-8.4-ty-le"])
    assert found["B7-8.3.1-tong"].rows == ((7, "8.3.1"), (7, "8.1.2"), (7, "8.2.2"))


@pytest.mark.parametrize(
    ("corrections", "cleared"),
    [
        ({(3, "3.3"): "91.8"}, "B3-3.3-ty-le"),
        # 11 + 213 procedures: both 7.3.1 and the 7.3.2 printed beside it should read 224.
        ({(7, "7.3.1"): "224", (7, "7.3.2"): "224"}, "B7-7.3.1-tong"),
        ({(7, "8.3"): "15"}, "B7-8.3-ty-le"),
        ({(7, "8.4"): "0.08"}, "B7-8.4-ty-le"),
        ({(7, "5.2"): "100"}, "B7-5.2-khong-duoi-min"),
    ],
)
def test_correcting_the_printed_figures_clears_just_that_contradiction(
    schema, corrections, cleared
):
    values = seed_values()
    values.update({key: Decimal(v) for key, v in corrections.items()})
    codes = {v.code for v in check_values(schema, values)}
    assert codes == SEED_003_CONTRADICTIONS - {cleared}


@pytest.mark.parametrize(
    ("printed", "holds"),
    [("82", False), ("0.08", True), ("0.1", True), ("0.07", False), ("0", True), ("0.0", False)],
)
def test_a_rate_is_compared_at_the_precision_it_is_printed_with(schema, printed, holds):
    # 2 / 2,467 = 0.0810...%: "0.1" covers 0.05-0.15, "0" covers 0-0.5, "0.0" only 0-0.05.
    values = {(7, "8.4"): Decimal(printed), (7, "8.4.1"): Decimal(2467), (7, "8.4.2"): Decimal(2)}
    codes = {v.code for v in check_values(schema, values)}
    assert ("B7-8.4-ty-le" not in codes) is holds


def test_seed_7_4_printed_5_2_percent_for_33_of_634_holds(schema):
    values = {(7, "7.4"): Decimal("5.2"), (7, "7.4.1"): Decimal(634), (7, "7.4.2"): Decimal(33)}
    assert check_values(schema, values) == []


def test_a_rate_of_nothing_is_not_a_contradiction(schema):
    # Seed 003 prints 3.4 = 100% with 0 of 0 feedbacks and form 1's 3.3 = 0% with 0 of 0.
    values = {(3, "3.4"): Decimal(100), (3, "3.4.1"): Decimal(0), (3, "3.4.2"): Decimal(0)}
    assert check_values(schema, values) == []


def test_a_part_larger_than_its_whole_is_reported(schema):
    values = {(3, "3.3.1"): Decimal(10), (3, "3.3.2"): Decimal(12)}
    assert {v.code for v in check_values(schema, values)} == {"B3-3.3.2-le-3.3.1"}


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ((3, "3.3.1"), "-1", "count:3:3.3.1"),
        ((3, "3.3.1"), "2.5", "count:3:3.3.1"),
        ((7, "5.2"), "101", "percent:7:5.2"),
        ((1, "6"), "2", "choice:1:6"),
        ((6, "1.1"), "-5", "number:6:1.1"),
    ],
)
def test_a_value_that_does_not_fit_its_row_is_reported(schema, key, value, code):
    found = check_values(schema, {key: Decimal(value)})
    assert [v.code for v in found] == [code]
    assert found[0].blocks_submission


def test_missing_values_follow_the_rules_strategy():
    total = compile_expression("[1] + [2] + [3]", 1)
    values = {(1, "1"): Decimal(4), (1, "2"): None, (1, "3"): None}
    assert total.evaluate(values, MissingValues.SKIP_IF_ANY) is None
    assert total.evaluate(values, MissingValues.SKIP_IF_ALL) == 4
    assert total.evaluate({}, MissingValues.SKIP_IF_ALL) is None
    assert total.evaluate({}, MissingValues.NEVER_SKIP) == 0
    smallest = compile_expression("min([1], [2], [3])", 1)
    assert smallest.evaluate(values, MissingValues.SKIP_IF_ALL) == 4


def test_expressions_are_exact_decimals_across_forms():
    expr = compile_expression("([7.4.2] - 1) / [3:3.3.1] * 100", 7)
    assert expr.refs == ((7, "7.4.2"), (3, "3.3.1"))
    assert expr.evaluate({(7, "7.4.2"): Decimal(34), (3, "3.3.1"): Decimal(3)}) == Decimal(1100)
    assert expr.evaluate({(7, "7.4.2"): Decimal(34), (3, "3.3.1"): Decimal(0)}) is None
