"""The text of each section of the periodic CCHC report, written from the figures: the plan's
tasks and counts, the dossier statistics (as sentences.py words them) and the forms' values.

A draft is written from live figures; a sent report from the figures frozen with it
(ReportSnapshot), so its text never changes. The officer's edits (ReportSection) win over both.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cchc.reform.constants import AREA_ORDER, Area, TaskStatus
from cchc.reform.models import FormReport, ReportSection, ReportSnapshot
from cchc.reform.selectors import document_figures, report_values
from cchc.reports import sentences
from cchc.reports.numbers import integer, percent, short_date
from cchc.stats.selectors import rate

TOP_DIRECTION = "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
TOP_RESULTS = "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"
TOP_ASSESSMENT = "III. ĐÁNH GIÁ CHUNG"
TOP_NEXT = "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
TOP_PROPOSALS = "V. ĐỀ XUẤT, KIẾN NGHỊ"
AREA_HEADINGS = {
    Area.INSTITUTIONS: "Cải cách thể chế",
    Area.PROCEDURES: "Cải cách thủ tục hành chính",
    Area.ORGANISATION: "Cải cách tổ chức bộ máy hành chính nhà nước",
    Area.CIVIL_SERVICE: "Cải cách chế độ công vụ",
    Area.PUBLIC_FINANCE: "Cải cách tài chính công",
    Area.DIGITAL_GOVERNMENT: "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
}
# Section key → (its part of the report, its own heading inside that part).
SECTION_HEADINGS: dict[str, tuple[str, str]] = {
    "direction": (TOP_DIRECTION, ""),
    **{
        f"area.{area}": (TOP_RESULTS, f"{i}. {AREA_HEADINGS[area]}")
        for i, area in enumerate(AREA_ORDER[1:], 1)
    },
    "strengths": (TOP_ASSESSMENT, "1. Ưu điểm"),
    "limits": (TOP_ASSESSMENT, "2. Tồn tại, hạn chế"),
    "next": (TOP_NEXT, ""),
    "proposals": (TOP_PROPOSALS, ""),
}
SECTION_KEYS = tuple(SECTION_HEADINGS)


def report_figures(report: FormReport) -> dict:
    """The figures frozen with a sent report, or the live ones of a draft."""
    snapshot = ReportSnapshot.objects.filter(report=report).first()
    if snapshot is not None:
        return {"statistics": snapshot.statistics, "plan": snapshot.plan}
    return document_figures(report)


def report_sections(report: FormReport, figures: Mapping | None = None) -> dict[str, str]:
    """Every section's text: the officer's edit where there is one, else the written one."""
    texts = default_sections(report, figures or report_figures(report))
    stored = ReportSection.objects.filter(report=report, key__in=SECTION_KEYS)
    texts.update({section.key: section.text for section in stored})
    return texts


def _count(value: Decimal | None) -> str:
    return integer(int(value or 0))


def _tasks_of(plan: Mapping, area: str) -> list[dict]:
    return [task for task in plan.get("tasks") or [] if task["area"] == area]


def _task_lines(tasks: list[dict]) -> list[str]:
    lines = []
    for task in tasks:
        line = f"- {task['content'].rstrip('.;')}: {task['status_text'].lower()}"
        if task["status"] == TaskStatus.DONE and task["output"]:
            line += f" ({task['output']})"
        lines.append(line + ".")
    return lines


def _area_summary(plan: Mapping, area: str) -> str:
    tasks = _tasks_of(plan, area)
    if not tasks:
        return ""
    done = sum(1 for task in tasks if task["status"] == TaskStatus.DONE)
    return (
        f"Kế hoạch đề ra {integer(len(tasks))} nhiệm vụ, đã hoàn thành {integer(done)} nhiệm vụ"
        f" (đạt {percent(rate(done, len(tasks)))})."
    )


def _direction(report: FormReport, plan: Mapping, values: Mapping) -> str:
    unit_text = f"Ủy ban nhân dân {sentences.unit_in_text(report.unit.name)}"
    lines = []
    counts = plan.get("counts")
    year = plan.get("year")
    if counts:
        lines.append(
            f"{unit_text} đã ban hành Kế hoạch cải cách hành chính năm {year} với "
            f"{integer(counts['tasks'])} nhiệm vụ; đến ngày {short_date(report.period_end)} đã "
            f"hoàn thành {integer(counts['done'])}/{integer(counts['tasks'])} nhiệm vụ (đạt "
            f"{percent(rate(counts['done'], counts['tasks']))})."
        )
        if counts["above.assigned"]:
            lines.append(
                f"Nhiệm vụ cấp trên giao: {integer(counts['above.assigned'])} nhiệm vụ, trong đó "
                f"hoàn thành đúng hạn {integer(counts['above.done_on_time'])}, hoàn thành quá hạn "
                f"{integer(counts['above.done_late'])}, quá hạn chưa hoàn thành "
                f"{integer(counts['above.overdue'])}."
            )
    else:
        lines.append(f"{unit_text} chưa nhập Kế hoạch cải cách hành chính năm {year}.")
    documents = values.get((1, "1"))
    if documents:
        lines.append(
            f"Trong kỳ đã ban hành {_count(documents)} văn bản chỉ đạo, điều hành công tác cải "
            "cách hành chính."
        )
    found, fixed = values.get((1, "3.3.1")), values.get((1, "3.3.2"))
    if found:
        lines.append(
            f"Qua kiểm tra cải cách hành chính đã phát hiện {_count(found)} vấn đề, đã xử lý xong "
            f"{_count(fixed)} vấn đề."
        )
    lines += _task_lines(_tasks_of(plan, Area.DIRECTION))
    return "\n".join(lines)


def _procedures(stats: Mapping) -> list[str]:
    dossiers = stats.get("dossiers") or {}
    lines = [
        "Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính: "
        + sentences.dossier_results(dossiers.get("all") or {})
    ]
    if stats.get("digitization"):
        lines.append(
            "Số hóa hồ sơ, kết quả giải quyết: " + sentences.digitization(stats["digitization"])
        )
    return lines


def _digital(stats: Mapping) -> list[str]:
    dossiers = (stats.get("dossiers") or {}).get("all") or {}
    lines = [
        "Dịch vụ công trực tuyến: "
        + sentences.online_services(stats.get("online_services") or {}, dossiers)
    ]
    fees = sentences.fees(stats.get("fees"))
    if fees:
        lines.append(fees)
    return lines


def default_sections(report: FormReport, figures: Mapping) -> dict[str, str]:
    """The sections as the figures write them, for the officer to complete."""
    plan, stats = figures.get("plan") or {}, figures.get("statistics") or {}
    values = report_values(report)
    texts = {"direction": _direction(report, plan, values)}
    for area in AREA_ORDER[1:]:
        lines = [_area_summary(plan, area)]
        if area == Area.PROCEDURES:
            lines += _procedures(stats)
        if area == Area.DIGITAL_GOVERNMENT:
            lines += _digital(stats)
        lines += _task_lines(_tasks_of(plan, area))
        texts[f"area.{area}"] = "\n".join(line for line in lines if line)

    counts = (stats.get("dossiers") or {}).get("all") or {}
    strengths, limits = [], []
    if counts.get("resolved"):
        strengths.append(
            f"Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn đạt "
            f"{percent(counts.get('on_time_rate'))}."
        )
    if counts.get("online_eligible"):
        strengths.append(f"Tỷ lệ hồ sơ nộp trực tuyến đạt {percent(counts.get('online_rate'))}.")
    task_counts = plan.get("counts")
    if task_counts and task_counts["tasks"]:
        strengths.append(
            f"Hoàn thành {integer(task_counts['done'])}/{integer(task_counts['tasks'])} nhiệm "
            "vụ của Kế hoạch cải cách hành chính năm."
        )
    if counts.get("late"):
        limits.append(f"Còn {sentences.dossiers(counts['late'])} giải quyết quá hạn.")
    if counts.get("pending_overdue"):
        limits.append(
            f"Còn {sentences.dossiers(counts['pending_overdue'])} đang giải quyết đã quá hạn."
        )
    if task_counts and task_counts["above.overdue"]:
        limits.append(
            f"Còn {integer(task_counts['above.overdue'])} nhiệm vụ cấp trên giao quá hạn nhưng "
            "chưa hoàn thành."
        )
    texts["strengths"] = "\n".join(strengths)
    texts["limits"] = "\n".join(limits)

    open_tasks = [task for task in plan.get("tasks") or [] if task["status"] != TaskStatus.DONE]
    next_lines = [
        f"Tiếp tục triển khai các nhiệm vụ còn lại của Kế hoạch cải cách hành chính năm "
        f"{plan.get('year')} ({integer(len(open_tasks))} nhiệm vụ chưa hoàn thành):"
        if open_tasks
        else "Tiếp tục duy trì thực hiện tốt cơ chế một cửa, một cửa liên thông."
    ]
    next_lines += [
        f"- {task['content'].rstrip('.;')}"
        + (f" (thời gian hoàn thành: {task['deadline']})" if task["deadline"] else "")
        + "."
        for task in open_tasks
    ]
    texts["next"] = "\n".join(next_lines)
    texts["proposals"] = ""
    return texts
