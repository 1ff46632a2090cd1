"""Reading seed 003's appendix (Biểu mẫu 1-7) as printed, for the tests that compare with it."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from tests.conftest import SHARED

DATA = Path(__file__).resolve().parent / "data"

# The page header repeated on every page of the forms' tables.
HEADER_LINES = {
    "STT",
    "Chỉ tiêu thống kê",
    "STT Chỉ tiêu thống kê",
    "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
    "Kết quả thống kê Ghi chú",
    "Đơn vị tính Số liệu",
}
# Form 2 carries two footnotes: their markers are glued to the words ("VBQPPL3", "hành4") and
# the text of footnote 3 is printed at the foot of the page, inside the last row's cell.
FOOTNOTE_MARKERS = {"VBQPPL3": "VBQPPL", "hành4": "hành"}
FOOTNOTE_LINE = re.compile(r"^3 Quyết định số 02/2022/QĐ-UBND")
FORM_HEADING = re.compile(r"^Biểu mẫu (\d+)$")


def seed_path() -> Path:
    [path] = (SHARED / "seeds").glob("003_*.txt")
    return path


def printed_forms() -> dict[int, list[str]]:
    """Each form's lines as printed (stripped, non-empty), page headers and footnotes removed.
    The first line is the form's title."""
    lines = seed_path().read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Phụ lục 1")
    forms: dict[int, list[str]] = {}
    current: list[str] | None = None
    for raw in lines[start:]:
        line = " ".join(raw.split())
        if not line or line in HEADER_LINES or FOOTNOTE_LINE.match(line):
            continue
        heading = FORM_HEADING.match(line)
        if heading:
            current = forms.setdefault(int(heading.group(1)), [])
            continue
        if current is not None:
            for marker, word in FOOTNOTE_MARKERS.items():
                line = line.replace(marker, word)
            current.append(line)
    return forms


def printed_values() -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """The transcribed values (as printed strings) and value notes, by form and row code."""
    doc = json.loads((DATA / "seed003_printed_values.json").read_text(encoding="utf-8"))
    values = {int(form): rows for form, rows in doc["values"].items()}
    notes = {int(form): rows for form, rows in doc["notes"].items()}
    return values, notes


def vn_number(text: str) -> Decimal:
    """A number as Vietnamese documents print it: 5,2 → 5.2; 109.442 → 109442; 100% → 100."""
    text = text.strip().rstrip("%").strip()
    return Decimal(text.replace(".", "").replace(",", "."))
