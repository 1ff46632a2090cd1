"""The dossiers own their change journal (cchc.dossiers.journal) and tell the statistics when
an import stored dossiers; the statistics only read it and never are imported by dossiers."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from cchc.dossiers import journal
from tests.factories import FieldFactory, ProcedureFactory, UserFactory

WARM = "cchc.stats.tasks.warm_stored_counts"
CSV = (
    "code,unit_code,procedure_code,field,channel,received_at,due_at,status,resolved_at\n"
    "X-1,P-D-1,1.001193,Hộ tịch,direct,2023-03-01,2023-03-06,resolved,2023-03-03\n"
)
DOSSIERS_APP = Path(journal.__file__).parent


@pytest.fixture
def catalogue(tree):
    return ProcedureFactory(code="1.001193", field=FieldFactory(name="Hộ tịch"))


def import_from_the_command_line(tmp_path) -> None:
    path = tmp_path / "dossiers.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_dossiers", str(path), stdout=io.StringIO())


def import_through_the_api(tmp_path) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory(unit=None, is_superuser=True, is_staff=True))
    response = client.post(
        "/api/dossiers/import/",
        {"file": SimpleUploadedFile("dossiers.csv", CSV.encode(), content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("run_import", [import_from_the_command_line, import_through_the_api])
def test_an_import_schedules_the_refresh_of_stored_counts_once_committed(
    catalogue, tmp_path, django_capture_on_commit_callbacks, run_import
):
    with django_capture_on_commit_callbacks() as callbacks:
        run_import(tmp_path)
        # Nothing is queued before the import's transaction is committed.
        assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [WARM]


@pytest.mark.django_db
def test_an_import_that_stores_nothing_schedules_nothing(
    catalogue, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_from_the_command_line(tmp_path)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        import_from_the_command_line(tmp_path)  # the same file again: all unchanged
    assert not DBTaskResult.objects.exists()


def test_the_dossiers_app_imports_nothing_of_the_statistics():
    offenders = []
    for path in sorted(DOSSIERS_APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("cchc.stats")]
    assert offenders == []
