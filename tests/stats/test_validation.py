"""validate_stats: every rule of exchange-format.md §3, each broken once, and the CLI."""

import io
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cchc.stats.validation import validate

from .test_fixtures import CASES, load_folder


def counts(
    carried_over, online, direct_postal, online_eligible, early, on_time, late, rejected,
    withdrawn, pending_not_due, pending_overdue, paused,
) -> dict:  # fmt: skip
    received_in_period = online + direct_postal
    resolved = early + on_time + late
    pending = pending_not_due + pending_overdue
    out = {
        "received_total": carried_over + received_in_period,
        "carried_over": carried_over,
        "received_in_period": received_in_period,
        "online": online,
        "direct_postal": direct_postal,
        "online_eligible": online_eligible,
        "resolved": resolved,
        "early": early,
        "on_time": on_time,
        "late": late,
        "resolved_in_time": early + on_time,
        "rejected": rejected,
        "withdrawn": withdrawn,
        "pending": pending,
        "pending_not_due": pending_not_due,
        "pending_overdue": pending_overdue,
        "paused": paused,
    }
    assert out["received_total"] == resolved + rejected + withdrawn + pending + paused
    out["on_time_rate"] = round(100 * (early + on_time) / resolved, 2)
    out["online_rate"] = round(100 * online / online_eligible, 2)
    return out


DISTRICT = counts(4, 10, 20, 20, 20, 4, 1, 1, 1, 4, 1, 2)  # received_total 34
COMMUNE = counts(6, 20, 40, 30, 30, 11, 4, 2, 1, 11, 4, 3)  # received_total 66
ALL = {k: DISTRICT[k] + COMMUNE[k] for k in DISTRICT if not k.endswith("rate")}
ALL["on_time_rate"] = round(100 * ALL["resolved_in_time"] / ALL["resolved"], 2)
ALL["online_rate"] = round(100 * ALL["online"] / ALL["online_eligible"], 2)


def good_doc() -> dict:
    """A consistent statistics document: all, by_level, by_field, digitization, online."""
    # Through JSON, so that no two places share one dict.
    return json.loads(
        json.dumps(
            {
                "unit": "P-D",
                "period": {"start": "2023-03-01", "end": "2023-03-31"},
                "dossiers": {
                    "all": ALL,
                    "by_level": {"district": DISTRICT, "commune": COMMUNE},
                    "by_field": {"Hộ tịch": COMMUNE, "Đất đai": DISTRICT},
                },
                "digitization": {
                    "received_in_period": 90,
                    "input_any": 60,
                    "input_full": 45,
                    "input_none": 30,
                    "input_full_rate": 50.0,
                    "resolved": 70,
                    "result_digitized": 63,
                    "result_not_digitized": 7,
                    "result_rate": 90.0,
                },
                "fees": {"resolved_with_fee": 20, "paid_online": 5, "paid_online_rate": 25.0},
                "online_services": {
                    "partial": {
                        "procedures": 10,
                        "procedures_with_dossiers": 4,
                        "procedures_with_online_dossiers": 2,
                        "dossiers": 12,
                        "online_dossiers": 6,
                        "online_rate": 50.0,
                    },
                    "full": {
                        "procedures": 40,
                        "procedures_with_dossiers": 8,
                        "procedures_with_online_dossiers": 5,
                        "dossiers": 30,
                        "online_dossiers": 24,
                        "online_rate": 80.0,
                    },
                    "by_level": {
                        "district": {
                            "partial": {"dossiers": 2, "online_dossiers": 1, "online_rate": 50.0},
                            "full": {"dossiers": 10, "online_dossiers": 9, "online_rate": 90.0},
                        },
                        "commune": {
                            "partial": {"dossiers": 10, "online_dossiers": 5, "online_rate": 50.0},
                            "full": {"dossiers": 20, "online_dossiers": 15, "online_rate": 75.0},
                        },
                    },
                },
            }
        )
    )


def with_changes(doc: dict, changes: dict) -> dict:
    """`doc` with each "a.b.c" path set to its value (a dotted path names nested keys)."""
    for path, value in changes.items():
        *parents, key = path.split(".")
        target = doc
        for name in parents:
            target = target[name]
        if value is DROP:
            del target[key]
        else:
            target[key] = value
    return doc


DROP = object()


def test_a_consistent_document_has_no_problem():
    assert validate(good_doc()) == []


def test_an_empty_document_has_no_problem():
    assert validate({}) == []


ALL_ONLY = {"dossiers.by_level": DROP, "dossiers.by_field": DROP}

# (rule, changes to the good document, the one line expected)
BROKEN_ONCE = [
    (
        "received_total = carried_over + received_in_period",
        {**ALL_ONLY, "dossiers.all.carried_over": 12},
        "dossiers.all: received_total 100 != carried_over 12 + received_in_period 90;"
        " 2 counted twice or too many",
    ),
    (
        "received_in_period = online + direct_postal",
        {**ALL_ONLY, "dossiers.all.direct_postal": 58},
        "dossiers.all: received_in_period 90 != online 30 + direct_postal 58; 2 unaccounted",
    ),
    (
        "resolved = early + on_time + late",
        {**ALL_ONLY, "dossiers.all.late": 7},
        "dossiers.all: resolved 70 != early 50 + on_time 15 + late 7; 2 counted twice or too many",
    ),
    (
        "resolved_in_time = early + on_time",
        {**ALL_ONLY, "dossiers.all.resolved_in_time": 64, "dossiers.all.on_time_rate": 91.43},
        "dossiers.all: resolved_in_time 64 != early 50 + on_time 15; 1 counted twice or too many",
    ),
    (
        "received_total = resolved + rejected + withdrawn + pending + paused",
        {**ALL_ONLY, "dossiers.all.paused": 6},
        "dossiers.all: received_total 100 != resolved 70 + rejected 3 + withdrawn 2 + pending 20"
        " + paused 6; 1 counted twice or too many",
    ),
    (
        "pending = pending_not_due + pending_overdue",
        {**ALL_ONLY, "dossiers.all.pending_overdue": 4},
        "dossiers.all: pending 20 != pending_not_due 15 + pending_overdue 4; 1 unaccounted",
    ),
    (
        "on_time_rate = (early + on_time) / resolved",
        {**ALL_ONLY, "dossiers.all.on_time_rate": 93.86},
        "dossiers.all: on_time_rate 93.86 != resolved_in_time 65 / resolved 70 = 92.86%",
    ),
    (
        "online_rate = online / online_eligible",
        {**ALL_ONLY, "dossiers.all.online_rate": 61},
        "dossiers.all: online_rate 61 != online 30 / online_eligible 50 = 60.00%",
    ),
    (
        "a rate is null only when its denominator is 0",
        {**ALL_ONLY, "dossiers.all.online_rate": None},
        "dossiers.all: online_rate is null but online 30 / online_eligible 50 = 60.00%",
    ),
    (
        "a rate with a denominator 0 is null",
        {
            **ALL_ONLY,
            "dossiers.all.online": 0,
            "dossiers.all.online_eligible": 0,
            "dossiers.all.direct_postal": 90,
        },
        "dossiers.all: online_rate 60 but online_eligible 0 (rate undefined)",
    ),
    (
        "online <= online_eligible",
        {**ALL_ONLY, "dossiers.all.online_eligible": 25, "dossiers.all.online_rate": 120},
        "dossiers.all: online 30 > online_eligible 25",
    ),
    (
        "online_eligible <= received_in_period",
        {**ALL_ONLY, "dossiers.all.online_eligible": 95, "dossiers.all.online_rate": 31.58},
        "dossiers.all: online_eligible 95 > received_in_period 90",
    ),
    (
        "a count is a whole number >= 0",
        {**ALL_ONLY, "dossiers.all.withdrawn": -1, "dossiers.all.rejected": 6},
        "dossiers.all: withdrawn -1 is not a count (a whole number >= 0)",
    ),
    (
        "a rate is a number",
        {**ALL_ONLY, "dossiers.all.on_time_rate": "cao"},
        "dossiers.all: on_time_rate 'cao' is not a number",
    ),
    (
        "the same identities hold in every by_level entry",
        {"dossiers.by_level.commune.pending_overdue": 5},
        "dossiers.by_level.commune: pending 15 != pending_not_due 11 + pending_overdue 5;"
        " 1 counted twice or too many",
    ),
    (
        "by_level sums equal all",
        {"dossiers.all.rejected": 4, "dossiers.all.paused": 4},
        "dossiers.by_level: sum of rejected 3 != dossiers.all.rejected 4",
    ),
    (
        "by_field sums equal all",
        {
            "dossiers.by_level": DROP,
            "dossiers.by_field.Hộ tịch.rejected": 3,
            "dossiers.by_field.Hộ tịch.paused": 2,
        },
        "dossiers.by_field: sum of rejected 4 != dossiers.all.rejected 3",
    ),
    (
        "by_unit sums equal all, a unit leaving a count out gives 0",
        {
            "dossiers.by_level": DROP,
            "dossiers.by_field": DROP,
            "dossiers.by_unit": {"P-D": {"received_total": 34}, "P-D-1": {"resolved": 45}},
        },
        "dossiers.by_unit: sum of received_total 34 (+0 for P-D-1) != dossiers.all.received_total 100",
    ),
    (
        "digitization: input_any + input_none = received_in_period",
        {"digitization.input_none": 31},
        "digitization: received_in_period 90 != input_any 60 + input_none 31;"
        " 1 counted twice or too many",
    ),
    (
        "digitization: input_full <= input_any",
        {"digitization.input_full": 61, "digitization.input_full_rate": 67.78},
        "digitization: input_full 61 > input_any 60",
    ),
    (
        "digitization: result_digitized + result_not_digitized = resolved",
        {"digitization.result_not_digitized": 6},
        "digitization: resolved 70 != result_digitized 63 + result_not_digitized 6; 1 unaccounted",
    ),
    (
        "digitization: input_full_rate",
        {"digitization.input_full_rate": 50.1},
        "digitization: input_full_rate 50.1 != input_full 45 / received_in_period 90 = 50.00%",
    ),
    (
        "digitization: result_rate",
        {"digitization.result_rate": 89},
        "digitization: result_rate 89 != result_digitized 63 / resolved 70 = 90.00%",
    ),
    (
        "dossiers.all.resolved = digitization.resolved",
        {
            "digitization.resolved": 71,
            "digitization.result_not_digitized": 8,
            "digitization.result_rate": 88.73,
        },
        "dossiers.all.resolved 70 != digitization.resolved 71",
    ),
    (
        "dossiers.all.received_in_period = digitization.received_in_period",
        {
            "digitization.received_in_period": 91,
            "digitization.input_none": 31,
            "digitization.input_full_rate": 49.45,
        },
        "dossiers.all.received_in_period 90 != digitization.received_in_period 91",
    ),
    (
        "online_services: procedures_with_online_dossiers <= procedures_with_dossiers",
        {"online_services.full.procedures_with_online_dossiers": 9},
        "online_services.full: procedures_with_online_dossiers 9 > procedures_with_dossiers 8",
    ),
    (
        "online_services: procedures_with_dossiers <= procedures",
        {"online_services.partial.procedures_with_dossiers": 11},
        "online_services.partial: procedures_with_dossiers 11 > procedures 10",
    ),
    (
        "online_services: online_dossiers <= dossiers",
        {
            "online_services.by_level.commune.full.online_dossiers": 21,
            "online_services.by_level.commune.full.online_rate": 105,
            "online_services.by_level.commune.full.dossiers": 20,
        },
        "online_services.by_level.commune.full: online_dossiers 21 > dossiers 20",
    ),
    (
        "online_services: online_rate",
        {"online_services.partial.online_rate": 5},
        "online_services.partial: online_rate 5 != online_dossiers 6 / dossiers 12 = 50.00%",
    ),
    (
        "online_services: the levels add up",
        {
            "online_services.by_level.commune.partial.dossiers": 8,
            "online_services.by_level.commune.partial.online_dossiers": 4,
        },
        "online_services.by_level.*.partial: sum of dossiers 10 != online_services.partial.dossiers 12",
    ),
    (
        "online_services: dossiers of online procedures are online-eligible ones",
        {"online_services.full.dossiers": 40, "online_services.full.online_rate": 60},
        "online_services: partial + full dossiers 52 > dossiers.all.online_eligible 50",
    ),
    (
        "fees: paid_online <= resolved_with_fee",
        {"fees.paid_online": 21, "fees.paid_online_rate": 105},
        "fees: paid_online 21 > resolved_with_fee 20",
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [pytest.param(c, e, id=rule) for rule, c, e in BROKEN_ONCE],
)
def test_each_rule_broken_once_is_reported_once(changes, expected):
    problems = validate(with_changes(good_doc(), changes))
    mine = [p for p in problems if p == expected]
    assert mine == [expected], problems


def test_breaking_the_by_level_sum_names_every_count_that_differs():
    doc = with_changes(good_doc(), {"dossiers.all.rejected": 4, "dossiers.all.paused": 4})
    assert validate(doc) == [
        "dossiers.by_level: sum of rejected 3 != dossiers.all.rejected 4",
        "dossiers.by_level: sum of paused 5 != dossiers.all.paused 4",
        "dossiers.by_field: sum of rejected 3 != dossiers.all.rejected 4",
        "dossiers.by_field: sum of paused 5 != dossiers.all.paused 4",
    ]


# ------------------------------------------------------------ the missing-term rule


def test_a_missing_term_is_taken_as_0_the_contract_example():
    doc = {
        "dossiers": {
            "by_level": {"commune": {"received_total": 1886, "resolved": 1722, "pending": 154}}
        }
    }
    assert validate(doc) == [
        "dossiers.by_level.commune: received_total 1886 != resolved 1722 + pending 154"
        " (+0 rejected, +0 withdrawn, +0 paused); 10 unaccounted"
    ]


def test_a_paper_report_without_rejected_dossiers_claims_there_were_none():
    doc = {"dossiers": {"all": {"received_total": 100, "resolved": 80, "pending": 20}}}
    assert validate(doc) == []


def test_an_identity_with_only_its_total_is_not_checked():
    assert validate({"dossiers": {"all": {"received_total": 100, "online_eligible": 3}}}) == []


def test_an_identity_without_its_total_is_not_checked():
    assert validate({"dossiers": {"all": {"resolved": 80, "pending": 7, "paused": 1}}}) == []


def test_a_missing_count_whose_parts_are_all_given_is_their_sum():
    doc = {
        "dossiers": {
            "all": {
                "received_total": 100,
                "early": 70,
                "on_time": 5,
                "late": 5,
                "pending_not_due": 15,
                "pending_overdue": 4,
            }
        }
    }
    assert validate(doc) == [
        "dossiers.all: received_total 100 != resolved 80 [= early + on_time + late]"
        " + pending 19 [= pending_not_due + pending_overdue]"
        " (+0 rejected, +0 withdrawn, +0 paused); 1 unaccounted"
    ]


def test_a_part_leaving_a_count_out_counts_0_in_the_sum():
    doc = {
        "dossiers": {
            "all": {"resolved": 10},
            "by_level": {"district": {"resolved": 10}, "commune": {"received_total": 3}},
        }
    }
    assert validate(doc) == []


def test_parts_that_all_leave_a_count_out_are_not_summed():
    doc = {"dossiers": {"all": {"resolved": 10}, "by_field": {"A": {"late": 1}}}}
    assert validate(doc) == []


# ------------------------------------------------------------ precision of rates


def rate_doc(printed, numerator: int, denominator: int) -> dict:
    return {
        "dossiers": {
            "all": {
                "online": numerator,
                "online_eligible": denominator,
                "online_rate": printed,
            }
        }
    }


@pytest.mark.parametrize(
    ("printed", "numerator", "denominator", "ok"),
    [
        (Decimal("98.23"), 98225, 100000, True),
        (Decimal("98.23"), 98235, 100000, True),
        (Decimal("98.23"), 98230, 100000, True),
        (Decimal("98.23"), 98224, 100000, False),
        (Decimal("98.23"), 98236, 100000, False),
        (82, 815, 1000, True),
        (82, 825, 1000, True),
        (82, 814, 1000, False),
        (82, 826, 1000, False),
        (Decimal("82.0"), 815, 1000, False),  # one decimal printed: 81.95-82.05
        (Decimal("82.0"), 8196, 10000, True),
        (Decimal("84.2"), 8417, 10000, True),
        (98.23, 98225, 100000, True),  # a float is read by its shortest text
        ("98,23", 98225, 100000, True),  # a decimal comma, as typed in Vietnam
        ("82%", 815, 1000, True),
        (Decimal("0.08"), 2, 2467, True),
        (82, 2, 2467, False),
        (None, 0, 0, True),
        (Decimal("0"), 0, 0, True),
        (100, 0, 0, False),
        (None, 1, 3, False),
    ],
)
def test_a_rate_is_compared_at_the_precision_it_was_printed_with(
    printed, numerator, denominator, ok
):
    assert (validate(rate_doc(printed, numerator, denominator)) == []) is ok


def test_a_rate_without_its_figures_must_still_be_a_percentage():
    assert validate({"dossiers": {"all": {"on_time_rate": 100}}}) == []
    assert validate({"dossiers": {"all": {"on_time_rate": 182}}}) == [
        "dossiers.all: on_time_rate 182 is not a percentage between 0 and 100"
    ]


def test_on_time_rate_reads_early_and_on_time_when_resolved_in_time_is_missing():
    doc = {"dossiers": {"all": {"resolved": 10, "early": 5, "on_time": 2, "on_time_rate": 100}}}
    assert validate(doc) == [
        "dossiers.all: resolved 10 != early 5 + on_time 2 (+0 late); 3 unaccounted",
        "dossiers.all: on_time_rate 100 != resolved_in_time 7 [= early + on_time]"
        " / resolved 10 = 70.00%",
    ]


def test_numbers_are_read_as_decimals_not_floats():
    # 0.1 + 0.2 as floats is not 0.3: the identity must still hold.
    doc = {"digitization": {"received_in_period": 3, "input_any": 1, "input_none": 2}}
    assert validate(doc) == []
    doc = {"dossiers": {"all": {"online": 1, "online_eligible": 3, "online_rate": 33.33}}}
    assert validate(doc) == []


# ------------------------------------------------------------ the command


def run_validate(path) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("validate_stats", str(path), stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


KBANG_CONTRADICTIONS = [
    "dossiers.by_level.commune: on_time_rate 100 != resolved_in_time 2245 / resolved 2445 = 91.82%",
    "dossiers.by_level.commune: online_rate 82 != online 2 / online_eligible 2467 = 0.08%",
]


def test_validate_stats_finds_the_two_contradictions_printed_in_kbang(fixtures_dir):
    code, lines = run_validate(fixtures_dir / "kbang-2023q1" / "reported.json")
    assert (code, lines) == (1, KBANG_CONTRADICTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "unit", "start", "end"), CASES)
def test_validate_stats_accepts_report_stats_output(
    fixtures_dir, tmp_path, folder, unit, start, end
):
    load_folder(fixtures_dir / folder)
    out = io.StringIO()
    call_command("report_stats", unit=unit, start=start, end=end, stdout=out)
    path = tmp_path / "stats.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert run_validate(path) == (0, [])


def test_validate_stats_console_exit_status(fixtures_dir, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(good_doc(), ensure_ascii=False), encoding="utf-8")
    for path, status, lines in (
        (fixtures_dir / "kbang-2023q1" / "reported.json", 1, KBANG_CONTRADICTIONS),
        (good, 0, []),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "cchc", "validate_stats", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (run.returncode, run.stdout.splitlines()) == (status, lines), run.stderr


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_validate_stats_refuses_what_is_not_a_json_object(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        call_command("validate_stats", str(path), stdout=io.StringIO())
    assert exc.value.returncode == 2


def test_validate_stats_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("validate_stats", str(tmp_path / "none.json"), stdout=io.StringIO())
    assert exc.value.returncode == 2
