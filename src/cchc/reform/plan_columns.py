"""The columns of the reform plan's workbook, shared by its export (plan_export.py) and its
import (plan_import.py): the layout of seed 002's appendix ("Tiến độ thực hiện các nhiệm vụ cải
cách hành chính") plus Nguồn giao, Ngày hoàn thành, Ghi chú, which the seed lacks and a round
trip needs; and how a task's deadline is written in its cell.
"""

from __future__ import annotations

import re

from cchc.text import fold

from .models import PlanTask

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
RECURRING = "Thường xuyên"
COLUMNS = (
    ("order", "TT", 6),
    ("content", "Nội dung", 48),
    ("responsible", "Đơn vị thực hiện", 18),
    ("coordinating", "Đơn vị phối hợp", 18),
    ("deadline", "Thời gian hoàn thành", 16),
    ("status", "Đã thực hiện", 16),
    ("output", "Sản phẩm đầu ra", 18),
    ("percent_done", "Tỷ lệ hoàn thành nhiệm vụ", 12),
    ("assigned_from", "Nguồn giao", 16),
    ("done_on", "Ngày hoàn thành", 14),
    ("note", "Ghi chú", 24),
)
HEADINGS = {fold(title): key for key, title, _width in COLUMNS}
# A date written dd/mm/yyyy (or d/m/yyyy) in a cell.
DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def deadline_cell(task: PlanTask) -> str:
    if task.deadline_text:
        return task.deadline_text
    if task.recurring:
        return RECURRING
    return f"{task.deadline:%d/%m/%Y}" if task.deadline else ""
