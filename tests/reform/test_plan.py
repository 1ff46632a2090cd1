"""The yearly reform plan: task counts for form 1, evidence files, XLSX in seed 002's layout."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import Workbook, load_workbook

from cchc.org.constants import Role
from cchc.reform.constants import Area, AssignedFrom, TaskStatus
from cchc.reform.models import FormSet, PlanTask, ReformPlan
from cchc.reform.plan_export import export_plan
from cchc.reform.plan_import import (
    PlanFileError,
    import_plan,
    parse_deadline,
    read_plan,
)
from cchc.reform.plan_progress import plan_task_counts
from cchc.reform.selectors import report_values
from cchc.reform.services import (
    ReportError,
    attach_evidence,
    complete_task,
    create_plan,
    create_report,
    save_task,
)

from .factories import Q1_2023, PlanTaskFactory, ReformPlanFactory, officer
from .seed003 import DATA

D = dt.date
SEED_002_AREAS = [5, 3, 7, 6, 3, 3, 5]


@pytest.fixture
def commune(tree):
    return tree["P-D-1"]


@pytest.fixture
def person(commune):
    return officer(commune)


def task(plan, **kwargs) -> PlanTask:
    return PlanTaskFactory(plan=plan, **kwargs)


def test_task_counts_as_form_1_counts_them_on_a_day(commune):
    plan = ReformPlanFactory(unit=commune, year=2023)
    prov, gov = AssignedFrom.PROVINCE, AssignedFrom.GOVERNMENT
    task(plan, assigned_from=prov, deadline=D(2023, 3, 1), status="done", done_on=D(2023, 2, 20))
    task(plan, assigned_from=prov, deadline=D(2023, 3, 1), status="done", done_on=D(2023, 3, 5))
    task(plan, assigned_from=prov, deadline=D(2023, 3, 1), status="in_progress")
    task(plan, assigned_from=prov, deadline=D(2023, 6, 30), status="in_progress")
    task(plan, assigned_from=prov, recurring=True, status="done", done_on=D(2023, 3, 10))
    task(plan, assigned_from=gov, deadline=D(2023, 2, 1), status="done", done_on=D(2023, 4, 1))
    task(plan, assigned_from=AssignedFrom.SELF, deadline=D(2023, 1, 31), status="done")

    counts = plan_task_counts(commune, 2023, D(2023, 3, 14))
    assert (counts["tasks"], counts["done"]) == (7, 4)  # gov's task was done after 14/3
    assert {k[9:]: v for k, v in counts.items() if k.startswith("province.")} == {
        "assigned": 5,
        "done_on_time": 2,  # before the deadline, and the recurring one
        "done_late": 1,
        "overdue": 1,  # due 1/3, still in progress on 14/3
    }
    assert [counts[f"central.{k}"] for k in ("assigned", "done_late", "overdue")] == [1, 0, 1]
    later = plan_task_counts(commune, 2023, D(2023, 6, 14))
    assert (later["central.done_late"], later["central.overdue"]) == (1, 0)
    assert plan_task_counts(commune, 2024, D(2024, 3, 14)) is None


def test_form_1_rows_come_from_the_plan(commune, person):
    plan = ReformPlanFactory(unit=commune, year=2023)
    for done in (True, True, False):
        task(
            plan,
            assigned_from=AssignedFrom.PROVINCE,
            deadline=D(2023, 3, 1),
            status="done" if done else "in_progress",
            done_on=D(2023, 2, 1) if done else None,
        )
    task(plan)
    form_set = FormSet.objects.get(year=2023, version=1)
    start, end = Q1_2023
    report = create_report(unit=commune, form_set=form_set, start=start, end=end, user=person)
    values = report_values(report)
    assert [values[(1, c)] for c in ("2.1", "2.2", "5.5", "5.6", "5.7", "5.8")] == [
        4,
        2,
        3,
        2,
        0,
        1,
    ]
    assert values[(1, "2")] == Decimal("50.00")
    assert values[(1, "5.1")] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tháng 01/2023", (D(2023, 1, 31), False)),
        ("Tháng 2/2024", (D(2024, 2, 29), False)),
        ("Quý 2/2023", (D(2023, 6, 30), False)),
        ("Quý IV/2023", (D(2023, 12, 31), False)),
        ("Năm 2023", (D(2023, 12, 31), False)),
        ("15/3/2023", (D(2023, 3, 15), False)),
        ("Thường xuyên", (None, True)),
        ("thường  xuyên", (None, True)),
        ("Theo kế hoạch kiểm tra của cấp trên", (None, False)),
        ("Tháng 13/2023", (None, False)),
    ],
)
def test_deadlines_as_plans_write_them(text, expected):
    assert parse_deadline(text) == expected


def seed_002_workbook() -> bytes:
    """Seed 002's appendix typed into a workbook, in its own layout (eight columns)."""
    doc = json.loads((DATA / "seed002_plan.json").read_text(encoding="utf-8"))
    wb = Workbook()
    ws = wb.active
    ws.append(["TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRIỂN KHAI NĂM 2023"])
    ws.append(["(Ban hành kèm theo Báo cáo số: ....../KH-UBND, ngày 12 tháng 6 năm 2023)"])
    ws.append(
        [
            "TT",
            "Nội dung",
            "Đơn vị\nthực hiện",
            "Đơn vị phối\nhợp",
            "Thời gian hoàn\nthành",
            "Đã thực hiện",
            "Sản phẩm đầu\nra",
            "Tỷ lệ hoàn\nthành\nnhiệm vụ",
        ]
    )
    for numeral, title, tasks in doc["sections"]:
        ws.append([numeral, title])
        for row in tasks:
            ws.append([int(row[0]), *row[1:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_seed_002_appendix_imports_as_a_plan(commune, person):
    result = import_plan(unit=commune, year=2023, data=seed_002_workbook(), user=person)
    assert result.errors == [] and result.created == 32
    plan = ReformPlan.objects.get(unit=commune, year=2023)
    by_area = [plan.tasks.filter(area=area).count() for area in Area.values]
    assert by_area == SEED_002_AREAS
    first = plan.tasks.get(content="Ban hành kế hoạch kiểm tra CCHC năm 2023")
    assert (first.area, first.deadline, first.status, first.percent_done, first.output) == (
        Area.DIRECTION,
        D(2023, 1, 31),
        TaskStatus.DONE,
        Decimal(100),
        "Kế hoạch",
    )
    assert first.status_text == "Đã ban hành"
    recurring = plan.tasks.filter(recurring=True)
    assert recurring.count() == 22 and not recurring.filter(deadline__isnull=False).exists()
    audit = plan.tasks.get(content__startswith="Thực hiện báo cáo các kiến nghị")
    assert audit.deadline is None and audit.deadline_text == "Theo kế hoạch kiểm tra của cấp trên"
    assert audit.status == TaskStatus.NOT_STARTED
    assert plan.tasks.filter(status=TaskStatus.DONE).count() == 13
    counts = plan_task_counts(commune, 2023, D(2023, 6, 14))
    assert (counts["tasks"], counts["done"]) == (32, 13)


def _fields(plan: ReformPlan) -> list[tuple]:
    return [
        (
            t.area,
            t.content,
            t.responsible,
            t.coordinating,
            t.deadline,
            t.recurring,
            t.deadline_text,
            t.output,
            t.status,
            t.status_text,
            t.percent_done,
            t.done_on,
            t.assigned_from,
            t.note,
        )
        for t in plan.tasks.order_by("order")
    ]


def test_export_then_import_gives_back_the_same_plan(tree, commune, person):
    import_plan(unit=commune, year=2023, data=seed_002_workbook(), user=person)
    plan = ReformPlan.objects.get(unit=commune, year=2023)
    complete_task(plan.tasks.get(order=3), user=person, on=D(2023, 5, 2), output="Báo cáo")
    save_task(
        plan,
        user=person,
        area=Area.DIGITAL_GOVERNMENT,
        content="Triển khai nền tảng số theo chỉ đạo của UBND tỉnh",
        deadline=D(2023, 9, 30),
        assigned_from=AssignedFrom.PROVINCE,
        percent_done=Decimal("12.5"),
        note="Văn bản số 123/UBND-KGVX",
        order=99,
    )
    data = export_plan(plan)

    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value.startswith("TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    assert [ws.cell(4, c).value for c in range(1, 9)] == [
        "TT",
        "Nội dung",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
        "Đã thực hiện",
        "Sản phẩm đầu ra",
        "Tỷ lệ hoàn thành nhiệm vụ",
    ]
    assert (ws["A5"].value, ws["B5"].value) == ("I", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH")

    other = tree["P-D-2"]
    assert import_plan(unit=other, year=2023, data=data, user=officer(other)).errors == []
    copy = ReformPlan.objects.get(unit=other, year=2023)
    assert _fields(copy) == _fields(plan)

    again = import_plan(unit=commune, year=2023, data=data, user=person)
    assert (again.created, again.updated, again.deleted) == (0, 33, 0)


def test_a_bad_row_stops_the_whole_import_and_says_where(commune, person):
    wb = load_workbook(io.BytesIO(seed_002_workbook()))
    ws = wb.active
    ws["H6"] = "một nửa"
    out = io.BytesIO()
    wb.save(out)
    result = import_plan(unit=commune, year=2023, data=out.getvalue(), user=person)
    assert result.errors == ["Dòng 6: tỷ lệ hoàn thành “một nửa” không phải là số."]
    assert result.created == 0 and not PlanTask.objects.exists()
    with pytest.raises(PlanFileError):
        read_plan(b"not a workbook")


def test_tasks_no_longer_in_the_file_go_unless_they_have_evidence(
    commune, person, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = create_plan(unit=commune, year=2023, user=person)
    kept = save_task(plan, user=person, area=Area.DIRECTION, content="Có minh chứng")
    save_task(plan, user=person, area=Area.DIRECTION, content="Không minh chứng")
    attach_evidence(kept, ContentFile(b"%PDF-1.4", name="bien-ban.pdf"), user=person)
    result = import_plan(unit=commune, year=2023, data=seed_002_workbook(), user=person)
    assert (result.created, result.deleted) == (32, 1)
    assert "Có minh chứng" in result.warnings[0]
    assert plan.tasks.count() == 33


def test_evidence_goes_through_the_storage_api(commune, person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = create_plan(unit=commune, year=2023, user=person)
    t = save_task(plan, user=person, area=Area.PROCEDURES, content="Rà soát TTHC")
    evidence = attach_evidence(t, ContentFile(b"minh chung", name="ke-hoach.pdf"), user=person)
    assert evidence.file.name.startswith(f"reform/evidence/{commune.code}/2023/{t.pk}/")
    assert default_storage.open(evidence.file.name).read() == b"minh chung"
    assert (evidence.title, evidence.uploaded_by) == ("ke-hoach.pdf", person)


def test_only_the_units_reform_officer_edits_its_plan(tree, commune, person):
    plan = create_plan(unit=commune, year=2023, user=person)
    with pytest.raises(ReportError):
        create_plan(unit=commune, year=2023, user=person)
    for outsider in (officer(tree["P-D-2"]), officer(commune, Role.OFFICER)):
        with pytest.raises(PermissionDenied):
            save_task(plan, user=outsider, area=Area.DIRECTION, content="x")
        with pytest.raises(PermissionDenied):
            import_plan(unit=commune, year=2023, data=seed_002_workbook(), user=outsider)


def test_a_task_keeps_its_invariants(commune, person):
    plan = create_plan(unit=commune, year=2023, user=person)
    with pytest.raises(ReportError):
        save_task(plan, user=person, area=Area.DIRECTION, content="x", percent_done=Decimal(120))
    with pytest.raises(ReportError):
        save_task(
            plan,
            user=person,
            area=Area.DIRECTION,
            content="x",
            recurring=True,
            deadline=D(2023, 1, 1),
        )
    with pytest.raises(ReportError):
        save_task(plan, user=person, area=Area.DIRECTION, content="x", done_on=D(2023, 1, 1))


@pytest.mark.django_db
def test_plan_workbook_stays_vietnamese_for_an_english_ui(tree):
    from django.utils import translation
    from openpyxl import load_workbook

    from cchc.reform.plan_export import export_plan
    from cchc.reform.services import create_plan
    from tests.factories import UserFactory

    officer = UserFactory(unit=tree["P-D-1"], role="reform_officer")
    plan = create_plan(unit=tree["P-D-1"], year=2023, user=officer)
    with translation.override("en"):
        data = export_plan(plan)
    assert load_workbook(io.BytesIO(data)).active.title == "Tiến độ nhiệm vụ CCHC"
