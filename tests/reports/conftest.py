"""The fixture folders loaded through the import commands, and their period statistics."""

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc.org.models import Unit
from cchc.stats.periods import Period
from cchc.stats.selectors import period_statistics


@dataclass
class Loaded:
    folder: str
    unit: Unit
    period: Period
    stats: dict
    expected: dict


CASES = {
    "kim-thach-2023h1": (
        "QT-VL-KT",
        dt.date(2022, 12, 15),
        dt.date(2023, 6, 12),
        "6 tháng đầu năm 2023",
    ),
    "kbang-2023q1": ("GL-KB", dt.date(2022, 12, 15), dt.date(2023, 3, 10), "Quý I/2023"),
}


def load(fixtures_dir: Path, folder: str) -> Loaded:
    path = fixtures_dir / folder
    call_command("import_units", str(path / "units.csv"), stdout=io.StringIO())
    call_command("import_procedures", str(path / "procedures.csv"), stdout=io.StringIO())
    call_command(
        "import_dossiers", str(path / "dossiers.csv"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    code, start, end, label = CASES[folder]
    unit = Unit.objects.select_related("level", "parent").get(code=code)
    expected = json.loads((path / "expected.json").read_text(), parse_float=Decimal)
    return Loaded(
        folder, unit, Period(start, end, label), period_statistics(unit, start, end), expected
    )


@pytest.fixture
def kim_thach(db, fixtures_dir) -> Loaded:
    return load(fixtures_dir, "kim-thach-2023h1")


@pytest.fixture
def kbang(db, fixtures_dir) -> Loaded:
    return load(fixtures_dir, "kbang-2023q1")
