"""validate_stats on values that are not counts: a JSON boolean, NaN or ±Infinity, a fraction
of a dossier. Each is a broken figure and is reported, wherever in the document it stands;
none is read as a number that happens to pass (true as 1, Infinity as a whole number).
"""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from cchc.stats.validation import validate

from .test_validation import good_doc


def parsed(text: str) -> dict:
    """A document read as the command reads it (floats as decimals, NaN/Infinity allowed)."""
    return json.loads(text, parse_float=Decimal)


NOT_NUMBERS = [
    ("true", "True"),
    ("false", "False"),
    ("NaN", "nan"),
    ("Infinity", "inf"),
    ("-Infinity", "-inf"),
    ('"NaN"', "'NaN'"),
    ('"Infinity"', "'Infinity'"),
    ('"mười"', "'mười'"),
]


@pytest.mark.parametrize(("literal", "shown"), NOT_NUMBERS)
def test_a_count_that_is_not_a_number_is_reported(literal, shown):
    doc = parsed(f'{{"dossiers": {{"all": {{"rejected": {literal}}}}}}}')
    assert validate(doc) == [f"dossiers.all: rejected {shown} is not a number"]


@pytest.mark.parametrize(("literal", "shown"), NOT_NUMBERS)
def test_a_rate_that_is_not_a_number_is_reported(literal, shown):
    doc = parsed(
        f'{{"dossiers": {{"all": {{"resolved": 4, "resolved_in_time": 3,'
        f' "on_time_rate": {literal}}}}}}}'
    )
    assert validate(doc) == [f"dossiers.all: on_time_rate {shown} is not a number"]


@pytest.mark.parametrize("value", [12.5, "12.5", Decimal("12.5"), 0.5, Decimal("12.000001")])
def test_a_fraction_of_a_dossier_is_not_a_count(value):
    shown = str(Decimal(str(value)))
    assert validate({"dossiers": {"all": {"rejected": value}}}) == [
        f"dossiers.all: rejected {shown} is not a count (a whole number >= 0)"
    ]


def test_a_negative_count_is_not_a_count():
    assert validate({"dossiers": {"all": {"rejected": -1}}}) == [
        "dossiers.all: rejected -1 is not a count (a whole number >= 0)"
    ]


@pytest.mark.parametrize("value", [12, 12.0, Decimal("12.00"), "12", 0])
def test_a_whole_count_however_it_is_written_is_a_count(value):
    assert validate({"dossiers": {"all": {"rejected": value}}}) == []


@pytest.mark.parametrize(
    "value", [True, float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN")]
)
def test_python_values_that_are_not_numbers_are_reported_too(value):
    # A document built in Python (the API, report_stats) rather than read from a file.
    problems = validate({"dossiers": {"all": {"rejected": value}}})
    assert problems == [f"dossiers.all: rejected {value!r} is not a number"]


def test_true_is_not_read_as_one_in_an_identity():
    # received_in_period = online + direct_postal: 1 = true + 0 would pass if true were 1.
    doc = parsed('{"dossiers": {"all": {"received_in_period": 1, "online": true,'
                 ' "direct_postal": 0}}}')  # fmt: skip
    problems = validate(doc)
    assert "dossiers.all: online True is not a number" in problems
    assert any(
        p.startswith("dossiers.all: received_in_period 1 != direct_postal 0") for p in problems
    )


def test_infinity_does_not_pass_as_a_bound():
    # late is never more than resolved: Infinity is no count to compare with.
    doc = parsed('{"dossiers": {"all": {"late": 3, "resolved": Infinity}}}')
    assert "dossiers.all: resolved inf is not a number" in validate(doc)


@pytest.mark.parametrize(
    ("path", "literal", "expected"),
    [
        ("dossiers.all.rejected", "true", "dossiers.all: rejected True is not a number"),
        ("dossiers.all.online_rate", "NaN", "dossiers.all: online_rate nan is not a number"),
        (
            "dossiers.by_level.commune.late",
            "12.5",
            "dossiers.by_level.commune: late 12.5 is not a count (a whole number >= 0)",
        ),
        (
            "dossiers.by_field.Hộ tịch.pending",
            "Infinity",
            "dossiers.by_field.Hộ tịch: pending inf is not a number",
        ),
        ("digitization.input_any", "true", "digitization: input_any True is not a number"),
        ("digitization.result_rate", "Infinity", "digitization: result_rate inf is not a number"),
        ("fees.paid_online", "12.5", "fees: paid_online 12.5 is not a count (a whole number >= 0)"),
        (
            "online_services.full.dossiers",
            "NaN",
            "online_services.full: dossiers nan is not a number",
        ),
        (
            "online_services.by_level.commune.partial.online_dossiers",
            "true",
            "online_services.by_level.commune.partial: online_dossiers True is not a number",
        ),
        (
            "satisfaction.rated",
            "12.5",
            "satisfaction: rated 12.5 is not a count (a whole number >= 0)",
        ),
    ],
)
def test_a_bad_value_anywhere_in_a_consistent_document_is_reported(path, literal, expected):
    doc = good_doc()
    doc.setdefault("satisfaction", {})
    *parents, key = path.split(".")
    target = doc
    for name in parents:
        target = target[name]
    target[key] = "__VALUE__"
    doc = parsed(json.dumps(doc, ensure_ascii=False).replace('"__VALUE__"', literal))
    assert expected in validate(doc)


@pytest.mark.parametrize(
    ("literal", "line"),
    [
        ("true", "dossiers.all: rejected True is not a number"),
        ("NaN", "dossiers.all: rejected nan is not a number"),
        ("Infinity", "dossiers.all: rejected inf is not a number"),
        ("12.5", "dossiers.all: rejected 12.5 is not a count (a whole number >= 0)"),
    ],
)
def test_the_command_fails_on_a_value_that_is_not_a_count(tmp_path, literal, line):
    path = tmp_path / "stats.json"
    path.write_text(f'{{"dossiers": {{"all": {{"rejected": {literal}}}}}}}', encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("validate_stats", str(path), stdout=out)
    assert exc.value.code == 1
    assert out.getvalue().splitlines() == [line]
