"""Helpers shared by the management commands: reading a file argument, the report of a
catalogue import (units, procedures), exiting with a status."""

from __future__ import annotations

import errno
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_file_arg(path: str) -> bytes:
    """The bytes of FILE ('-' for standard input); exit status 2 when it cannot be read."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        reasons = {
            errno.ENOENT: _("không có tệp này"),
            errno.EACCES: _("không có quyền đọc"),
            errno.EISDIR: _("đây là một thư mục"),
        }
        reason = reasons.get(exc.errno, exc.strerror)
        raise CommandError(
            _("Không đọc được tệp %(path)s: %(err)s") % {"path": path, "err": reason},
            returncode=2,
        ) from None


@dataclass
class ImportReport:
    """What an import of units or procedures did: rows created, updated, unchanged, and the
    row errors (nothing is written when there is one) and warnings."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def finish_import(command, report: ImportReport, refused: str, done: str) -> None:
    """Print a catalogue import's warnings and errors on standard error; exit with status 1
    when there are errors (`refused` % n), else print `done` % the counts."""
    for warning in report.warnings:
        command.stderr.write(warning)
    for error in report.errors:
        command.stderr.write(error)
    if report.errors:
        raise CommandError(refused % {"n": len(report.errors)}, returncode=1)
    command.stdout.write(done % {"c": report.created, "u": report.updated, "s": report.unchanged})
