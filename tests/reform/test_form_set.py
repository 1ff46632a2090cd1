"""The 2023 form set, loaded from src/cchc/reform/data by a data migration, is seed 003's forms."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.reform.constants import ValueType
from cchc.reform.expressions import ExpressionError, compile_expression
from cchc.reform.models import Form, FormRow, FormSet
from cchc.reform.schema import load_schema
from cchc.reform.selectors import form_set_for
from cchc.reform.statistical_forms import DATA_DIR, FormSetError, load_form_set, read_document

from .seed003 import printed_forms, printed_values

ROW_NUMBER = r"^{}\.?(?:\s+|$)"
NUMERIC = re.compile(r"^[\d.,]+%?$")


def _words(text: str) -> list[str]:
    return [word.strip(";") for word in text.split() if word.strip(";")]


def _match_in_order(wanted: list[str], words: list[str]) -> list[str] | None:
    """The words left over when `wanted` is found in `words` in order (None: it is not)."""
    leftover, i = [], 0
    for word in words:
        if i < len(wanted) and word == wanted[i]:
            i += 1
        else:
            leftover.append(word)
    return leftover if i == len(wanted) else None


def _groups(rows: list[FormRow]) -> list[list[FormRow]]:
    """Each numbered row with the unnumbered rows printed under it."""
    groups: list[list[FormRow]] = []
    for row in rows:
        if row.number or not groups:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


@pytest.fixture
def form_set_2023(db) -> FormSet:
    return FormSet.objects.get(year=2023, version=1)


def test_the_2023_set_has_forms_1_to_7_with_their_printed_titles(form_set_2023):
    printed = printed_forms()
    forms = list(Form.objects.filter(form_set=form_set_2023).order_by("number"))
    assert [f.number for f in forms] == [1, 2, 3, 4, 5, 6, 7] == sorted(printed)
    for form in forms:
        assert form.title == printed[form.number][0]


@pytest.mark.parametrize("number", range(1, 8))
def test_every_row_number_label_unit_and_note_is_the_seeds(form_set_2023, number):
    """Walk the printed form row by row: each of our numbered rows must be the next numbered
    line of the seed, its label (and the labels of the unnumbered rows under it) must read in
    order in the printed text up to the next row, and what is left must be exactly its unit of
    measure, its note and the printed value (so no printed row or word is missing from ours)."""
    lines = printed_forms()[number][1:]
    values, notes = printed_values()
    rows = list(FormRow.objects.filter(form__form_set=form_set_2023, form__number=number))
    groups = _groups(rows)
    assert groups[0][0].number, "a form starts with a numbered row"

    starts = []
    at = 0
    for group in groups:
        pattern = re.compile(ROW_NUMBER.format(re.escape(group[0].number)))
        found = next((i for i in range(at, len(lines)) if pattern.match(lines[i])), None)
        assert found is not None, f"row {group[0].number} of form {number} not found in order"
        starts.append(found)
        at = found + 1
    assert starts[0] == 0, f"printed text before the first row: {lines[: starts[0]]}"

    for group, start, end in zip(groups, starts, [*starts[1:], len(lines)], strict=True):
        text = " ".join(lines[start:end])
        text = re.sub(ROW_NUMBER.format(re.escape(group[0].number)), "", text, count=1)
        label_words = [w for row in group for w in _words(row.label)]
        leftover = _match_in_order(label_words, _words(text))
        where = f"form {number}, row {group[0].number}"
        assert leftover is not None, f"{where}: label not printed as {' '.join(label_words)!r}"

        expected_words = [
            w
            for row in group
            for w in _words(f"{row.unit} {row.note} {notes.get(number, {}).get(row.code, '')}")
        ]
        printed_numbers = [values[number][row.code] for row in group if row.code in values[number]]
        rest = list(leftover)
        for word in expected_words:
            assert word in rest, f"{where}: {word!r} of its unit/note is not printed"
            rest.remove(word)
        assert [w for w in rest if not NUMERIC.match(w)] == [], f"{where}: unexplained words"
        assert rest == printed_numbers, f"{where}: printed values {rest} != transcribed"


def test_row_codes_are_numbers_and_unnumbered_rows_have_their_own(form_set_2023):
    for row in FormRow.objects.filter(form__form_set=form_set_2023):
        if row.number:
            assert row.code == row.number
        else:
            assert row.code.startswith(tuple("12345678")) and row.code[-1] in "ab"


def test_rows_name_their_source_or_formula_as_the_issue_asks(form_set_2023):
    rows = {
        (r.form.number, r.code): r
        for r in FormRow.objects.filter(form__form_set=form_set_2023).select_related("form")
    }
    assert rows[(3, "3.2.1")].source == "dossiers.resolved"
    assert rows[(3, "3.2.2")].source == "dossiers.resolved_in_time"
    assert rows[(3, "3.3.1")].scope == "level:commune"
    assert rows[(7, "7.4.1")].source == "dossiers.online_eligible"
    assert rows[(7, "7.4.2")].source == "dossiers.online"
    assert rows[(1, "5.5")].source == "plan.province.assigned"
    assert rows[(3, "3.3")].formula == "[3.3.2] / [3.3.1] * 100"
    assert rows[(2, "1")].formula == "[1.1] + [1.2] + [1.3]"
    assert rows[(1, "6")].value_type == ValueType.CHOICE
    assert [c["value"] for c in rows[(1, "6")].choices] == [1, 0]
    assert rows[(3, "1.4.2")].reported_by == "district"
    assert rows[(4, "1.3")].reported_by == "none"


def test_the_set_compiles_every_formula_and_rule_without_cycles(form_set_2023):
    schema = load_schema(form_set_2023)
    assert len(schema.rows) == FormRow.objects.filter(form__form_set=form_set_2023).count()
    assert (3, "3.3") in schema.formula_order
    # A sum of rates (7.3.1 = 7.1.2 + 7.2.2) comes before the rate that divides by it.
    order = schema.formula_order
    assert order.index((7, "7.3.1")) < order.index((7, "7.3"))


def test_a_set_already_used_by_year_and_version_is_not_loaded_twice(form_set_2023):
    doc = read_document(DATA_DIR / "form_set_2023.json")
    with pytest.raises(FormSetError, match="đã có"):
        load_form_set(doc)


def test_next_years_set_is_a_new_set_and_leaves_2023_alone(form_set_2023):
    doc = read_document(DATA_DIR / "form_set_2023.json")
    doc["year"] = 2024
    doc["forms"][0]["rows"][0]["label"] = "Số văn bản chỉ đạo CCHC (mẫu 2024)"
    result = load_form_set(doc)
    assert result.form_set.year == 2024
    first_2023 = FormRow.objects.get(form__form_set=form_set_2023, form__number=1, code="1")
    assert first_2023.label.startswith("Số văn bản chỉ đạo CCHC đã ban hành")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["forms"][2]["rows"][4].update(formula="[1.4.9] + 1"), "không có trong"),
        (lambda d: d["forms"][2]["rows"][6].update(source="dossiers.nothing"), "không tồn tại"),
        (lambda d: d["forms"][1]["rows"][1].update(formula="[1] * 2"), "vòng quanh"),
        (lambda d: d["forms"][0]["rows"][0].update(type="money"), "kiểu số liệu"),
        (lambda d: d["forms"][0]["rules"][0].update(op="=>"), "phép so sánh"),
        (lambda d: d["forms"][0]["rows"][1].update(code="1"), "trùng"),
        (lambda d: d["forms"][0]["rules"][0].update(left="__import__('os')"), "chỉ được"),
    ],
)
def test_a_bad_document_is_refused_whole_with_the_reason(db, change, problem):
    doc = read_document(DATA_DIR / "form_set_2023.json")
    doc["year"] = 2030
    change(doc)
    with pytest.raises(FormSetError, match=problem):
        load_form_set(doc)
    assert not FormSet.objects.filter(year=2030).exists()


def test_load_form_set_command_loads_and_reports_problems(db, tmp_path, capsys):
    doc = read_document(DATA_DIR / "form_set_2023.json")
    doc["version"] = 2
    good = tmp_path / "set.json"
    good.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    call_command("load_form_set", str(good))
    assert "7 biểu" in capsys.readouterr().out
    assert FormSet.objects.filter(year=2023, version=2).exists()

    with pytest.raises(CommandError) as exc:
        call_command("load_form_set", str(good))
    assert exc.value.returncode == 1
    with pytest.raises(CommandError) as exc:
        call_command("load_form_set", str(tmp_path / "missing.json"))
    assert exc.value.returncode == 2


@pytest.mark.parametrize(
    "text",
    ["[3.3] ** 2", "[3.3] if 1 else 0", "abs([3.3])", "[3.3] < 1", "'a'", ""],
)
def test_expressions_outside_the_whitelist_are_refused(text):
    with pytest.raises(ExpressionError):
        compile_expression(text, 3)


def test_the_set_in_force_is_the_newest_of_the_year_or_the_last_year_before(form_set_2023):
    assert form_set_for(dt.date(2023, 3, 14)) == form_set_2023
    assert form_set_for(dt.date(2024, 3, 14)) == form_set_2023
    assert form_set_for(dt.date(2022, 12, 31)) is None
    doc = read_document(DATA_DIR / "form_set_2023.json")
    doc["year"] = 2024
    set_2024 = load_form_set(doc).form_set
    assert form_set_for(dt.date(2024, 3, 14)) == set_2024
    assert form_set_for(dt.date(2023, 12, 14)) == form_set_2023
