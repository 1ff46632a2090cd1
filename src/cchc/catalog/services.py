"""Loading the procedure catalogue from procedures.csv (all or nothing)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.commands import ImportReport
from cchc.csvfiles import RowError, open_table
from cchc.org.models import Unit

from .constants import OnlineLevel, TimeUnit
from .models import Field, Procedure

COLUMNS = ("code", "name", "field", "level", "processing_days", "online_level", "fee")
# Working days ("10", "0,5"), or working hours with an 'h' suffix ("4h"); empty is 0.
_PROCESSING_TIME = re.compile(r"(\d{1,5})(?:[.,](\d{1,2}))?\s*([hH]?)")
ONLINE_LEVELS = tuple(OnlineLevel.values)
MAX_FEE = 2**63 - 1


# What an import of the catalogue did.
CatalogReport = ImportReport


def _parse(line: int, row: dict[str, str]) -> tuple[dict | None, list[RowError]]:
    """The procedure's values (field given by name), or None and every problem of the row."""
    problems = []

    def fail(column: str, reason: str) -> None:
        problems.append(RowError(line, column, reason))

    for column in ("code", "name", "field", "level"):
        if not row[column]:
            fail(column, _("thiếu giá trị bắt buộc"))
    for column, limit in (("code", 64), ("name", 500), ("field", 255), ("level", 32)):
        if len(row[column]) > limit:
            fail(column, _("dài quá %(n)d ký tự") % {"n": limit})
    time, unit = Decimal(0), TimeUnit.WORKING_DAYS
    match = _PROCESSING_TIME.fullmatch(row["processing_days"])
    if match:
        whole, fraction, hours = match.groups()
        time = Decimal(f"{whole}.{fraction or 0}")
        if hours:
            unit = TimeUnit.WORKING_HOURS
    elif row["processing_days"]:
        fail(
            "processing_days",
            _(
                "thời hạn %(v)r không hợp lệ: cần số ngày làm việc (ví dụ 10 hoặc 0,5) hoặc số "
                "giờ làm việc có hậu tố h (ví dụ 4h)"
            )
            % {"v": row["processing_days"]},
        )
    online = row["online_level"] or OnlineLevel.NONE
    if online not in ONLINE_LEVELS:
        fail(
            "online_level",
            _("mức độ trực tuyến %(v)r không hợp lệ (cần một trong: %(allowed)s)")
            % {"v": online, "allowed": ", ".join(ONLINE_LEVELS)},
        )
    fee = 0
    if row["fee"]:
        if row["fee"].isascii() and row["fee"].isdigit() and int(row["fee"]) <= MAX_FEE:
            fee = int(row["fee"])
        else:
            fail(
                "fee",
                _("phí %(v)r không phải số đồng nguyên không âm (viết liền, ví dụ 50000)")
                % {"v": row["fee"]},
            )
    if problems:
        return None, problems
    return {
        "name": row["name"],
        "level": row["level"],
        "processing_time": time,
        "time_unit": unit,
        "online_level": online,
        "fee": fee,
        "field_name": row["field"],
    }, []


@transaction.atomic
def import_procedures_csv(data: bytes, owner: Unit | None = None) -> CatalogReport:
    """Load procedures.csv (code,name,field,level,processing_days,online_level,fee); processing
    time in working days, or working hours with an 'h' suffix ("4h"). Loaded whole or not at
    all; raises CsvFileError when the file cannot be read. `owner`: the unit (a province)
    whose catalogue the file is; None loads the shared catalogue."""
    report = CatalogReport()
    table = open_table(data, COLUMNS)
    report.warnings += table.unknown_columns_warnings(COLUMNS)
    errors: list[RowError] = []
    fields = {f.name: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.filter(owner=owner)}
    seen: dict[str, tuple[int, dict]] = {}
    for line, row in table.full_rows(errors):
        parsed, problems = _parse(line, row)
        if problems:
            errors.extend(problems)
            continue
        code = row["code"]
        earlier = seen.get(code)
        if earlier is not None:
            if earlier[1] != parsed:
                errors.append(
                    RowError(
                        line,
                        "code",
                        _("mã thủ tục %(code)r đã có ở dòng %(other)d với dữ liệu khác")
                        % {"code": code, "other": earlier[0]},
                    )
                )
            continue
        seen[code] = (line, dict(parsed))
        if errors:
            continue  # the file will not be loaded: only look for more errors
        name = parsed.pop("field_name")
        if name not in fields:
            fields[name] = Field.objects.create(name=name)
        parsed["field"] = fields[name]
        procedure = existing.get(code)
        if procedure is None:
            existing[code] = Procedure.objects.create(code=code, owner=owner, **parsed)
            report.created += 1
        elif all(getattr(procedure, k) == v for k, v in parsed.items()):
            report.unchanged += 1
        else:
            for k, v in parsed.items():
                setattr(procedure, k, v)
            procedure.save()
            report.updated += 1
    if errors:
        report.errors = [str(e) for e in sorted(errors, key=lambda e: e.line)]
        transaction.set_rollback(True)
    return report
