"""Each province publishes its own catalogue: the same procedure code may mean different
procedures in two provinces, and each unit's dossiers and figures use its own province's."""

import io
import json
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command

from cchc.catalog.models import Procedure
from cchc.org.models import Unit
from tests.conftest import SHARED

sys.path.insert(0, str(SHARED / "tools"))
from compare_stats import compare

FOLDERS = [
    ("kim-thach-2023h1", "QT", "QT-VL-KT", "2022-12-15", "2023-06-12"),
    ("kbang-2023q1", "GL", "GL-KB", "2022-12-15", "2023-03-10"),
]


def load(folder, province: str) -> None:
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_units", str(folder / "units.csv"), **quiet)
    call_command("import_procedures", str(folder / "procedures.csv"), unit=province, **quiet)
    call_command("import_dossiers", str(folder / "dossiers.csv"), **quiet)


@pytest.mark.django_db
def test_both_fixtures_in_one_database_keep_their_published_figures(fixtures_dir):
    for folder, province, *_ in FOLDERS:
        load(fixtures_dir / folder, province)
    shared_codes = set(
        Procedure.objects.filter(owner__code="QT").values_list("code", flat=True)
    ) & set(Procedure.objects.filter(owner__code="GL").values_list("code", flat=True))
    assert shared_codes, "the two fixture catalogues are expected to share codes"
    for folder, _province, unit, start, end in FOLDERS:
        out = io.StringIO()
        call_command("report_stats", unit=unit, start=start, end=end, stdout=out)
        actual = json.loads(out.getvalue(), parse_float=Decimal)
        expected = json.loads(
            (fixtures_dir / folder / "expected.json").read_text(), parse_float=Decimal
        )
        assert compare(expected, actual) == [], folder


@pytest.mark.django_db
def test_a_dossier_takes_the_procedure_of_its_own_province(fixtures_dir):
    for folder, province, *_ in FOLDERS:
        load(fixtures_dir / folder, province)
    code = "X-F01"
    kim_thach = Unit.objects.get(code="QT-VL-KT")
    krong = Unit.objects.get(code="GL-KB-04")
    assert Procedure.objects.for_unit(kim_thach, code).owner.code == "QT"
    assert Procedure.objects.for_unit(krong, code).owner.code == "GL"
    from cchc.dossiers.models import Dossier

    assert not Dossier.objects.filter(unit__path__startswith="/QT/", procedure__owner__code="GL")
    assert not Dossier.objects.filter(unit__path__startswith="/GL/", procedure__owner__code="QT")


@pytest.mark.django_db
def test_a_code_is_unique_within_one_catalogue(tree):
    from django.db import IntegrityError, transaction

    from tests.factories import FieldFactory

    field = FieldFactory()
    Procedure.objects.create(code="A", name="a", field=field, level="commune", owner=tree["P"])
    Procedure.objects.create(code="A", name="a", field=field, level="commune", owner=tree["Q"])
    Procedure.objects.create(code="A", name="a", field=field, level="commune")
    with pytest.raises(IntegrityError), transaction.atomic():
        Procedure.objects.create(code="A", name="b", field=field, level="commune", owner=tree["P"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Procedure.objects.create(code="A", name="b", field=field, level="commune")


@pytest.mark.django_db
def test_unknown_catalogue_unit_is_refused(fixtures_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command(
            "import_procedures", str(fixtures_dir / "kbang-2023q1" / "procedures.csv"), unit="NOPE"
        )
    assert error.value.returncode == 2
