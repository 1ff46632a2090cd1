"""report_stats: the statistics JSON on standard output, and its refusals (exit status 2)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cchc.stats.selectors import COUNT_KEYS


def test_report_stats_prints_the_contract_keys(tree):
    out = io.StringIO()
    call_command("report_stats", unit="P-D", start="2023-03-01", end="2023-03-31", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["unit"] == "P-D"
    assert stats["period"] == {"start": "2023-03-01", "end": "2023-03-31"}
    assert set(stats["dossiers"]) == {"all", "by_level", "by_unit", "by_field"}
    assert set(COUNT_KEYS) | {"on_time_rate", "online_rate"} <= set(stats["dossiers"]["all"])
    assert list(stats["dossiers"]["by_unit"]) == ["P-D", "P-D-1", "P-D-2"]
    assert set(stats["digitization"]) >= {
        "received_in_period",
        "input_any",
        "input_full",
        "input_none",
        "input_full_rate",
        "resolved",
        "result_digitized",
        "result_not_digitized",
        "result_rate",
    }
    online = stats["online_services"]
    for block in (online["partial"], online["full"], online["by_level"]["commune"]["full"]):
        assert set(block) == {
            "procedures",
            "procedures_with_dossiers",
            "procedures_with_online_dossiers",
            "dossiers",
            "online_dossiers",
            "online_rate",
        }


@pytest.mark.parametrize(
    ("unit", "start", "end"),
    [
        ("NOPE", "2023-03-01", "2023-03-31"),
        ("P-D", "2023-03-32", "2023-03-31"),
        ("P-D", "01/03/2023", "2023-03-31"),
        ("P-D", "2023-03-31", "2023-03-01"),
    ],
)
def test_report_stats_refuses_an_unknown_unit_or_a_bad_period(tree, unit, start, end):
    with pytest.raises(CommandError) as exc:
        call_command("report_stats", unit=unit, start=start, end=end, stdout=io.StringIO())
    assert exc.value.returncode == 2
