"""Background tasks of the dossier lifecycle (Django's tasks framework, run by the DB worker)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from .imports import run_import
from .services import record_deadline_warnings


@task()
def warn_dossiers_becoming_late(day: str | None = None) -> dict[str, int]:
    """Daily: record a warning for dossiers due by the next working day and for overdue ones.

    `day` is an ISO date (task arguments must be JSON); today in Vietnam when omitted.
    """
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return record_deadline_warnings(today)


@task()
def run_import_job(job_id: int) -> str:
    """A dossier CSV import queued by the API (cchc.dossiers.imports); returns its status."""
    return run_import(job_id).status
