"""The published figures of both fixture folders come out of report_stats."""

import io
import json
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command

sys.path.insert(0, str(__import__("tests.conftest").conftest.SHARED / "tools"))
from compare_stats import compare

CASES = [
    ("kim-thach-2023h1", "QT-VL-KT", "2022-12-15", "2023-06-12"),
    ("kbang-2023q1", "GL-KB", "2022-12-15", "2023-03-10"),
]


def load_folder(folder) -> None:
    call_command("import_units", str(folder / "units.csv"), stdout=io.StringIO())
    call_command("import_procedures", str(folder / "procedures.csv"), stdout=io.StringIO())
    call_command(
        "import_dossiers", str(folder / "dossiers.csv"), stdout=io.StringIO(), stderr=io.StringIO()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "unit", "start", "end"), CASES)
def test_report_stats_equals_every_published_figure(fixtures_dir, folder, unit, start, end):
    load_folder(fixtures_dir / folder)
    out = io.StringIO()
    call_command("report_stats", unit=unit, start=start, end=end, stdout=out)
    actual = json.loads(out.getvalue(), parse_float=Decimal)
    expected = json.loads(
        (fixtures_dir / folder / "expected.json").read_text(), parse_float=Decimal
    )
    assert compare(expected, actual) == []
