"""Reading the exchange CSVs: UTF-8 (BOM accepted), a header line, clear Vietnamese errors.

A file is checked whole before any row is handed out, so a file that turns out unreadable
half-way (a broken quote, a binary tail) has stored nothing. Rows are decoded from the bytes
as they are read: a million-row file is never held as text.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

UTF8_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20


class CsvFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    """A rejected row: its line in the file (where the record starts), the column, the reason."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("dòng %(line)d") % {"line": self.line}
        if self.column:
            where += ", " + _("cột %(column)s") % {"column": self.column}
        return f"{where}: {self.reason}"


@dataclass
class CsvTable:
    """A checked CSV: its header and its records, each with the line where it starts."""

    data: bytes
    header: list[str]
    records: int = 0
    # Values of the key column that occur on more than one row (stripped, non-empty).
    repeated_keys: set[str] = field(default_factory=set)
    # Whether the text must be NFC-normalised ("Hộ tịch" typed decomposed on some systems
    # would not match the catalogue).
    normalize: bool = False

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def text(self) -> str:
        """The whole text (for small files: an import reads lines())."""
        return "".join(self.lines())

    def lines(self) -> Iterator[str]:
        """The text, line by line with line ends kept (csv.reader's input)."""
        stream = io.TextIOWrapper(io.BytesIO(self.data), encoding="utf-8-sig", newline="")
        if not self.normalize:
            return iter(stream)
        return (unicodedata.normalize("NFC", line) for line in stream)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, its raw values), blank records skipped."""
        reader = csv.reader(self.lines())
        next(reader)
        previous = reader.line_num
        for values in reader:
            line = previous + 1
            previous = reader.line_num
            if not any(v.strip() for v in values):
                continue
            yield line, values

    def record(self, values: list[str]) -> dict[str, str]:
        """The values of a full-width row by column name, stripped."""
        return {name: value.strip() for name, value in zip(self.header, values, strict=True)}

    def width_error(self, line: int, values: list[str]) -> RowError | None:
        """The error of a row whose number of values differs from the header's, else None."""
        if len(values) == self.width:
            return None
        reason = _("dòng có %(n)d cột nhưng dòng tiêu đề có %(w)d cột") % {
            "n": len(values),
            "w": self.width,
        }
        if any("\n" in v or "\r" in v for v in values):
            reason += _(" (có thể một dấu ngoặc kép chưa được đóng)")
        return RowError(line, "", reason)

    def unknown_columns(self, known: Iterable[str]) -> list[str]:
        known = set(known)
        return [name or _("(cột không tên)") for name in self.header if name not in known]

    def unknown_columns_warnings(self, known: Iterable[str]) -> list[str]:
        """The warning that the columns outside `known` are ignored (none when all are known)."""
        unknown = self.unknown_columns(known)
        if not unknown:
            return []
        return [_("Bỏ qua các cột không biết: %(cols)s.") % {"cols": ", ".join(unknown)}]


def _check_encoding(data: bytes) -> bool:
    """Raises CsvFileError unless `data` is UTF-8 text; True when it needs NFC normalising."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError(
            _("Tệp được lưu với bảng mã UTF-16. Hãy lưu lại tệp dạng CSV với bảng mã UTF-8.")
        )
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            _(
                "Tệp là bảng tính Excel (.xlsx), không phải CSV. Hãy dùng “Lưu thành” "
                "CSV UTF-8 (phân tách bằng dấu phẩy)."
            )
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CsvFileError(
            _("Tệp chứa ký tự NUL ở dòng %(line)d: đây không phải tệp văn bản CSV UTF-8.")
            % {"line": data.count(b"\n", 0, nul) + 1}
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    normalize = False
    tail = ""
    for offset in range(0, len(data), _CHUNK):
        try:
            text = decoder.decode(
                view[offset : offset + _CHUNK], final=offset + _CHUNK >= len(data)
            )
        except UnicodeDecodeError as exc:
            position = offset + exc.start - len(decoder.getstate()[0])
            position = max(position, 0)
            raise CsvFileError(
                _(
                    "Tệp không phải UTF-8: dòng %(line)d có byte %(byte)s không hợp lệ (tệp có "
                    "thể được lưu bằng bảng mã Windows-1258, TCVN3 hoặc VNI). Hãy lưu lại tệp "
                    "với bảng mã UTF-8."
                )
                % {"line": data.count(b"\n", 0, position) + 1, "byte": f"0x{data[position]:02x}"}
            ) from None
        # A base letter and its marks may straddle two chunks: the tail of one goes with the next.
        normalize = normalize or not unicodedata.is_normalized("NFC", tail + text)
        tail = text[-8:]
    return normalize


def open_table(data: bytes, required: Iterable[str], *, key: str | None = None) -> CsvTable:
    """Check a CSV's encoding, header and structure; CsvFileError when it is unreadable.

    With `key`, the table also tells which values of that column occur more than once.
    """
    normalize = _check_encoding(data)
    table = CsvTable(data=data, header=[], normalize=normalize)
    reader = csv.reader(table.lines())
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise CsvFileError(_("Không đọc được dòng tiêu đề: %(e)s") % {"e": exc}) from None
    if first is None or not any(name.strip() for name in first):
        raise CsvFileError(_("Tệp rỗng hoặc dòng đầu tiên (dòng tiêu đề) trống."))
    header = table.header = [name.strip() for name in first]
    named = [name for name in header if name]
    doubled = sorted({name for name in named if named.count(name) > 1})
    if doubled:
        raise CsvFileError(
            _("Dòng tiêu đề có cột trùng tên: %(cols)s.") % {"cols": ", ".join(doubled)}
        )
    required = list(required)
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvFileError(
            _("Thiếu cột bắt buộc: %(cols)s. Dòng tiêu đề phải có: %(req)s.")
            % {"cols": ", ".join(missing), "req": ", ".join(required)}
        )
    key_index = header.index(key) if key is not None else None
    seen: set[str] = set()
    start = reader.line_num + 1
    try:
        for values in reader:
            table.records += 1
            if key_index is not None and key_index < len(values):
                value = values[key_index].strip()
                if value in seen:
                    table.repeated_keys.add(value)
                elif value:
                    seen.add(value)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFileError(
            _("Cấu trúc CSV hỏng ở dòng %(line)d: %(e)s") % {"line": start, "e": exc}
        ) from None
    return table
