"""Dossier CSV imports for a person (the API): their scope, the size limits, and the large
imports queued for the task worker as an ImportJob whose progress can be read.

The limits are settings: CCHC_IMPORT_MAX_BYTES (a larger upload is refused),
CCHC_IMPORT_ASYNC_BYTES (a larger one is queued rather than imported during the request) and
CCHC_IMPORT_MAX_ERRORS (the row errors an answer lists; the others are counted).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files import File
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.csvfiles import CsvFileError, RowError
from cchc.org.models import Unit
from cchc.org.scopes import scope_queryset, visible_units

from .constants import ImportJobStatus
from .exchange import ImportReport, import_dossiers
from .models import ImportJob

DEFAULT_MAX_BYTES = 50 * 2**20
DEFAULT_ASYNC_BYTES = 5 * 2**20
DEFAULT_MAX_ERRORS = 1000


def max_bytes() -> int:
    return getattr(settings, "CCHC_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def async_bytes() -> int:
    return getattr(settings, "CCHC_IMPORT_ASYNC_BYTES", DEFAULT_ASYNC_BYTES)


def max_errors() -> int:
    return getattr(settings, "CCHC_IMPORT_MAX_ERRORS", DEFAULT_MAX_ERRORS)


def too_large_message() -> str:
    return _("Tệp quá lớn: chỉ nhận tệp đến %(max)s MB; hãy chia tệp thành nhiều phần.") % {
        "max": f"{max_bytes() / 2**20:g}"
    }


def import_scope(user) -> QuerySet[Unit] | None:
    """The units whose dossiers the person may import (None: every unit)."""
    return None if user.is_superuser else visible_units(user)


def error_data(error: RowError) -> dict:
    return {
        "line": error.line,
        "last_line": error.last_line,
        "column": error.column,
        "reason": error.reason,
    }


def import_now(user, upload: File) -> ImportReport:
    """Import an uploaded CSV during the request. Raises CsvFileError when unreadable."""
    report = import_dossiers(
        upload,
        actor=user,
        source=f"api:{upload.name}",
        scope=import_scope(user),
        max_errors=max_errors(),
    )
    return report


def queue_import(user, upload: File) -> ImportJob:
    """Keep the upload in the storage and queue its import for the task worker."""
    from .tasks import run_import_job  # the task module imports this one

    job = ImportJob(
        created_by=user, unit_id=user.unit_id, file_name=(upload.name or "")[:255], size=upload.size
    )
    job.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    job.save()
    run_import_job.enqueue(job.pk)
    return job


def run_import(job_id: int) -> ImportJob:
    """Run a queued import (the task worker); a job already started is left alone."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now()
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("created_by__unit").get(pk=job_id)
    user = job.created_by

    def progress(line: int, last_line: int) -> None:
        job.line, job.last_line = line, last_line
        ImportJob.objects.filter(pk=job.pk).update(line=line, last_line=last_line)

    try:
        with job.file.open("rb") as stream:
            report = import_dossiers(
                stream,
                actor=user,
                source=f"api:{job.file_name}",
                scope=import_scope(user),
                max_errors=max_errors(),
                progress=progress,
            )
    except CsvFileError as exc:
        job.status, job.detail = ImportJobStatus.FAILED, str(exc)
    except Exception:
        job.status, job.detail = ImportJobStatus.FAILED, _("Lỗi hệ thống khi nhập tệp.")
        _finish(job)
        raise
    else:
        job.status, job.detail = ImportJobStatus.DONE, report.summary()
        job.imported, job.unchanged = report.imported, report.unchanged
        job.rejected_lines, job.errors_total = report.rejected_lines, report.errors_total
        job.errors = [error_data(e) for e in report.errors]
        job.warnings = report.warnings
    _finish(job)
    return job


def _finish(job: ImportJob) -> None:
    """The job's end: the file is deleted (it was kept only to be imported)."""
    job.file.delete(save=False)
    job.finished_at = timezone.now()
    job.save()


def import_jobs_of(user) -> QuerySet[ImportJob]:
    """The imports a person may follow: their own, and those of the units of their scope."""
    return ImportJob.objects.filter(
        Q(created_by=user) | Q(pk__in=scope_queryset(ImportJob.objects.all(), user).values("pk"))
    )
