"""Reading the exchange CSVs: UTF-8 (BOM accepted), a header line, clear Vietnamese errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _


class CsvFileError(Exception):
    """The file as a whole cannot be read."""


def read_table(
    data: bytes, required: tuple[str, ...]
) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Decode and open a CSV; yields (line number, row) pairs. Raises CsvFileError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            _(
                "Tệp không phải UTF-8 (byte %(byte)s ở vị trí %(pos)d). Hãy lưu lại tệp với bảng mã UTF-8."
            )
            % {"byte": hex(data[exc.start]), "pos": exc.start}
        ) from None
    if not text.strip():
        raise CsvFileError(_("Tệp rỗng."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if len(set(header)) != len(header):
        raise CsvFileError(_("Dòng tiêu đề có cột trùng tên."))
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvFileError(
            _("Thiếu cột bắt buộc: %(cols)s. Dòng tiêu đề phải có: %(req)s.")
            % {"cols": ", ".join(missing), "req": ", ".join(required)}
        )

    def rows() -> Iterator[tuple[int, dict]]:
        for raw in reader:
            yield reader.line_num, raw

    return header, rows()


def row_is_ragged(raw: dict) -> bool:
    return None in raw or any(v is None for v in raw.values())
