"""Reading the reform plan's workbook back (the columns of plan_columns.py, as plan_export.py
writes them) and loading it: the columns are found by their headings, so the seed's eight-column
table imports as it is; it is all or nothing, every problem listed with its row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cchc.org.models import Unit
from cchc.reports.numbers import DOCUMENT_LANGUAGE
from cchc.text import fold

from .constants import AREA_ORDER, AssignedFrom, TaskStatus
from .models import PlanTask, ReformPlan
from .plan_columns import DATE, HEADINGS, RECURRING, ROMAN
from .services import (
    TASK_FIELDS,
    check_task,
    record_task_change,
    require_plan_editor,
    task_state,
)

PERCENT_PLACES = Decimal("0.01")
_MONTH = re.compile(r"^tháng\s+(\d{1,2})\s*/\s*(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^quý\s+(\d|i{1,3}|iv)\s*/\s*(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^năm\s+(\d{4})$", re.IGNORECASE)
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str) -> tuple[dt.date | None, bool]:
    """(deadline, recurring) of a "Thời gian hoàn thành" cell: "Thường xuyên" is recurring;
    "Tháng 01/2023" is due by 31/01/2023, "Quý 2/2023" by 30/06/2023, "Năm 2023" by 31/12/2023,
    "15/3/2023" that day; anything else ("Theo kế hoạch kiểm tra của cấp trên") has no date."""
    text = " ".join(text.split())
    if fold(text) == fold(RECURRING):
        return None, True
    try:
        if m := _MONTH.match(text):
            return _month_end(int(m.group(2)), int(m.group(1))), False
        if m := _QUARTER.match(text):
            return _month_end(int(m.group(2)), 3 * _QUARTERS[m.group(1).lower()]), False
        if m := _YEAR.match(text):
            return dt.date(int(m.group(1)), 12, 31), False
        if m := DATE.match(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), False
    except ValueError:
        return None, False
    return None, False


def parse_status(text: str) -> str:
    """ "Đã ban hành", "Đã thực hiện", "Đã hoàn thành" → done; "Đang ..." → in progress."""
    folded = fold(" ".join(text.split()))
    if folded.startswith("da ") or folded == fold(TaskStatus.DONE.label):
        return TaskStatus.DONE
    if folded.startswith("dang "):
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


@dataclass
class PlanImport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class PlanFileError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _percent(cell) -> Decimal | None:
    value = cell.value
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if "%" in (cell.number_format or ""):
            number *= 100
    else:
        number = Decimal(_text(value).rstrip("%").strip().replace(",", "."))
    return number.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if m := DATE.match(_text(value)):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    raise ValueError(value)


def _assigned_from(text: str) -> str:
    folded = fold(text)
    for choice in AssignedFrom:
        if folded in (fold(choice.value), fold(str(choice.label))):
            return choice.value
    raise ValueError(text)


def _header(ws) -> tuple[int, dict[int, str]]:
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 15)):
        columns = {
            cell.column: HEADINGS[fold(_text(cell.value))]
            for cell in row
            if fold(_text(cell.value)) in HEADINGS
        }
        if "content" in columns.values():
            return row[0].row, columns
    raise PlanFileError(_("Không tìm thấy dòng tiêu đề có cột “Nội dung”."))


def read_plan(*args, **kwargs):
    """Read a plan workbook (see _read_plan), with Vietnamese headings and values."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _read_plan(*args, **kwargs)


def _read_plan(data: bytes) -> tuple[list[dict], list[str]]:
    """The tasks of a plan workbook (field dicts, in order) and the problems found."""
    try:
        ws = load_workbook(io.BytesIO(data), data_only=True).active
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise PlanFileError(_("Không đọc được tệp XLSX: %(err)s") % {"err": exc}) from exc
    header_row, columns = _header(ws)
    tasks: list[dict] = []
    errors: list[str] = []
    area = None
    for cells in ws.iter_rows(min_row=header_row + 1):
        values = {columns[c.column]: c for c in cells if c.column in columns}
        first = _text(cells[0].value) if cells else ""
        content = _text(values["content"].value) if "content" in values else ""
        line = cells[0].row if cells else header_row
        if first.upper() in ROMAN:
            area = AREA_ORDER[ROMAN.index(first.upper())]
            continue
        if not content:
            continue
        if area is None:
            errors.append(_("Dòng %(n)d: nhiệm vụ nằm ngoài mục I–VII.") % {"n": line})
            continue

        def get(key: str, values=values) -> str:
            return _text(values[key].value) if key in values else ""

        deadline, recurring = parse_deadline(get("deadline"))
        task = {
            "area": area,
            "order": len(tasks) + 1,
            "content": content,
            "responsible": get("responsible"),
            "coordinating": get("coordinating"),
            "deadline": deadline,
            "recurring": recurring,
            "deadline_text": "" if recurring or not get("deadline") else get("deadline"),
            "output": get("output"),
            "status": parse_status(get("status")),
            "status_text": get("status"),
            "note": get("note"),
            "assigned_from": AssignedFrom.SELF,
            "percent_done": None,
            "done_on": None,
        }
        if task["deadline"] and DATE.match(task["deadline_text"]):
            task["deadline_text"] = ""
        if fold(task["status_text"]) == fold(str(TaskStatus(task["status"]).label)):
            task["status_text"] = ""
        try:
            task["percent_done"] = (
                _percent(values["percent_done"]) if "percent_done" in values else None
            )
        except InvalidOperation:
            errors.append(
                _("Dòng %(n)d: tỷ lệ hoàn thành “%(v)s” không phải là số.")
                % {"n": line, "v": get("percent_done")}
            )
        try:
            task["done_on"] = _date(values["done_on"].value) if "done_on" in values else None
        except ValueError:
            errors.append(
                _("Dòng %(n)d: ngày hoàn thành “%(v)s” không đúng dạng dd/mm/yyyy.")
                % {"n": line, "v": get("done_on")}
            )
        if get("assigned_from"):
            try:
                task["assigned_from"] = _assigned_from(get("assigned_from"))
            except ValueError:
                errors.append(
                    _("Dòng %(n)d: nguồn giao “%(v)s” không hợp lệ.")
                    % {"n": line, "v": get("assigned_from")}
                )
        task["line"] = line
        tasks.append(task)
    return tasks, errors


@transaction.atomic
def import_plan(*, unit: Unit, year: int, data: bytes, user) -> PlanImport:
    """Load the plan of `unit` for `year` from a workbook: tasks matched by area and content
    are updated (their evidence kept), new ones added, the ones no longer listed removed unless
    they carry evidence. All or nothing."""
    require_plan_editor(user, unit)
    result = PlanImport()
    rows, result.errors = read_plan(data)
    plan, _created = ReformPlan.objects.get_or_create(
        unit=unit, year=year, defaults={"title": _("Kế hoạch CCHC năm %(y)s") % {"y": year}}
    )
    existing = {(t.area, fold(t.content)): t for t in plan.tasks.all()}
    seen = set()
    for row in rows:
        line = row.pop("line")
        key = (row["area"], fold(row["content"]))
        task = existing.get(key) or PlanTask(plan=plan)
        before = task_state(task) if task.pk else None
        for name in TASK_FIELDS:
            setattr(task, name, row[name])
        try:
            check_task(task)
        except ValueError as exc:
            result.errors.append(_("Dòng %(n)d: %(err)s") % {"n": line, "err": exc})
            continue
        if task.pk:
            result.updated += 1
        else:
            result.created += 1
        task.save()
        record_task_change(task, user=user, before=before)
        seen.add(key)
    for key, task in existing.items():
        if key in seen:
            continue
        if task.evidence.exists():
            result.warnings.append(
                _("Giữ nhiệm vụ “%(c)s” vì đã có tài liệu minh chứng.") % {"c": task.content[:80]}
            )
        else:
            record_task_change(task, user=user, before=task_state(task), deleted=True)
            task.delete()
            result.deleted += 1
    if result.errors:
        transaction.set_rollback(True)
        result.created = result.updated = result.deleted = 0
    return result
