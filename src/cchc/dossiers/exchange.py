"""The dossier CSV of exchange-format.md §1: import (validated, idempotent) and export.

A row is stored whole (dossier, its pause, its event) or not at all. Rows are validated in
Python first; valid rows are written in chunks inside one transaction per chunk, and a chunk
that the database refuses is retried row by row so one bad row cannot take others with it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.constants import OnlineLevel
from cchc.catalog.models import Field, Procedure
from cchc.csvfiles import CsvFileError, read_table, row_is_ragged
from cchc.org.models import Unit
from cchc.workcalendar import calendar

from .clock import legal_due, local_date
from .constants import (
    CSV_STATUS_OF,
    OUTCOME_OF_STATUS,
    STATUS_OF_CSV,
    Channel,
    Digitization,
    EventAction,
)
from .models import Dossier, DossierEvent, DossierPause, timeliness_of

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
)
REQUIRED = ("code", "unit_code", "field", "channel", "received_at", "status")
VN_TZ = calendar.VN_TZ
CHUNK = 2000


ImportFileError = CsvFileError  # the file as a whole cannot be read (exit status 2)


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("dòng %(line)d") % {"line": self.line}
        if self.column:
            where += ", " + _("cột %(column)s") % {"column": self.column}
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({e.line for e in self.errors})

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


def parse_moment(value: str, column: str, *, default_time: dt.time = dt.time(0, 0)) -> dt.datetime:
    """A date (YYYY-MM-DD, taken at `default_time`) or an ISO date-time, in Vietnam time
    unless an offset is given."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), default_time, tzinfo=VN_TZ)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _RowInvalid(
            column,
            _("ngày không hợp lệ %(value)r (cần dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)")
            % {"value": value},
        ) from None
    if "T" not in text and " " not in text:
        raise _RowInvalid(column, _("ngày không hợp lệ %(value)r") % {"value": value})
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def _flag(value: str, column: str) -> bool | None:
    text = value.strip()
    if text == "":
        return None
    if text in ("1", "0"):
        return text == "1"
    raise _RowInvalid(column, _("giá trị %(value)r không hợp lệ (cần 1 hoặc 0)") % {"value": value})


def _choice(value: str, column: str, choices: Iterable[str]) -> str:
    text = value.strip()
    allowed = list(choices)
    if text not in allowed:
        raise _RowInvalid(
            column,
            _("giá trị %(value)r không hợp lệ (cần một trong: %(allowed)s)")
            % {"value": value, "allowed": ", ".join(allowed)},
        )
    return text


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


# ---------------------------------------------------------------------------- rows


@dataclass
class ParsedRow:
    line: int
    code: str
    values: dict  # Dossier field values
    pause_started_at: dt.datetime | None
    due_given: bool

    def comparable(self) -> dict:
        keys = [k for k in COMPARED if k != "due_at" or self.due_given]
        out = {k: self.values.get(k) for k in keys}
        out["paused_at"] = self.pause_started_at
        return out


COMPARED = (
    "unit_id",
    "procedure_id",
    "field_id",
    "channel",
    "online_level",
    "received_at",
    "due_at",
    "csv_status",
    "ended_at",
    "input_digitization",
    "result_digitized",
    "fee",
    "paid_online",
)


class _Lookups:
    """Caches of units, procedures and fields for one import run."""

    def __init__(self, report: ImportReport) -> None:
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.procedures = {p.code: p for p in Procedure.objects.select_related("field")}
        self.fields = dict(Field.objects.values_list("name", "pk"))
        self.report = report

    def field_id(self, name: str) -> int:
        if name not in self.fields:
            self.fields[name] = Field.objects.get_or_create(name=name)[0].pk
            self.report.warnings.append(
                _("Lĩnh vực mới %(name)r đã được thêm vào danh mục.") % {"name": name}
            )
        return self.fields[name]


def parse_row(raw: dict, line: int, lookups: _Lookups, today: dt.date) -> ParsedRow:
    if row_is_ragged(raw):
        raise _RowInvalid("", _("số cột của dòng không khớp với dòng tiêu đề"))
    row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    for column in REQUIRED:
        if not row.get(column):
            raise _RowInvalid(column, _("thiếu giá trị bắt buộc"))
    code = row["code"]
    if len(code) > 64:
        raise _RowInvalid("code", _("mã hồ sơ dài quá 64 ký tự"))

    unit_id = lookups.units.get(row["unit_code"])
    if unit_id is None:
        raise _RowInvalid(
            "unit_code",
            _("không có đơn vị mã %(code)r trong cây đơn vị") % {"code": row["unit_code"]},
        )
    procedure = None
    if row.get("procedure_code"):
        procedure = lookups.procedures.get(row["procedure_code"])
        if procedure is None:
            raise _RowInvalid(
                "procedure_code",
                _("không có thủ tục mã %(code)r trong danh mục") % {"code": row["procedure_code"]},
            )
    channel = _choice(row["channel"], "channel", Channel.values)
    online_level = row.get("online_level", "")
    if online_level:
        online_level = _choice(online_level, "online_level", OnlineLevel.values)
    else:
        online_level = procedure.online_level if procedure else OnlineLevel.NONE
    csv_status = _choice(row["status"], "status", STATUS_OF_CSV)

    received_at = parse_moment(row["received_at"], "received_at")
    received_date = local_date(received_at)
    if received_date > today:
        raise _RowInvalid(
            "received_at",
            _("ngày tiếp nhận %(d)s ở tương lai") % {"d": f"{received_date:%d/%m/%Y}"},
        )

    def not_before_receipt(moment: dt.datetime, column: str) -> dt.datetime:
        if local_date(moment) < received_date:
            raise _RowInvalid(
                column,
                _("ngày %(d)s trước ngày tiếp nhận %(r)s")
                % {"d": f"{local_date(moment):%d/%m/%Y}", "r": f"{received_date:%d/%m/%Y}"},
            )
        if local_date(moment) > today:
            raise _RowInvalid(
                column, _("ngày %(d)s ở tương lai") % {"d": f"{local_date(moment):%d/%m/%Y}"}
            )
        return moment

    due_given = bool(row.get("due_at"))
    if due_given:
        due_at = parse_moment(row["due_at"], "due_at", default_time=office_close_time())
        if local_date(due_at) < received_date:
            raise _RowInvalid(
                "due_at",
                _("ngày hẹn trả %(d)s trước ngày tiếp nhận %(r)s")
                % {"d": f"{local_date(due_at):%d/%m/%Y}", "r": f"{received_date:%d/%m/%Y}"},
            )
    else:
        due_at = legal_due(procedure, received_at)
    due_date = local_date(due_at)

    ended_at = None
    pause_started_at = None
    for column, wanted in (("resolved_at", "resolved"), ("closed_at", ("rejected", "withdrawn"))):
        if row.get(column) and csv_status not in (
            wanted if isinstance(wanted, tuple) else (wanted,)
        ):
            raise _RowInvalid(
                column,
                _("trạng thái %(status)r không đi cùng giá trị %(column)s")
                % {"status": csv_status, "column": column},
            )
    if csv_status == "resolved":
        if not row.get("resolved_at"):
            raise _RowInvalid("resolved_at", _("hồ sơ đã giải quyết phải có ngày giải quyết"))
        ended_at = not_before_receipt(
            parse_moment(row["resolved_at"], "resolved_at"), "resolved_at"
        )
    elif csv_status in ("rejected", "withdrawn"):
        if not row.get("closed_at"):
            raise _RowInvalid("closed_at", _("hồ sơ từ chối hoặc rút phải có ngày kết thúc"))
        ended_at = not_before_receipt(parse_moment(row["closed_at"], "closed_at"), "closed_at")
    elif csv_status == "paused":
        if not row.get("paused_at"):
            raise _RowInvalid("paused_at", _("hồ sơ tạm dừng phải có ngày bắt đầu tạm dừng"))
        pause_started_at = not_before_receipt(
            parse_moment(row["paused_at"], "paused_at"), "paused_at"
        )
    elif row.get("paused_at"):
        raise _RowInvalid("paused_at", _("chỉ hồ sơ tạm dừng (paused) mới có ngày tạm dừng"))

    digitization = row.get("input_digitization", "")
    if digitization:
        digitization = _choice(digitization, "input_digitization", Digitization.values)
    fee = None
    if row.get("fee"):
        try:
            fee = int(row["fee"])
        except ValueError:
            raise _RowInvalid(
                "fee", _("phí %(v)r không phải số nguyên") % {"v": row["fee"]}
            ) from None
        if fee < 0:
            raise _RowInvalid("fee", _("phí không được âm"))

    status = STATUS_OF_CSV[csv_status]
    ended_date = local_date(ended_at) if ended_at else None
    values = {
        "code": code,
        "unit_id": unit_id,
        "procedure_id": procedure.pk if procedure else None,
        "field_id": lookups.field_id(row["field"]),
        "channel": channel,
        "online_level": online_level,
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
        "input_digitization_given": bool(digitization),
        "result_digitized": _flag(row.get("result_digitized", ""), "result_digitized"),
        "fee": fee,
        "paid_online": _flag(row.get("paid_online", ""), "paid_online"),
    }
    return ParsedRow(line, code, values, pause_started_at, due_given)


def stored_comparable(
    dossier: Dossier, open_pause_start: dt.datetime | None, keys: Iterable[str]
) -> dict:
    out = {}
    for key in keys:
        if key == "paused_at":
            continue
        if key == "csv_status":
            out[key] = CSV_STATUS_OF[dossier.status]
        elif key == "input_digitization":
            out[key] = (
                dossier.input_digitization
                if dossier.input_digitization_given
                else Digitization.NONE
            )
        else:
            out[key] = getattr(dossier, key)
    out["paused_at"] = open_pause_start
    return out


def _describe_difference(stored: dict, new: dict) -> str:
    diffs = [k for k in new if stored.get(k) != new.get(k)]
    return ", ".join(diffs)


# ---------------------------------------------------------------------------- import


def import_dossiers(data: bytes, *, actor=None, source: str = "") -> ImportReport:
    """Import a dossier CSV (bytes). Raises ImportFileError when the file cannot be read."""
    report = ImportReport()
    header, rows = read_table(data, REQUIRED)
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        report.warnings.append(
            _("Bỏ qua các cột không biết: %(cols)s") % {"cols": ", ".join(unknown)}
        )
    lookups = _Lookups(report)
    today = timezone.localdate() if timezone.is_aware(timezone.now()) else dt.date.today()
    seen_in_file: dict[str, ParsedRow] = {}
    batch: list[ParsedRow] = []
    for line, raw in rows:
        try:
            parsed = parse_row(raw, line, lookups, today)
        except _RowInvalid as exc:
            report.errors.append(RowError(line, exc.column, exc.reason))
            continue
        earlier = seen_in_file.get(parsed.code)
        if earlier is not None:
            if earlier.comparable() == parsed.comparable():
                report.unchanged += 1
            else:
                report.errors.append(
                    RowError(
                        line,
                        "code",
                        _("mã hồ sơ %(code)r đã có ở dòng %(other)d với dữ liệu khác (%(cols)s)")
                        % {
                            "code": parsed.code,
                            "other": earlier.line,
                            "cols": _describe_difference(earlier.comparable(), parsed.comparable()),
                        },
                    )
                )
            continue
        seen_in_file[parsed.code] = parsed
        batch.append(parsed)
        if len(batch) >= CHUNK:
            _store_batch(batch, report, actor, source)
            batch = []
    if batch:
        _store_batch(batch, report, actor, source)
    report.errors.sort(key=lambda e: e.line)
    return report


def _store_batch(batch: list[ParsedRow], report: ImportReport, actor, source: str) -> None:
    existing = {d.code: d for d in Dossier.objects.filter(code__in=[p.code for p in batch])}
    open_pauses = dict(
        DossierPause.objects.filter(
            dossier__code__in=list(existing), resumed_at__isnull=True
        ).values_list("dossier__code", "started_at")
    )
    new_rows = []
    for parsed in batch:
        stored = existing.get(parsed.code)
        if stored is None:
            new_rows.append(parsed)
            continue
        new = parsed.comparable()
        old = stored_comparable(stored, open_pauses.get(parsed.code), new.keys())
        if old == new:
            report.unchanged += 1
        else:
            report.errors.append(
                RowError(
                    parsed.line,
                    "code",
                    _(
                        "mã hồ sơ %(code)r đã có trong hệ thống với dữ liệu khác (%(cols)s); không ghi đè"
                    )
                    % {"code": parsed.code, "cols": _describe_difference(old, new)},
                )
            )
    if not new_rows:
        return
    try:
        with transaction.atomic():
            _insert(new_rows, actor, source)
        report.imported += len(new_rows)
    except IntegrityError:
        for parsed in new_rows:
            try:
                with transaction.atomic():
                    _insert([parsed], actor, source)
                report.imported += 1
            except IntegrityError as exc:
                report.errors.append(
                    RowError(parsed.line, "", _("cơ sở dữ liệu từ chối dòng: %(e)s") % {"e": exc})
                )


def _insert(rows: list[ParsedRow], actor, source: str) -> None:
    now = timezone.now()
    dossiers = []
    for parsed in rows:
        values = {k: v for k, v in parsed.values.items() if k != "csv_status"}
        dossiers.append(Dossier(**values))
    Dossier.objects.bulk_create(dossiers)
    if any(d.pk is None for d in dossiers):  # a backend that does not return keys
        ids = dict(
            Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "pk")
        )
        for d in dossiers:
            d.pk = ids[d.code]
    pauses = [
        DossierPause(
            dossier_id=d.pk,
            started_at=p.pause_started_at,
            started_date=local_date(p.pause_started_at),
            reason=_("Chờ bổ sung (nhập từ tệp)"),
        )
        for d, p in zip(dossiers, rows, strict=True)
        if p.pause_started_at is not None
    ]
    DossierPause.objects.bulk_create(pauses)
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier_id=d.pk,
                at=now,
                actor=actor,
                action=EventAction.IMPORTED,
                to_status=d.status,
                data={"line": p.line, "source": source} if source else {"line": p.line},
            )
            for d, p in zip(dossiers, rows, strict=True)
        ]
    )


# ---------------------------------------------------------------------------- export


def export_rows(queryset) -> Iterator[list[str]]:
    """CSV rows (header first) for the dossiers of `queryset`, in the import format."""
    open_pause = DossierPause.objects.filter(
        dossier=OuterRef("pk"), resumed_at__isnull=True
    ).values("started_at")[:1]
    qs = (
        queryset.select_related("unit", "procedure", "field")
        .annotate(open_pause_started_at=Subquery(open_pause))
        .order_by("code")
    )
    close_time = office_close_time()
    midnight = dt.time(0, 0)
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
            _csv_moment(d.received_at, midnight),
            _csv_moment(d.due_at, close_time),
            csv_status,
            _csv_moment(d.ended_at, midnight) if csv_status == "resolved" else "",
            _csv_moment(d.ended_at, midnight) if csv_status in ("rejected", "withdrawn") else "",
            _csv_moment(d.open_pause_started_at, midnight) if csv_status == "paused" else "",
            d.input_digitization if d.input_digitization_given else "",
            "" if d.result_digitized is None else str(int(d.result_digitized)),
            "" if d.fee is None else str(d.fee),
            "" if d.paid_online is None else str(int(d.paid_online)),
        ]


def write_csv(queryset, stream) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    count = -1
    for count, row in enumerate(export_rows(queryset)):  # noqa: B007
        writer.writerow(row)
    return max(count, 0)
