"""The catalogue of figures (cchc.stats.figures) is the contract's JSON, no more and no less,
and what reads it (the query, validation, drill-down, tables) agrees with it."""

import datetime as dt
import json
import re

import pytest
from django.db.models import Q

from cchc.reports.period_report.tables import DIGITIZATION_COLUMNS, DOSSIER_COLUMNS, ONLINE_COLUMNS
from cchc.stats.figures import (
    BLOCK_CATALOGUES,
    DIGITIZATION,
    DOSSIER_FIGURES,
    DOSSIERS,
    FEES,
    ONLINE_SERVICE_FIGURES,
    ONLINE_SERVICES,
    SATISFACTION,
    Catalogue,
    Figure,
    Kind,
    condition_of,
    count_conditions,
    drillable,
    write_block,
)
from cchc.stats.selectors import KEYS, period_statistics
from cchc.stats.validation import COUNT_IDENTITIES, COUNT_PARTS, validate
from cchc.web.drilldown import COUNT_LABELS
from tests.conftest import SHARED
from tests.factories import DossierFactory

SPEC = SHARED / "spec" / "exchange-format.md"


def _contract_counts_keys() -> set[str]:
    """The keys of `...counts...` as exchange-format.md §2 lists them."""
    text = SPEC.read_text(encoding="utf-8")
    section = text[text.index("`...counts...` is an object") :]
    integers = section[: section.index("and these rate keys")]
    rates = section[
        section.index("and these rate keys") : section.index("`online_eligible` counts")
    ]
    keys = set(re.findall(r"[a-z_]+", integers.split(":", 1)[1].split("(")[0]))
    return keys | set(re.findall(r"`([a-z_]+_rate)`", rates))


def _contract_example() -> dict:
    """The JSON example of exchange-format.md §2, its placeholders made valid JSON."""
    text = SPEC.read_text(encoding="utf-8")
    example = text[text.index("```json") + 7 :]
    example = example[: example.index("```")]
    example = example.replace("{ ...counts... }", "{}").replace('{ "same keys": 0 }', "{}")
    return json.loads(example)


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not next to the project")
def test_the_catalogue_writes_exactly_the_contracts_keys():
    assert set(DOSSIER_FIGURES.keys_in(DOSSIERS)) == _contract_counts_keys()
    example = _contract_example()
    assert set(DOSSIER_FIGURES.keys_in(DIGITIZATION)) == set(example["digitization"])
    assert set(ONLINE_SERVICE_FIGURES.keys_in(ONLINE_SERVICES)) == set(
        example["online_services"]["partial"]
    )


def _leaves(stats: dict) -> dict[str, set[str]]:
    """Every block of a statistics JSON and the figure keys written in it."""
    out = {DOSSIERS: set(stats["dossiers"]["all"])}
    for group in ("by_level", "by_unit", "by_field"):
        for counts in stats["dossiers"][group].values():
            assert set(counts) == out[DOSSIERS], group
    for block in (DIGITIZATION, FEES, SATISFACTION):
        out[block] = set(stats[block])
    online = stats["online_services"]
    out[ONLINE_SERVICES] = set(online["partial"])
    for blocks in [online, *online["by_level"].values()]:
        for level in ("partial", "full"):
            assert set(blocks[level]) == out[ONLINE_SERVICES]
    return out


def test_every_figure_the_json_writes_is_in_the_catalogue_and_every_entry_is_written(tree):
    DossierFactory(unit=tree["P-D-1"], received_at=dt.datetime(2023, 3, 6, 9, tzinfo=dt.UTC))
    stats = period_statistics(tree["P"], dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    written = _leaves(stats)
    assert set(stats) == {"unit", "period", "dossiers", *BLOCK_CATALOGUES}
    for block, keys in written.items():
        catalogue = BLOCK_CATALOGUES[block]
        assert keys == set(catalogue.keys_in(block)), block
    declared_in_a_block = {
        (block, f.contract_key) for block, c in BLOCK_CATALOGUES.items() for f in c.in_block(block)
    }
    assert declared_in_a_block == {(b, k) for b, keys in written.items() for k in keys}


def test_a_figure_outside_the_contract_is_read_by_a_page_or_a_document():
    extra = {f.key for c in (DOSSIER_FIGURES, ONLINE_SERVICE_FIGURES) for f in c if not f.blocks}
    assert extra == {"input_partial", "procedures_online_rate"}
    columns = {c.key for c in (*DOSSIER_COLUMNS, *DIGITIZATION_COLUMNS, *ONLINE_COLUMNS)}
    assert "procedures_online_rate" in columns
    assert "input_partial" in COUNT_LABELS


def test_the_grouped_query_counts_the_counted_figures_in_declaration_order():
    assert DOSSIER_FIGURES.counted == KEYS
    assert set(count_conditions(dt.date(2023, 1, 1), dt.date(2023, 1, 31))) == set(KEYS)
    assert "pending" not in KEYS and "on_time_rate" not in KEYS


def test_derived_figures_follow_their_declaration():
    counts = dict.fromkeys(KEYS, 0) | {
        "early": 3,
        "on_time": 1,
        "late": 4,
        "resolved": 8,
        "pending_not_due": 2,
        "pending_overdue": 5,
        "received_in_period": 10,
        "input_any": 6,
        "input_full": 2,
        "with_fee": 4,
        "paid_online": 1,
    }
    done = DOSSIER_FIGURES.complete(counts)
    assert done["resolved_in_time"] == 4
    assert done["pending"] == 7
    assert done["on_time_rate"] == 50.0
    assert done["input_none"] == 4
    assert done["input_partial"] == 4
    assert done["result_not_digitized"] == 8
    assert done["paid_online_rate"] == 25.0
    assert write_block(FEES, counts) == {
        "paid_online": 1,
        "resolved_with_fee": 4,
        "paid_online_rate": 25.0,
    }


def test_a_figure_given_is_kept_even_when_it_does_not_add_up():
    assert DOSSIER_FIGURES.complete({"early": 1, "on_time": 1, "pending": 9})["pending"] == 9


def test_validation_reads_its_identities_off_the_catalogue():
    assert ("pending", ("pending_not_due", "pending_overdue")) in COUNT_IDENTITIES
    assert ("received_total", ("carried_over", "received_in_period")) in COUNT_IDENTITIES
    assert COUNT_PARTS["resolved"] == ("early", "on_time", "late")
    # received_total is a count of its own: never filled in from what it equals.
    assert "received_total" not in COUNT_PARTS


def test_a_new_sum_in_the_catalogue_is_checked_by_validation(monkeypatch):
    """Adding a figure is one entry: the validation rule comes with it."""
    from cchc.stats import validation

    catalogue = Catalogue(
        *DOSSIER_FIGURES,
        Figure("ended", "ended", Kind.SUM, ("resolved", "rejected"), blocks=(DOSSIERS,)),
    )
    monkeypatch.setitem(validation.BLOCK_CATALOGUES, DOSSIERS, catalogue)
    rules = validation.BlockRules(DOSSIERS)
    problems = list(validation.check_block("x", {"resolved": 3, "rejected": 1, "ended": 5}, rules))
    assert problems == ["x: ended 5 != resolved 3 + rejected 1; 1 unaccounted"]


def test_the_drill_down_lists_every_figure_that_is_dossiers_by_the_catalogues_conditions():
    assert set(COUNT_LABELS) == {f.key for f in drillable()}
    assert not any(f.is_rate for f in drillable())
    conditions = count_conditions(dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    assert condition_of("pending", conditions) == (
        conditions["pending_not_due"] | conditions["pending_overdue"]
    )
    assert condition_of("input_none", conditions) == (
        conditions["received_in_period"] & ~conditions["input_any"]
    )
    with pytest.raises(ValueError):
        condition_of("on_time_rate", conditions)
    assert isinstance(condition_of("resolved", conditions), Q)


def test_table_columns_compute_what_the_catalogue_says():
    by_key = {c.key: c for c in DOSSIER_COLUMNS}
    assert by_key["received_total"].total_of == ("online", "direct_postal", "carried_over")
    assert by_key["pending"].total_of == ("pending_not_due", "pending_overdue")
    assert by_key["on_time_rate"].rate_of == (("early", "on_time"), "resolved")
    digit = {c.key: c for c in DIGITIZATION_COLUMNS}
    assert digit["input_none"].difference_of == ("received_in_period", "input_any")
    assert not digit["received_in_period"].is_derived  # its parts are not columns there


def test_a_catalogue_that_reads_an_undeclared_or_later_figure_is_refused():
    with pytest.raises(ValueError, match="not declared"):
        Catalogue(Figure("a", "a", Kind.SUM, ("b",)))
    with pytest.raises(ValueError, match="declared before"):
        Catalogue(
            Figure("r", "r", Kind.RATE, ("s", "x")),
            Figure("s", "s", Kind.SUM, ("x",)),
            Figure("x", "x"),
        )


def test_statistics_written_from_the_catalogue_pass_validation(tree):
    for day in (6, 7, 8):
        DossierFactory(unit=tree["P-D-2"], received_at=dt.datetime(2023, 3, day, 9, tzinfo=dt.UTC))
    stats = period_statistics(tree["P"], dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert stats["dossiers"]["all"]["received_in_period"] == 3
    assert validate(stats) == []


def test_the_pages_dossier_columns_are_figures_of_the_catalogue():
    from cchc.web.statistics import DOSSIER_COLUMNS as PAGE_COLUMNS
    from cchc.web.statistics import header_rows

    for column in PAGE_COLUMNS:
        figure = DOSSIER_FIGURES[column.key]
        if figure.is_rate:
            assert tuple(t.key for t in column.fraction) == figure.terms
        else:
            assert column.key in COUNT_LABELS  # each count links to its dossiers
    top, below = header_rows(PAGE_COLUMNS)
    assert sum(h["span"] or 1 for h in top) == len(PAGE_COLUMNS)
    assert [c.key for c in below][:3] == ["received_in_period", "online", "direct_postal"]
