"""Helpers shared by the management commands: reading a file argument, exiting with a status."""

from __future__ import annotations

import errno
import sys
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
