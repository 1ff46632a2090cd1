"""POST /api/dossiers/import/: nothing of another unit in an answer, fields from the catalogue,
size limits, capped errors, large imports queued with a progress resource (issue 8, 1 and 7)."""

import json

import pytest
from django.core.files.storage import default_storage

from cchc.catalog.models import Field
from cchc.dossiers.models import Dossier, ImportJob
from cchc.dossiers.tasks import run_import_job
from tests.api.test_import_export import HEADER, upload
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return ProcedureFactory(code="1.001193", field=FieldFactory(name="Hộ tịch"))


def line(code: str, unit: str = "P-D-1", field: str = "Hộ tịch", channel: str = "direct") -> str:
    return f"{code},{unit},1.001193,{field},{channel},2023-03-01,,processing,\n"


def test_a_code_of_another_units_dossier_is_free_and_nothing_of_that_dossier_is_told(
    people, client_for, catalogue, tree
):
    other = DossierFactory(code="KB-000070", unit=tree["Q-1"], procedure=catalogue)
    response = upload(client_for(people["commune1"]), HEADER + line("KB-000070"))
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 1
    assert "Q-1" not in response.content.decode()
    assert Dossier.objects.filter(code="KB-000070").count() == 2
    other.refresh_from_db()
    assert other.unit == tree["Q-1"]


def test_a_stored_dossier_of_the_callers_unit_is_compared_within_the_unit(
    people, client_for, catalogue, tree
):
    DossierFactory(code="KB-1", unit=tree["Q-1"], procedure=catalogue)
    client = client_for(people["commune1"])
    assert upload(client, HEADER + line("KB-1")).status_code == 200
    body = upload(client, HEADER + line("KB-1", channel="online")).json()
    [error] = body["errors"]
    assert error["column"] == "code"
    assert "Q-1" not in json.dumps(body)


def test_an_unknown_field_is_a_row_error_and_no_field_is_created(people, client_for, catalogue):
    response = upload(client_for(people["commune1"]), HEADER + line("X-1", field="<img src=x>"))
    assert response.status_code == 422
    assert [(e["line"], e["column"]) for e in response.json()["errors"]] == [(2, "field")]
    assert not Field.objects.filter(name="<img src=x>").exists()
    assert not Dossier.objects.exists()


def test_an_upload_above_the_limit_answers_413_and_stores_nothing(
    people, client_for, catalogue, settings
):
    settings.CCHC_IMPORT_MAX_BYTES = 200
    text = HEADER + "".join(line(f"X-{n}") for n in range(5))
    response = upload(client_for(people["commune1"]), text)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "file_too_large"
    assert "Tệp quá lớn" in body["detail"]
    assert not Dossier.objects.exists()


def test_the_answer_lists_the_first_errors_and_counts_them_all(
    people, client_for, catalogue, settings
):
    settings.CCHC_IMPORT_MAX_ERRORS = 2
    text = HEADER + line("OK") + "".join(line(f"X-{n}", channel="fax") for n in range(5))
    response = upload(client_for(people["commune1"]), text)
    assert response.status_code == 422
    body = response.json()
    assert [e["line"] for e in body["errors"]] == [3, 4]
    assert (body["errors_total"], body["errors_truncated"], body["rejected"]) == (5, True, 5)
    assert body["imported"] == 1


def test_async_import_answers_202_with_a_job_that_the_worker_runs(people, client_for, catalogue):
    client = client_for(people["commune1"])
    text = HEADER + line("X-1") + line("X-2", unit="Q-1")
    response = client.post(
        "/api/dossiers/import/?async=1",
        {"file": _file(text)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert response["Location"].endswith(f"/api/dossiers/import/jobs/{job.pk}/")
    assert response.json()["status"] == "queued"
    assert not Dossier.objects.exists()
    stored = job.file.name
    assert default_storage.exists(stored)

    assert run_import_job.call(job.pk) == "done"
    body = client.get(response["Location"]).json()
    assert (body["status"], body["imported"], body["rejected_lines"]) == ("done", 1, 1)
    assert body["errors"][0]["reason"] == "đơn vị 'Q-1' không có hoặc nằm ngoài phạm vi của bạn"
    assert (body["line"], body["last_line"]) == (3, 3)
    assert list(Dossier.objects.values_list("code", flat=True)) == ["X-1"]
    assert not default_storage.exists(stored)
    # Run twice (a retried task), it does nothing more.
    assert run_import_job.call(job.pk) == "done"
    assert Dossier.objects.count() == 1


def test_a_large_upload_is_queued_without_being_asked(people, client_for, catalogue, settings):
    settings.CCHC_IMPORT_ASYNC_BYTES = 10
    response = upload(client_for(people["commune1"]), HEADER + line("X-1"))
    assert response.status_code == 202
    assert ImportJob.objects.get().status == "queued"


def test_an_unreadable_queued_file_fails_the_job_with_the_reason(people, client_for, catalogue):
    client = client_for(people["commune1"])
    response = client.post(
        "/api/dossiers/import/?async=1", {"file": _file(b"\xff\xfe\x00c")}, format="multipart"
    )
    job_id = ImportJob.objects.get().pk
    assert run_import_job.call(job_id) == "failed"
    body = client.get(response["Location"]).json()
    assert body["status"] == "failed"
    assert "UTF-16" in body["detail"]


def test_a_job_is_seen_by_its_author_and_the_units_above_only(people, client_for, catalogue):
    response = client_for(people["commune1"]).post(
        "/api/dossiers/import/?async=1", {"file": _file(HEADER + line("X-1"))}, format="multipart"
    )
    location = response["Location"]
    assert client_for(people["district"]).get(location).status_code == 200
    assert client_for(people["commune2"]).get(location).status_code == 404
    assert client_for(people["specialist"]).get(location).status_code == 403
    missing = location.replace(f"/{ImportJob.objects.get().pk}/", "/999999/")
    assert client_for(people["commune1"]).get(missing).status_code == 404


def test_the_export_says_its_charset(people, client_for, catalogue):
    response = client_for(people["commune1"]).get("/api/dossiers/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def _file(text: str | bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile("dossiers.csv", data, content_type="text/csv")
