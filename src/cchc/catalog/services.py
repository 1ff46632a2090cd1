"""Loading the procedure catalogue from procedures.csv."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.csvfiles import read_table, row_is_ragged

from .constants import OnlineLevel, TimeUnit
from .models import Field, Procedure

COLUMNS = ("code", "name", "field", "level", "processing_days", "online_level", "fee")


@dataclass
class CatalogReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _parse(row: dict) -> dict:
    if not row["code"] or not row["name"] or not row["field"] or not row["level"]:
        raise ValueError(_("thiếu mã, tên, lĩnh vực hoặc cấp"))
    raw_time = row["processing_days"].lower().replace(",", ".")
    unit = TimeUnit.WORKING_DAYS
    if raw_time.endswith("h"):
        unit, raw_time = TimeUnit.WORKING_HOURS, raw_time[:-1]
    try:
        time = Decimal(raw_time or "0")
    except InvalidOperation:
        raise ValueError(
            _("thời hạn %(v)r không phải số") % {"v": row["processing_days"]}
        ) from None
    if time < 0:
        raise ValueError(_("thời hạn không được âm"))
    online = row["online_level"] or OnlineLevel.NONE
    if online not in OnlineLevel.values:
        raise ValueError(
            _("mức độ trực tuyến %(v)r không hợp lệ (none, partial, full)") % {"v": online}
        )
    try:
        fee = int(row["fee"] or 0)
    except ValueError:
        raise ValueError(_("phí %(v)r không phải số nguyên") % {"v": row["fee"]}) from None
    return {
        "name": row["name"],
        "level": row["level"],
        "processing_time": time,
        "time_unit": unit,
        "online_level": online,
        "fee": fee,
        "field_name": row["field"],
    }


@transaction.atomic
def import_procedures_csv(data: bytes) -> CatalogReport:
    """Load procedures.csv (code,name,field,level,processing_days,online_level,fee); processing
    time in working days, or working hours with an 'h' suffix ("4h")."""
    report = CatalogReport()
    _header, rows = read_table(data, COLUMNS)
    fields = {f.name: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.all()}
    for line, raw in rows:
        if row_is_ragged(raw):
            report.errors.append(_("dòng %(l)d: số cột không khớp tiêu đề") % {"l": line})
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        try:
            values = _parse(row)
        except ValueError as exc:
            report.errors.append(_("dòng %(l)d: %(e)s") % {"l": line, "e": exc})
            continue
        name = values.pop("field_name")
        if name not in fields:
            fields[name] = Field.objects.create(name=name)
        values["field"] = fields[name]
        procedure = existing.get(row["code"])
        if procedure is None:
            existing[row["code"]] = Procedure.objects.create(code=row["code"], **values)
            report.created += 1
            continue
        if all(getattr(procedure, k) == v for k, v in values.items()):
            report.unchanged += 1
            continue
        for k, v in values.items():
            setattr(procedure, k, v)
        procedure.save()
        report.updated += 1
    if report.errors:
        transaction.set_rollback(True)
    return report
