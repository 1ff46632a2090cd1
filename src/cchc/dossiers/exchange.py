"""The dossier CSV of exchange-format.md §1: import (validated, idempotent) and export.

The file is checked whole before anything is written (an unreadable file stores nothing).
A row is stored whole (dossier, its pause, its event) or not at all: valid rows are written
in chunks, one transaction each, and a chunk that the database refuses is retried row by row
so one bad row cannot take others with it. A code is a key within its receiving unit (codes
are unique per unit): a dossier of the unit already stored with the same data is counted
unchanged, with other data the row is rejected, never overwritten; a unit and code given twice
in one file with different data are rejected on every line they appear. Another unit's
dossiers are never read, so an answer never tells anything about them.

Fields (lĩnh vực) come from the catalogue: an unknown field is a row error, never a new field.
An import for a person (the API) is limited to the units of their scope: a row of another
unit gets the same answer as a row of a unit that does not exist. The file is read as a
stream (see cchc.csvfiles) and the errors kept can be capped (the first N by line, and a count).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import re
from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

from django.db import DEFAULT_DB_ALIAS, DataError, IntegrityError, connections, transaction
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.constants import OnlineLevel
from cchc.catalog.models import Field, Procedure
from cchc.csvfiles import CsvFileError, RowError, open_table, visible_value
from cchc.org.models import Unit
from cchc.spreadsheet_safety import CsvWriter
from cchc.workcalendar import calendar

from .clock import legal_due, local_date
from .constants import (
    CSV_STATUS_OF,
    OUTCOME_OF_STATUS,
    STATUS_OF_CSV,
    Channel,
    Digitization,
    EventAction,
    Status,
)
from .journal import dossiers_changed_from, tell_imported
from .models import Dossier, DossierEvent, DossierPause, timeliness_of

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "csv_lines",
    "export_rows",
    "import_dossiers",
    "parse_moment",
    "write_csv",
]

COLUMNS = (
    "code",
    "unit_code",
    "procedure_code",
    "field",
    "channel",
    "online_level",
    "received_at",
    "due_at",
    "status",
    "resolved_at",
    "closed_at",
    "paused_at",
    "input_digitization",
    "result_digitized",
    "fee",
    "paid_online",
    # Added to the contract later (a file without them reads as before): the hand-over of a
    # resolved dossier's result, its moment, or that it is not handed over yet (0).
    "returned_at",
    "result_returned",
)
# Columns compared with a stored dossier only when the row gives them.
COMPARED_WHEN_GIVEN = ("due_at", "online_level", "returned_at", "result_returned")
REQUIRED = ("code", "unit_code", "field", "channel", "received_at", "status")
VN_TZ = calendar.VN_TZ
CHUNK = 2000
MIDNIGHT = dt.time(0, 0)
# Moments outside these years are typing errors (and would overflow time-zone arithmetic).
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_FEE = 2**63 - 1

# The date column that goes with each status, and what is said when it is missing.
END_COLUMN = {
    "resolved": "resolved_at",
    "rejected": "closed_at",
    "withdrawn": "closed_at",
    "paused": "paused_at",
}
END_COLUMNS = ("resolved_at", "closed_at", "paused_at")
CHANNELS = tuple(Channel.values)
ONLINE_LEVELS = tuple(OnlineLevel.values)
CSV_STATUSES = tuple(STATUS_OF_CSV)
DIGITIZATIONS = tuple(Digitization.values)


ImportFileError = CsvFileError  # the file as a whole cannot be read (exit status 2)


@dataclass
class ImportReport:
    """What an import did. `errors` keeps every row error, or with `max_errors` the first
    `max_errors` by line (an answer of a million errors helps nobody); `errors_total` counts
    them all, and `rejected_lines` the lines of the file that were not imported."""

    imported: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    max_errors: int | None = None
    errors_total: int = 0
    rejected_lines: int = 0
    # A heap of (-line, -order, error): the error with the highest line is dropped first.
    _kept: list = field(default_factory=list, repr=False)
    _order: Iterator[int] = field(default_factory=itertools.count, repr=False)

    def reject(self, errors: list[RowError]) -> None:
        """A record of the file not imported, with every problem found in it."""
        self.rejected_lines += max(e.lines for e in errors)
        for error in errors:
            self.errors_total += 1
            item = (-error.line, -next(self._order), error)
            if self.max_errors is None or len(self._kept) < self.max_errors:
                heapq.heappush(self._kept, item)
            elif item > self._kept[0]:
                heapq.heapreplace(self._kept, item)

    @property
    def errors(self) -> list[RowError]:
        """The errors kept, in the order of the file."""
        return [error for _line, _order, error in sorted(self._kept, reverse=True)]

    @property
    def errors_truncated(self) -> bool:
        return self.errors_total > len(self._kept)

    def summary(self) -> str:
        return _(
            "Đã nhập %(imported)d hồ sơ, %(unchanged)d hồ sơ không đổi (đã có), "
            "từ chối %(rejected)d dòng."
        ) % {
            "imported": self.imported,
            "unchanged": self.unchanged,
            "rejected": self.rejected_lines,
        }


class _RowInvalid(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# ---------------------------------------------------------------------------- parsing values

_MOMENT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b.*")


def parse_moment(value: str, column: str, *, default_time: dt.time = MIDNIGHT) -> dt.datetime:
    """A date (YYYY-MM-DD, taken at `default_time`) or an ISO date-time, in Vietnam time
    unless an offset is given. Raises _RowInvalid naming `column`."""
    try:
        return _moment(value.strip(), default_time)
    except ValueError as exc:
        raise _RowInvalid(column, str(exc)) from None


@lru_cache(maxsize=1 << 16)
def _moment(text: str, default_time: dt.time) -> dt.datetime:
    # Cached: a file repeats the same dates thousands of times.
    match = _MOMENT.fullmatch(text)
    if match is None:
        day_first = _DAY_FIRST.fullmatch(text)
        if day_first:
            day, month, year = day_first.groups()
            raise ValueError(
                _(
                    "%(value)r viết theo kiểu ngày/tháng/năm; tệp trao đổi dùng dạng "
                    "YYYY-MM-DD (ví dụ %(iso)s)"
                )
                % {"value": text, "iso": f"{year}-{int(month):02d}-{int(day):02d}"}
            )
        raise ValueError(
            _("%(value)r không phải ngày dạng YYYY-MM-DD hoặc ngày giờ dạng YYYY-MM-DDTHH:MM[:SS]")
            % {"value": text}
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    year, month, day = int(year), int(month), int(day)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("%(value)r: năm %(year)d nằm ngoài khoảng %(first)d–%(last)d")
            % {"value": text, "year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if not 1 <= month <= 12:
        raise ValueError(_("%(value)r: không có tháng %(month)d") % {"value": text, "month": month})
    days = monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            _("%(value)r: ngày không có thật, tháng %(month)d/%(year)d chỉ có %(days)d ngày")
            % {"value": text, "month": month, "year": year, "days": days}
        )
    if hour is None:
        return dt.datetime.combine(dt.date(year, month, day), default_time, tzinfo=VN_TZ)
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("%(value)r: giờ không hợp lệ") % {"value": text})
    return dt.datetime(
        year,
        month,
        day,
        hour,
        minute,
        second,
        int((fraction or "0").ljust(6, "0")),
        tzinfo=_offset(offset, text),
    )


def _offset(text: str | None, value: str) -> dt.tzinfo:
    if text is None:
        return VN_TZ
    if text == "Z":
        return dt.UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError(_("%(value)r: múi giờ không hợp lệ") % {"value": value})
    sign = -1 if text[0] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _to_second(moment: dt.datetime | None) -> dt.datetime | None:
    """Moments are compared at the precision the CSV carries (seconds)."""
    return moment.replace(microsecond=0) if moment is not None else None


def _csv_moment(moment: dt.datetime | None, canonical: dt.time) -> str:
    """Write a date when the moment is the canonical time of its date, else a date-time."""
    if moment is None:
        return ""
    local = moment.astimezone(VN_TZ)
    if local.time() == canonical:
        return local.date().isoformat()
    return local.replace(tzinfo=None).isoformat(timespec="seconds")


def office_close_time() -> dt.time:
    return calendar.office_close(dt.date(2000, 1, 3)).time()


def _dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# ---------------------------------------------------------------------------- rows


@dataclass
class ParsedRow:
    line: int
    code: str
    values: dict  # Dossier field values, the CSV's codes, status
    field_name: str
    pause_started_at: dt.datetime | None
    given: frozenset[str]  # optional columns that had a value

    def comparable(self) -> dict:
        """The row's data by CSV column, as they are compared with another row or the
        stored dossier."""
        v = self.values
        csv_status = v["csv_status"]
        ended = _to_second(v["ended_at"])
        return {
            "unit_code": v["unit_code"],
            "procedure_code": v["procedure_code"],
            "field": self.field_name,
            "channel": v["channel"],
            "online_level": v["online_level"],
            "received_at": _to_second(v["received_at"]),
            "due_at": _to_second(v["due_at"]),
            "status": csv_status,
            "resolved_at": ended if csv_status == "resolved" else None,
            "closed_at": ended if csv_status in ("rejected", "withdrawn") else None,
            "paused_at": _to_second(self.pause_started_at),
            "input_digitization": v["input_digitization"],
            "result_digitized": v["result_digitized"],
            "fee": v["fee"],
            "paid_online": v["paid_online"],
            "returned_at": _to_second(v["returned_at"]),
            "result_returned": v["result_returned"],
        }

    def compared_with_stored(self) -> dict:
        """As comparable(), without the values the file left to be derived (a due date or
        an online level from the procedure as it is today) or left unsaid (the hand-over)."""
        out = self.comparable()
        for column in COMPARED_WHEN_GIVEN:
            if column not in self.given:
                del out[column]
        return out


class _Lookups:
    """Units, procedures, fields and computed due dates, cached for one import run.

    With `scope`, only the units of the scope are known (the others are as if they did not
    exist) and `unit_unknown` says so."""

    def __init__(self, scope: QuerySet[Unit] | None = None) -> None:
        self.scoped = scope is not None
        self.units = {}
        self.unit_paths = {}
        units = Unit.objects.all() if scope is None else scope
        for code, pk, path in units.values_list("code", "pk", "path"):
            self.units[code] = pk
            self.unit_paths[code] = path
        # A code may be in several catalogues (the shared one and each province's).
        self.procedures: dict[str, list[tuple[str, Procedure]]] = {}
        for procedure in Procedure.objects.select_related("owner"):
            owner_path = procedure.owner.path if procedure.owner_id else ""
            self.procedures.setdefault(procedure.code, []).append((owner_path, procedure))
        self.fields = dict(Field.objects.values_list("name", "pk"))
        self.unit_names = {pk: code for code, pk in self.units.items()}
        self._due: dict[tuple[int | None, dt.datetime, str | None], dt.datetime] = {}

    def unit_unknown(self, code: str) -> str:
        if self.scoped:
            return _("đơn vị %(code)r không có hoặc nằm ngoài phạm vi của bạn") % {"code": code}
        return _("không có đơn vị mã %(code)r trong cây đơn vị") % {"code": code}

    def procedure(self, code: str, unit_code: str) -> Procedure | None:
        """The procedure `code` of the closest catalogue above the unit, else the shared one."""
        unit_path = self.unit_paths.get(unit_code, "")
        best, best_len = None, -1
        for owner_path, procedure in self.procedures.get(code, ()):
            if unit_path.startswith(owner_path) and len(owner_path) > best_len:
                best, best_len = procedure, len(owner_path)
        return best

    def legal_due(
        self, procedure: Procedure | None, received_at: dt.datetime, unit_code: str
    ) -> dt.datetime:
        """By the calendar of the unit's province (national and its own overrides)."""
        province = calendar.province_code(self.unit_paths.get(unit_code))
        key = (procedure.pk if procedure else None, received_at, province)
        due = self._due.get(key)
        if due is None:
            if len(self._due) > 100_000:
                self._due.clear()
            unit = f"/{province}/" if province else None
            due = self._due[key] = legal_due(procedure, received_at, unit)
        return due


class _RowParser:
    """Reads one row, collecting every problem of it rather than stopping at the first."""

    def __init__(self, line: int, row: dict[str, str]) -> None:
        self.line = line
        self.row = row
        self.errors: list[RowError] = []

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))

    def text(self, column: str) -> str:
        return self.row.get(column, "")

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(column)
        if not value:
            return None
        if value not in allowed:
            self.fail(
                column,
                _("giá trị %(value)r không hợp lệ (cần một trong: %(allowed)s)")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
            return None
        return value

    def flag(self, column: str) -> bool | None:
        value = self.text(column)
        if value in ("1", "0"):
            return value == "1"
        if value:
            self.fail(column, _("giá trị %(value)r không hợp lệ (cần 1 hoặc 0)") % {"value": value})
        return None

    def moment(self, column: str, default_time: dt.time = MIDNIGHT) -> dt.datetime | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return _moment(value, default_time)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def amount(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.fail(
                column,
                _("%(value)r không phải số nguyên không âm (viết liền, không dấu chấm, dấu phẩy)")
                % {"value": value},
            )
            return None
        if int(value) > MAX_FEE:
            self.fail(column, _("%(value)r quá lớn") % {"value": value})
            return None
        return int(value)


def parse_row(
    line: int, row: dict[str, str], lookups: _Lookups, today: dt.date, close_time: dt.time
) -> tuple[ParsedRow | None, list[RowError]]:
    """The row as dossier values, or None and every problem found in it."""
    p = _RowParser(line, row)
    if lookups.scoped and row["unit_code"] and row["unit_code"] not in lookups.units:
        # Nothing else is said about a row outside the scope.
        p.fail("unit_code", lookups.unit_unknown(row["unit_code"]))
        return None, p.errors
    for column in REQUIRED:
        if not row[column]:
            p.fail(column, _("thiếu giá trị bắt buộc"))
    code = row["code"]
    if len(code) > 64:
        p.fail("code", _("mã hồ sơ dài quá 64 ký tự"))
    unit_id = None
    if row["unit_code"]:
        unit_id = lookups.units.get(row["unit_code"])
        if unit_id is None:
            p.fail("unit_code", lookups.unit_unknown(row["unit_code"]))
    procedure = None
    if p.text("procedure_code"):
        procedure = lookups.procedure(row["procedure_code"], row["unit_code"])
        if procedure is None:
            p.fail(
                "procedure_code",
                _("không có thủ tục mã %(code)r trong danh mục") % {"code": row["procedure_code"]},
            )
    field_name = row["field"]
    field_id = lookups.fields.get(field_name)
    if field_name and field_id is None:
        # The catalogue's fields come with its procedures (import_procedures, the admin).
        p.fail(
            "field",
            _("không có lĩnh vực %(name)r trong danh mục lĩnh vực") % {"name": field_name[:255]},
        )
    channel = p.choice("channel", CHANNELS)
    online_level = p.choice("online_level", ONLINE_LEVELS)
    csv_status = p.choice("status", CSV_STATUSES)

    received_at = p.moment("received_at")
    received_date = local_date(received_at) if received_at else None
    if received_date and received_date > today:
        p.fail("received_at", _("ngày tiếp nhận %(d)s ở tương lai") % {"d": _dmy(received_date)})
    due_at = p.moment("due_at", close_time)
    if due_at and received_date and local_date(due_at) < received_date:
        p.fail(
            "due_at",
            _("ngày hẹn trả %(d)s trước ngày tiếp nhận %(r)s")
            % {"d": _dmy(local_date(due_at)), "r": _dmy(received_date)},
        )
    moments = {column: p.moment(column) for column in END_COLUMNS}
    if csv_status:
        wanted = END_COLUMN.get(csv_status)
        for column in END_COLUMNS:
            if column == wanted and not p.text(column):
                p.fail(column, _missing_end_reason(csv_status))
            elif column != wanted and p.text(column):
                p.fail(
                    column,
                    _("trạng thái %(status)r không có giá trị ở cột này") % {"status": csv_status},
                )
    for column, moment in moments.items():
        if moment is None or received_date is None:
            continue
        day = local_date(moment)
        if day < received_date:
            p.fail(
                column,
                _("ngày %(d)s trước ngày tiếp nhận %(r)s")
                % {"d": _dmy(day), "r": _dmy(received_date)},
            )
        elif day > today:
            p.fail(column, _("ngày %(d)s ở tương lai") % {"d": _dmy(day)})
    digitization = p.choice("input_digitization", DIGITIZATIONS)
    result_digitized = p.flag("result_digitized")
    fee = p.amount("fee")
    paid_online = p.flag("paid_online")
    returned_at, result_returned = _hand_over(p, csv_status, moments["resolved_at"], today)
    if p.errors:
        return None, p.errors

    if due_at is None:
        due_at = lookups.legal_due(procedure, received_at, row["unit_code"])
    due_date = local_date(due_at)
    ended_at = moments["resolved_at"] or moments["closed_at"]
    ended_date = local_date(ended_at) if ended_at else None
    pause_started_at = moments["paused_at"]
    status = STATUS_OF_CSV[csv_status]
    if returned_at is not None or result_returned:
        status = Status.RETURNED
    values = {
        "code": code,
        "unit_id": unit_id,
        "unit_code": row["unit_code"],
        "procedure_id": procedure.pk if procedure else None,
        "procedure_code": procedure.code if procedure else None,
        "field_id": field_id,
        "channel": channel,
        "online_level": online_level or (procedure.online_level if procedure else OnlineLevel.NONE),
        "status": status,
        "csv_status": csv_status,
        "received_at": received_at,
        "received_date": received_date,
        "initial_due_date": due_date,
        "due_at": due_at,
        "due_date": due_date,
        "due_date_since": received_date,
        "outcome": OUTCOME_OF_STATUS.get(status, ""),
        "ended_at": ended_at,
        "ended_date": ended_date,
        "timeliness": timeliness_of(ended_date, due_date) if csv_status == "resolved" else "",
        "ever_paused": pause_started_at is not None,
        "input_digitization": digitization or Digitization.NONE,
        "input_digitization_given": digitization is not None,
        "result_digitized": result_digitized,
        "fee": fee,
        "paid_online": paid_online,
        "returned_at": returned_at,
        "result_returned": result_returned,
        # An empty returned_at means "not handed over yet" only when the file says so.
        "return_tracked": returned_at is not None or result_returned is False,
    }
    given = frozenset(c for c in COMPARED_WHEN_GIVEN if row.get(c))
    return ParsedRow(line, code, values, field_name, pause_started_at, given), []


def _hand_over(
    p: _RowParser, csv_status: str | None, resolved_at: dt.datetime | None, today: dt.date
) -> tuple[dt.datetime | None, bool | None]:
    """The row's returned_at and result_returned: only a resolved dossier is handed over, not
    before its resolution nor in the future, and not both "not yet" and at a moment."""
    returned_at = p.moment("returned_at")
    result_returned = p.flag("result_returned")
    if csv_status and csv_status != "resolved":
        for column in ("returned_at", "result_returned"):
            if p.text(column):
                p.fail(
                    column,
                    _("trạng thái %(status)r không có giá trị ở cột này") % {"status": csv_status},
                )
    if returned_at is not None:
        if result_returned is False:
            p.fail(
                "result_returned",
                _("kết quả chưa trả (0) nhưng có thời điểm trả kết quả (returned_at)"),
            )
        day = local_date(returned_at)
        if resolved_at is not None and returned_at < resolved_at:
            p.fail(
                "returned_at",
                _("ngày trả kết quả %(d)s trước ngày giải quyết %(r)s")
                % {"d": _dmy(day), "r": _dmy(local_date(resolved_at))},
            )
        elif day > today:
            p.fail("returned_at", _("ngày %(d)s ở tương lai") % {"d": _dmy(day)})
    return returned_at, result_returned


def _result_returned(status: str, returned_at, tracked: bool) -> bool | None:
    """Whether a stored dossier's result is handed over: None when nobody said (a resolved
    dossier imported without a return moment) or when it is not resolved."""
    if status == Status.RETURNED or returned_at is not None:
        return True
    if status == Status.RESOLVED and tracked:
        return False
    return None


def _missing_end_reason(csv_status: str) -> str:
    if csv_status == "resolved":
        return _("hồ sơ đã giải quyết (resolved) phải có ngày giải quyết")
    if csv_status == "paused":
        return _("hồ sơ tạm dừng (paused) phải có ngày bắt đầu tạm dừng")
    return _("hồ sơ bị từ chối hoặc rút (rejected, withdrawn) phải có ngày kết thúc")


def _show(value) -> str:
    if value is None:
        return _("(trống)")
    if isinstance(value, dt.datetime):
        return _csv_moment(value, MIDNIGHT)
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _differences(ours: dict, theirs: dict, their_name: str) -> str:
    """'status: trong tệp 'resolved', <their_name> 'processing'; ...' for differing columns."""
    parts = [
        _("%(column)s: trong dòng này %(ours)s, %(where)s %(theirs)s")
        % {
            "column": column,
            "ours": repr(_show(ours[column])),
            "where": their_name,
            "theirs": repr(_show(theirs.get(column))),
        }
        for column in ours
        if ours[column] != theirs.get(column)
    ]
    return "; ".join(parts)


def _stored_comparable(stored: dict) -> dict:
    csv_status = CSV_STATUS_OF[stored["status"]]
    ended = _to_second(stored["ended_at"])
    return {
        "unit_code": stored["unit__code"],
        "procedure_code": stored["procedure__code"],
        "field": stored["field__name"],
        "channel": stored["channel"],
        "online_level": stored["online_level"],
        "received_at": _to_second(stored["received_at"]),
        "due_at": _to_second(stored["due_at"]),
        "status": csv_status,
        "resolved_at": ended if csv_status == "resolved" else None,
        "closed_at": ended if csv_status in ("rejected", "withdrawn") else None,
        "paused_at": _to_second(stored["open_pause_started_at"]),
        "input_digitization": (
            stored["input_digitization"]
            if stored["input_digitization_given"]
            else Digitization.NONE
        ),
        "result_digitized": stored["result_digitized"],
        "fee": stored["fee"],
        "paid_online": stored["paid_online"],
        "returned_at": _to_second(stored["returned_at"]),
        "result_returned": _result_returned(
            stored["status"], stored["returned_at"], stored["return_tracked"]
        ),
    }


# ---------------------------------------------------------------------------- import


Key = tuple[str, str]  # (unit_code, code) as the file gives them: a dossier's key
Entries = list[tuple[int, ParsedRow | None, list[RowError]]]


def import_dossiers(
    data: bytes | BinaryIO,
    *,
    actor=None,
    source: str = "",
    scope: QuerySet[Unit] | None = None,
    max_errors: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a dossier CSV: bytes, or a seekable binary file read as a stream. Raises
    ImportFileError when the file cannot be read (nothing is stored then).

    `scope`: the units whose dossiers may be imported (an import for a person); a row of
    another unit is rejected as a row of a unit that does not exist. `max_errors`: how many
    row errors the report keeps (all by default). `progress(line, last_line)` is called
    after each chunk stored. When dossiers were stored, `dossiers_imported` is sent once
    committed (cchc.dossiers.journal).
    """
    report = ImportReport(max_errors=max_errors)
    table = open_table(data, REQUIRED, key=("unit_code", "code"))
    report.warnings += table.unknown_columns_warnings(COLUMNS)
    lookups = _Lookups(scope)
    writer = _Writer(report, actor, source)
    today = timezone.localdate()
    close_time = office_close_time()
    unit_index, code_index = table.header.index("unit_code"), table.header.index("code")
    # Rows whose key comes again in the file wait until every one of them is read.
    repeated: dict[Key, Entries] = {}
    batch: list[ParsedRow] = []
    for line, values in table.rows():
        width_error = table.width_error(line, values)
        if width_error:
            parsed, errors = None, [width_error]
            key = tuple(
                visible_value(values[i]) if i < len(values) else ""
                for i in (unit_index, code_index)
            )
        else:
            row = table.record(values)
            parsed, errors = parse_row(line, row, lookups, today, close_time)
            key = (row["unit_code"], row["code"])
        if key in table.repeated_keys:
            repeated.setdefault(key, []).append((line, parsed, errors))
            continue
        if errors:
            report.reject(errors)
            continue
        batch.append(parsed)
        if len(batch) >= CHUNK:
            writer.store(batch)
            batch = []
            if progress is not None:
                progress(line, table.last_line)
    if batch:
        writer.store(batch)
    _store_repeated(repeated, writer, report)
    if progress is not None:
        progress(table.last_line, table.last_line)
    tell_imported(report)
    return report


def _store_repeated(groups: dict[Key, Entries], writer: _Writer, report: ImportReport) -> None:
    """A key given on several lines: stored once when every line says the same, else none."""
    firsts: list[ParsedRow] = []
    copies: list[tuple[ParsedRow, ParsedRow]] = []
    for (_unit, code), entries in groups.items():
        valid = [parsed for _line, parsed, _errors in entries if parsed is not None]
        invalid_lines = [line for line, parsed, _errors in entries if parsed is None]
        for _line, _parsed, errors in entries:
            if errors:
                report.reject(errors)
        first = valid[0] if valid else None
        if not invalid_lines and all(p.comparable() == first.comparable() for p in valid):
            firsts.append(first)
            copies.extend((first, p) for p in valid[1:])
            continue
        for parsed in valid:
            others = [str(line) for line, _p, _e in entries if line != parsed.line]
            differing = next(
                (o for o in valid if o is not parsed and o.comparable() != parsed.comparable()),
                None,
            )
            if differing is not None:
                reason = _(
                    "mã hồ sơ %(code)r cũng có ở dòng %(lines)s với dữ liệu khác (%(diff)s); "
                    "không nhập dòng nào của mã này"
                ) % {
                    "code": code,
                    "lines": ", ".join(others),
                    "diff": _differences(
                        parsed.comparable(),
                        differing.comparable(),
                        _("dòng %(line)d") % {"line": differing.line},
                    ),
                }
            else:
                reason = _(
                    "mã hồ sơ %(code)r còn có ở dòng %(lines)s, là dòng bị lỗi; "
                    "không nhập dòng nào của mã này"
                ) % {"code": code, "lines": ", ".join(str(line) for line in invalid_lines)}
            report.reject([RowError(parsed.line, "code", reason)])
    rejected: dict[int, RowError] = {}
    for start in range(0, len(firsts), CHUNK):
        rejected.update(writer.store(firsts[start : start + CHUNK]))
    for first, copy in copies:
        if first.line in rejected:
            report.reject(
                [
                    RowError(
                        copy.line,
                        rejected[first.line].column,
                        _("như dòng %(line)d: %(reason)s")
                        % {"line": first.line, "reason": rejected[first.line].reason},
                    )
                ]
            )
        else:
            report.unchanged += 1


def _stored_of(rows: list[ParsedRow]) -> QuerySet[Dossier]:
    """The stored dossiers that may have the keys of `rows` (of their units only)."""
    return Dossier.objects.filter(
        unit_id__in={p.values["unit_id"] for p in rows}, code__in={p.code for p in rows}
    )


class _Writer:
    """Stores chunks of parsed rows: new keys inserted, stored ones compared."""

    def __init__(self, report: ImportReport, actor, source: str) -> None:
        self.report = report
        self.actor_id = actor.pk if actor is not None else None
        self.source = source
        now = timezone.now()
        self.dossiers = _Inserter(Dossier, now)
        self.pauses = _Inserter(DossierPause, now)
        self.events = _Inserter(DossierEvent, now)
        self.now = now

    def store(self, batch: list[ParsedRow]) -> dict[int, RowError]:
        """Store the batch; returns the error of each line it rejected."""
        rejected: dict[int, RowError] = {}

        def reject(parsed: ParsedRow, column: str, reason: str) -> None:
            rejected[parsed.line] = error = RowError(parsed.line, column, reason)
            self.report.reject([error])

        open_pause = DossierPause.objects.filter(
            dossier=OuterRef("pk"), resumed_at__isnull=True
        ).values("started_at")[:1]
        stored = {
            (row["unit_id"], row["code"]): row
            for row in _stored_of(batch)
            .annotate(open_pause_started_at=Subquery(open_pause))
            .values(
                "unit_id",
                "code",
                "unit__code",
                "procedure__code",
                "field__name",
                "channel",
                "online_level",
                "received_at",
                "due_at",
                "status",
                "ended_at",
                "input_digitization",
                "input_digitization_given",
                "result_digitized",
                "fee",
                "paid_online",
                "returned_at",
                "return_tracked",
                "open_pause_started_at",
            )
        }
        new_rows = []
        for parsed in batch:
            old = stored.get((parsed.values["unit_id"], parsed.code))
            if old is None:
                new_rows.append(parsed)
                continue
            new = parsed.compared_with_stored()
            old = _stored_comparable(old)
            if all(old[k] == v for k, v in new.items()):
                self.report.unchanged += 1
                continue
            reject(
                parsed,
                "code",
                _(
                    "mã hồ sơ %(code)r đã có trong hệ thống với dữ liệu khác (%(diff)s); "
                    "không ghi đè"
                )
                % {"code": parsed.code, "diff": _differences(new, old, _("trong hệ thống"))},
            )
        if not new_rows:
            return rejected
        try:
            with transaction.atomic():
                self._insert(new_rows)
            self.report.imported += len(new_rows)
        except (IntegrityError, DataError):
            for parsed in new_rows:
                try:
                    with transaction.atomic():
                        self._insert([parsed])
                    self.report.imported += 1
                except (IntegrityError, DataError) as exc:
                    reject(parsed, "", _("cơ sở dữ liệu từ chối dòng: %(e)s") % {"e": exc})
        return rejected

    def _insert(self, rows: list[ParsedRow]) -> None:
        """Writes the rows in the caller's transaction."""
        self.dossiers.insert([p.values for p in rows])
        # Their units' stored counts of periods ending on or after the first receipt are void.
        dossiers_changed_from((p.values["unit_id"], p.values["received_date"]) for p in rows)
        ids = {
            (unit_id, code): pk
            for unit_id, code, pk in _stored_of(rows).values_list("unit_id", "code", "pk")
        }
        reason = _("Chờ bổ sung (nhập từ tệp)")
        self.pauses.insert(
            [
                {
                    "dossier_id": ids[p.values["unit_id"], p.code],
                    "started_at": p.pause_started_at,
                    "started_date": local_date(p.pause_started_at),
                    "reason": reason,
                }
                for p in rows
                if p.pause_started_at is not None
            ]
        )
        self.events.insert(
            [
                {
                    "dossier_id": ids[p.values["unit_id"], p.code],
                    "at": self.now,
                    "actor_id": self.actor_id,
                    "action": EventAction.IMPORTED,
                    "to_status": p.values["status"],
                    "data": {"line": p.line, "source": self.source}
                    if self.source
                    else {"line": p.line},
                }
                for p in rows
            ]
        )


# Column types the database drivers take as Python gives them.
_PLAIN_TYPES = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def _memoized(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt` remembering its answers: an import repeats the same dates over and over."""
    answers: dict = {}

    def adapted(value):
        try:
            return answers[value]
        except KeyError:
            if len(answers) > 100_000:
                answers.clear()
            answers[value] = answer = adapt(value)
            return answer

    return adapted


class _Inserter:
    """INSERTs many rows of one model at once: COPY on PostgreSQL, executemany elsewhere.

    bulk_create compiles every value of every row in Python, which is most of the time of a
    million-row import; here the statement is built once and only the values that need it go
    through the backend's adapters (the ones the ORM itself uses). Columns a row does not give
    take the model field's default, as Model() would.
    """

    def __init__(self, model: type[Model], now: dt.datetime) -> None:
        self.db = db = connections[DEFAULT_DB_ALIAS]
        ops = db.ops
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not getattr(f, "generated", False)
            and not (f.has_db_default() and not f.has_default())
        ]
        self.names = [f.attname for f in fields]
        self.defaults = []
        self.adapters = []
        for f in fields:
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            self.defaults.append(now if auto else f.get_default())
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                self.adapters.append(_memoized(ops.adapt_datetimefield_value))
            elif kind == "DateField":
                self.adapters.append(_memoized(ops.adapt_datefield_value))
            elif kind in _PLAIN_TYPES:
                self.adapters.append(None)
            else:
                self.adapters.append(lambda value, f=f: f.get_db_prep_save(value, db))
        table = ops.quote_name(model._meta.db_table)
        columns = ", ".join(ops.quote_name(f.column) for f in fields)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        placeholders = ", ".join(["%s"] * len(fields))
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        columns = list(zip(self.names, self.defaults, self.adapters, strict=True))
        values = (
            [
                (adapt(row.get(name, default)) if adapt else row.get(name, default))
                for name, default, adapt in columns
            ]
            for row in rows
        )
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                # Several times faster than INSERTs there; errors are wrapped as the ORM's.
                with self.db.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                    for row_values in values:
                        copy.write_row(row_values)
            else:
                cursor.executemany(self.insert_sql, list(values))


# ---------------------------------------------------------------------------- export


def export_rows(queryset) -> Iterator[list]:
    """CSV rows (header first) for the dossiers of `queryset`, in the import format: texts
    as str, numbers as int (write them with cchc.spreadsheet_safety, which neutralises the
    texts only)."""
    open_pause = DossierPause.objects.filter(
        dossier=OuterRef("pk"), resumed_at__isnull=True
    ).values("started_at")[:1]
    qs = (
        queryset.select_related("unit", "procedure", "field")
        .annotate(open_pause_started_at=Subquery(open_pause))
        .order_by("code")
    )
    close_time = office_close_time()
    yield list(COLUMNS)
    for d in qs.iterator(chunk_size=5000):
        csv_status = CSV_STATUS_OF[d.status]
        yield [
            d.code,
            d.unit.code,
            d.procedure.code if d.procedure_id else "",
            d.field.name,
            d.channel,
            d.online_level,
            _csv_moment(d.received_at, MIDNIGHT),
            _csv_moment(d.due_at, close_time),
            csv_status,
            _csv_moment(d.ended_at, MIDNIGHT) if csv_status == "resolved" else "",
            _csv_moment(d.ended_at, MIDNIGHT) if csv_status in ("rejected", "withdrawn") else "",
            _csv_moment(d.open_pause_started_at, MIDNIGHT) if csv_status == "paused" else "",
            d.input_digitization if d.input_digitization_given else "",
            _flag(d.result_digitized),
            "" if d.fee is None else d.fee,
            _flag(d.paid_online),
            _csv_moment(d.returned_at, MIDNIGHT),
            _flag(_result_returned(d.status, d.returned_at, d.return_tracked)),
        ]


def _flag(value: bool | None) -> int | str:
    return "" if value is None else int(value)


def csv_lines(queryset) -> Iterator[str]:
    """The exchange CSV of the dossiers of `queryset`, line by line (a streamed response)."""
    writer = CsvWriter()
    for row in export_rows(queryset):
        yield writer.writerow(row)


def write_csv(queryset, stream) -> int:
    """Write the dossiers of `queryset` as the exchange CSV; returns how many were written."""
    writer = CsvWriter(stream)
    count = -1
    for count, row in enumerate(export_rows(queryset)):  # noqa: B007
        writer.writerow(row)
    return max(count, 0)
