"""Reading the exchange CSVs: UTF-8 (BOM accepted), a header line, clear Vietnamese errors.

A file is checked whole before any row is handed out, so a file that turns out unreadable
half-way (a binary tail, a byte that is not UTF-8) has stored nothing. The file is read as a
stream, twice (the check, then the rows): a million-row upload is never held in memory. Quotes
are read strictly: a quote opened and never closed swallows the lines after it, and those
lines come out as one broken record that names all of them, so that none is lost silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from cchc.limits import unstorable, unstorable_characters
from cchc.spreadsheet_safety import csv_read_text
from cchc.text import without_format_characters

UTF8_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20


class CsvFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    """A rejected row: its line in the file (where the record starts), the column, the reason;
    `last_line` when the record runs over several lines of the file (a broken quote)."""

    line: int
    column: str
    reason: str
    last_line: int | None = None

    @property
    def lines(self) -> int:
        """How many lines of the file the rejected record takes."""
        return max(self.last_line or self.line, self.line) - self.line + 1

    def __str__(self) -> str:
        if self.lines > 1:
            where = _("dòng %(line)d–%(last)d") % {"line": self.line, "last": self.last_line}
        else:
            where = _("dòng %(line)d") % {"line": self.line}
        if self.column:
            where += ", " + _("cột %(column)s") % {"column": self.column}
        return f"{where}: {self.reason}"


class BrokenRecord(list):
    """A record whose quotes do not pair up: no values, the last line it took, the reason."""

    def __init__(self, last_line: int, reason: str) -> None:
        super().__init__()
        self.last_line = last_line
        self.reason = reason


def binary_stream(source: bytes | BinaryIO) -> BinaryIO:
    """A seekable binary stream of `source`: bytes, a file opened in binary mode, or a Django
    File (an upload kept in memory or in a temporary file, a file of a storage)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source)
    while hasattr(source, "file") and not isinstance(source, io.IOBase):
        source = source.file
    return source


def visible_value(value: str) -> str:
    """A cell as it is read: without format characters (zero-width spaces and the like, which
    would make two equal-looking codes differ) and surrounding white space, and without the
    apostrophe that our exports put before a text a spreadsheet would take for a formula
    (cchc.spreadsheet_safety: export then import gives the same data)."""
    value = without_format_characters(value)
    return csv_read_text(value.strip())


@dataclass
class CsvTable:
    """A checked CSV: its header and its records, each with the line where it starts."""

    stream: BinaryIO
    header: list[str]
    records: int = 0
    last_line: int = 0  # the file's last line (of its last record)
    # Values of the key column(s) that occur on more than one row (non-empty, as record()
    # gives them; a tuple of values for a key of several columns).
    repeated_keys: set = field(default_factory=set)
    # Whether the text must be NFC-normalised ("Hộ tịch" typed decomposed on some systems
    # would not match the catalogue).
    normalize: bool = False

    @property
    def width(self) -> int:
        return len(self.header)

    def lines(self) -> Iterator[str]:
        """The text, line by line with line ends kept (csv.reader's input), from the start."""
        self.stream.seek(0)
        text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")
        try:
            if self.normalize:
                for line in text:
                    yield unicodedata.normalize("NFC", line)
            else:
                yield from text
        finally:
            if not self.stream.closed:
                text.detach()  # the stream stays open for the next reading

    def records_of(self, reader) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, its raw values) of a strict reader past the header;
        a record whose quotes do not pair up comes as a BrokenRecord."""
        previous = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                values = BrokenRecord(reader.line_num, str(exc))
            line = previous + 1
            previous = reader.line_num
            yield line, values

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, its raw values), blank records skipped."""
        reader = csv.reader(self.lines(), strict=True)
        next(reader)
        for line, values in self.records_of(reader):
            if isinstance(values, BrokenRecord) or any(v.strip() for v in values):
                yield line, values

    def full_rows(self, errors: list[RowError]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, values by column name) of every full-width row; the error of every other
        row is added to `errors` instead."""
        for line, values in self.rows():
            width_error = self.width_error(line, values)
            if width_error:
                errors.append(width_error)
            else:
                yield line, self.record(values)

    def record(self, values: list[str]) -> dict[str, str]:
        """The values of a full-width row by column name, as visible_value() reads them."""
        return {name: visible_value(v) for name, v in zip(self.header, values, strict=True)}

    def width_error(self, line: int, values: list[str]) -> RowError | None:
        """The error of a row whose number of values differs from the header's (or whose
        quotes do not pair up), or that holds a control character, else None. It names every
        line the record took."""
        if isinstance(values, BrokenRecord):
            if values.last_line > line:
                reason = _(
                    "dấu ngoặc kép mở ở dòng %(line)d không được đóng đúng chỗ: dòng "
                    "%(line)d–%(last)d (%(n)d dòng) bị đọc thành một ô, không dòng nào trong "
                    "số đó được nhập; hãy sửa dấu ngoặc kép rồi nhập lại"
                ) % {"line": line, "last": values.last_line, "n": values.last_line - line + 1}
            else:
                reason = _("dấu ngoặc kép đặt sai chỗ (%(e)s)") % {"e": values.reason}
            return RowError(line, "", reason, last_line=values.last_line)
        if len(values) == self.width:
            return self._character_error(line, values)
        reason = _("dòng có %(n)d cột nhưng dòng tiêu đề có %(w)d cột") % {
            "n": len(values),
            "w": self.width,
        }
        breaks = sum(v.count("\n") + v.count("\r") - v.count("\r\n") for v in values)
        if breaks:
            reason += _(" (có thể một dấu ngoặc kép chưa được đóng)")
        return RowError(line, "", reason, last_line=line + breaks)

    def _character_error(self, line: int, values: list[str]) -> RowError | None:
        """The error of a row holding a character that no column or document can hold (a
        control character: DOCX and XLSX cannot hold it, nor can PostgreSQL hold NUL)."""
        for name, value in zip(self.header, values, strict=True):
            if unstorable(value):
                reason = _("ô có ký tự điều khiển không lưu được (%(c)s); hãy xóa ký tự đó") % {
                    "c": ", ".join(
                        sorted({f"U+{ord(c):04X}" for c in unstorable_characters(value)})
                    )
                }
                return RowError(line, name, reason)
        return None

    def unknown_columns(self, known: Iterable[str]) -> list[str]:
        known = set(known)
        return [name or _("(cột không tên)") for name in self.header if name not in known]

    def unknown_columns_warnings(self, known: Iterable[str]) -> list[str]:
        """The warning that the columns outside `known` are ignored (none when all are known)."""
        unknown = self.unknown_columns(known)
        if not unknown:
            return []
        return [_("Bỏ qua các cột không biết: %(cols)s.") % {"cols": ", ".join(unknown)}]


def _check_encoding(stream: BinaryIO) -> bool:
    """Raises CsvFileError unless the stream is UTF-8 text; True when it needs NFC normalising.

    The stream is read in chunks, never whole."""
    stream.seek(0)
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError(
            _("Tệp được lưu với bảng mã UTF-16. Hãy lưu lại tệp dạng CSV với bảng mã UTF-8.")
        )
    if head.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            _(
                "Tệp là bảng tính Excel (.xlsx), không phải CSV. Hãy dùng “Lưu thành” "
                "CSV UTF-8 (phân tách bằng dấu phẩy)."
            )
        )
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    normalize = False
    tail = ""
    newlines = 0  # line ends before the chunk
    while True:
        chunk = stream.read(_CHUNK)
        nul = chunk.find(b"\x00")
        if nul >= 0:
            raise CsvFileError(
                _("Tệp chứa ký tự NUL ở dòng %(line)d: đây không phải tệp văn bản CSV UTF-8.")
                % {"line": newlines + chunk.count(b"\n", 0, nul) + 1}
            )
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # exc.start counts from the bytes kept back from the chunk before (a split letter).
            at = exc.start - len(pending)
            byte = chunk[at] if at >= 0 else pending[at]
            line = newlines + chunk.count(b"\n", 0, max(at, 0)) + 1
            raise CsvFileError(
                _(
                    "Tệp không phải UTF-8: dòng %(line)d có byte %(byte)s không hợp lệ (tệp có "
                    "thể được lưu bằng bảng mã Windows-1258, TCVN3 hoặc VNI). Hãy lưu lại tệp "
                    "với bảng mã UTF-8."
                )
                % {"line": line, "byte": f"0x{byte:02x}"}
            ) from None
        # A base letter and its marks may straddle two chunks: the tail of one goes with the next.
        normalize = normalize or not unicodedata.is_normalized("NFC", tail + text)
        tail = text[-8:]
        if not chunk:
            return normalize
        newlines += chunk.count(b"\n")


def open_table(
    source: bytes | BinaryIO, required: Iterable[str], *, key: str | tuple[str, ...] | None = None
) -> CsvTable:
    """Check a CSV's encoding, header and structure; CsvFileError when it is unreadable.

    `source` is bytes or a seekable binary file (read twice, in chunks). With `key` (a column,
    or several), the table also tells which keys occur more than once.
    """
    stream = binary_stream(source)
    normalize = _check_encoding(stream)
    table = CsvTable(stream=stream, header=[], normalize=normalize)
    reader = csv.reader(table.lines(), strict=True)
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
    columns = (key,) if isinstance(key, str) else key
    key_indexes = [header.index(name) for name in columns] if columns else None
    seen: set = set()
    for _line, values in table.records_of(reader):
        table.records += 1
        if key_indexes is None or max(key_indexes) >= len(values):
            continue
        parts = tuple(visible_value(values[i]) for i in key_indexes)
        found = parts[0] if isinstance(key, str) else parts
        if found in seen:
            table.repeated_keys.add(found)
        elif all(parts):
            seen.add(found)
    table.last_line = reader.line_num
    return table
