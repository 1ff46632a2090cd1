"""Reading the figures back out of the rendered documents, the way a person reads them."""

from __future__ import annotations

import io
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import docx
import formulas
import openpyxl

from cchc.reports.period_report.tables import DIGITIZATION_COLUMNS, DOSSIER_COLUMNS, ONLINE_COLUMNS
from tests.conftest import SHARED

# The shared comparer of published figures: integers exact, rates at their printed precision.
sys.path.insert(0, str(SHARED / "tools"))
from compare_stats import compare

__all__ = ["compare"]

ONLINE_ROWS = {"Một phần": "partial", "Toàn trình": "full"}
LEVELS = {"cấp tỉnh": "province", "cấp huyện": "district", "cấp xã": "commune"}


def vi_number(text: str) -> Decimal | None:
    """ "1.234" → 1234, "84,17" → 84.17, "84,17%" → 84.17; "" or "-" → None."""
    text = text.strip().rstrip("%").strip()
    if text in ("", "-"):
        return None
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?", text):
        raise ValueError(f"not a number written the Vietnamese way: {text!r}")
    return Decimal(text.replace(".", "").replace(",", "."))


def as_json_number(value: Decimal | None):
    """An integer as int (compare_stats compares ints exactly), a decimal as it is."""
    if value is None:
        return None
    return int(value) if value == value.to_integral() and value.as_tuple().exponent >= 0 else value


# --- DOCX -------------------------------------------------------------------------------


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def docx_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def docx_table(document, label_header: str, group: str):
    """The table whose label column is headed `label_header` and first group is `group`."""
    for table in document.tables:
        cells = table.rows[0].cells
        if len(cells) > 2 and cells[1].text == label_header and cells[2].text == group:
            return table
    raise AssertionError(f"no table headed {label_header!r} / {group!r}")


def docx_rows(table, columns) -> list[tuple[str, dict]]:
    """(label, {column key: figure}) of every body row, read from the printed text."""
    rows = []
    for row in table.rows[2:]:
        cells = [c.text for c in row.cells]
        if set(cells[2:]) == {cells[1]}:  # a section heading spans the row
            rows.append((cells[1], {}))
            continue
        values = {
            column.key: as_json_number(vi_number(text))
            for column, text in zip(columns, cells[2:], strict=True)
        }
        rows.append((cells[1], values))
    return rows


def figures_from_docx(document) -> dict:
    """A statistics-shaped dict of every figure the DOCX prints in its tables and sentences."""
    text = docx_text(document)
    field_rows = docx_rows(docx_table(document, "Lĩnh vực", "Số hồ sơ tiếp nhận"), DOSSIER_COLUMNS)
    every = dict(field_rows[-1][1])
    online = re.search(r"Tỷ lệ hồ sơ trực tuyến đạt ([\d.,]+)% \(([\d.]+)/([\d.]+) hồ sơ\)", text)
    every.update(
        online_rate=as_json_number(vi_number(online[1])),
        online=as_json_number(vi_number(online[2])),
        online_eligible=as_json_number(vi_number(online[3])),
        received_in_period=every["online"] + every["direct_postal"],
    )
    by_level = {}
    for match in re.finditer(r"(cấp \w+): ([\d.,]+)% \(([\d.]+)/([\d.]+) hồ sơ\)", text):
        by_level[LEVELS[match[1]]] = {
            "online_rate": as_json_number(vi_number(match[2])),
            "online": as_json_number(vi_number(match[3])),
            "online_eligible": as_json_number(vi_number(match[4])),
        }
    try:
        level_table = docx_table(document, "Cấp", "Số hồ sơ tiếp nhận")
    except AssertionError:
        level_table = None
    if level_table is not None:
        for label, values in docx_rows(level_table, DOSSIER_COLUMNS)[:-1]:
            by_level.setdefault(LEVELS[label.lower()], {}).update(
                values, resolved_in_time=values["early"] + values["on_time"]
            )
    digitization_table = docx_table(document, "Đơn vị", "Số hóa hồ sơ khi tiếp nhận")
    online_rows = docx_rows(
        docx_table(document, "Mức độ trực tuyến", "Dịch vụ công trực tuyến"), ONLINE_COLUMNS
    )
    return {
        "dossiers": {
            "all": every,
            "by_field": dict(field_rows[:-1]),
            "by_level": by_level,
        },
        "digitization": docx_rows(digitization_table, DIGITIZATION_COLUMNS)[0][1],
        "online_services": _online_services(online_rows),
    }


def _online_services(rows: list[tuple[str, dict]]) -> dict:
    """The online-services table read back: by online level, and by level when it has sections."""
    result: dict = {"by_level": {}}
    section = None
    for label, values in rows:
        if label in ONLINE_ROWS:
            target = result["by_level"][section] if section else result
            target[ONLINE_ROWS[label]] = values
        elif label not in ("Cộng", "Tổng cộng"):
            section = LEVELS[label.lower()]
            result["by_level"][section] = {}
    if result["by_level"]:
        for lvl in ONLINE_ROWS.values():
            result[lvl] = {
                key: sum(levels[lvl][key] or 0 for levels in result["by_level"].values())
                for key in result["by_level"][next(iter(result["by_level"]))][lvl]
                if not key.endswith("rate")
            }
    return result


# --- XLSX -------------------------------------------------------------------------------


def recalculated(data: bytes) -> dict[tuple[str, str], object]:
    """Every cell of the workbook with its formulas evaluated (by the `formulas` package):
    {(sheet title, "C7"): value}."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.xlsx"
        path.write_bytes(data)
        solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    titles = {title.upper(): title for title in openpyxl.load_workbook(io.BytesIO(data)).sheetnames}
    values = {}
    for key, ranges in solution.items():
        match = re.fullmatch(r"'\[[^\]]+\](.+)'!([A-Z]+\d+)", key)
        if match:
            value = ranges.value[0, 0]
            values[(titles[match[1]], match[2])] = value.item() if hasattr(value, "item") else value
    return values


def sheet_rows(data: bytes, title: str, columns, first_row: int = 7) -> list[tuple[str, dict]]:
    """(label, {key: value}) of the body rows of sheet `title`, formulas evaluated; rates
    (fractions in the sheet) turned back into percentages."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[title]
    values = recalculated(data)
    rows = []
    for r in range(first_row, sheet.max_row + 1):
        label = sheet.cell(r, 2).value
        if not label or label.startswith("(Số liệu"):
            continue
        row = {}
        for i, column in enumerate(columns):
            letter = openpyxl.utils.get_column_letter(3 + i)
            value = values.get((title, f"{letter}{r}"))
            if value in ("", None):
                row[column.key] = None
            elif column.is_rate:
                row[column.key] = Decimal(str(value)) * 100
            else:
                row[column.key] = int(value)
        rows.append((label, row))
    return rows
