"""Histories are append-only (report events, plan task changes), and every task edit is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cchc.appendonly import AppendOnlyError
from cchc.reform.constants import Area, AssignedFrom, TaskChangeAction, TaskStatus
from cchc.reform.models import FormSet, PlanTask, PlanTaskChange, ReportEvent
from cchc.reform.plan_export import export_plan
from cchc.reform.plan_import import import_plan
from cchc.reform.services import complete_task, create_plan, create_report, save_task

from .factories import Q1_2023, PlanTaskFactory, ReformPlanFactory, officer

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def person(tree):
    return officer(tree["P-D-1"])


@pytest.fixture
def plan(tree, person):
    return create_plan(unit=tree["P-D-1"], year=2023, user=person)


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_task_edit_is_kept_with_its_old_and_new_values(plan, person):
    task = save_task(
        plan, user=person, area=Area.PROCEDURES, content="Rà soát TTHC", deadline=D(2023, 6, 30)
    )
    save_task(plan, user=person, task=task, deadline=D(2023, 9, 30), note="lùi hạn")
    save_task(plan, user=person, task=task, note="lùi hạn")  # nothing changes: no row
    complete_task(task, user=person, on=D(2023, 9, 1))
    created, moved, done = PlanTaskChange.objects.filter(task=task).order_by("pk")
    assert created.action == TaskChangeAction.CREATED and created.actor == person
    assert created.changes["content"] == ["", "Rà soát TTHC"]
    assert moved.action == TaskChangeAction.CHANGED
    assert moved.changes == {"deadline": ["2023-06-30", "2023-09-30"], "note": ["", "lùi hạn"]}
    assert done.changes == {
        "status": [TaskStatus.NOT_STARTED, TaskStatus.DONE],
        "percent_done": ["", "100"],
        "done_on": ["", "2023-09-01"],
    }


def test_the_task_page_lists_its_history(client, plan, person):
    task = save_task(plan, user=person, area=Area.PROCEDURES, content="Rà soát TTHC")
    client.force_login(person)
    response = client.post(
        reverse("reform:task_edit", args=[task.pk]),
        {
            "area": Area.PROCEDURES,
            "content": "Rà soát TTHC",
            "deadline": "30/06/2023",
            "status": TaskStatus.IN_PROGRESS,
            "assigned_from": AssignedFrom.SELF,
        },
    )
    assert response.status_code == 302
    change = PlanTaskChange.objects.filter(task=task).latest("pk")
    assert change.changes["deadline"] == ["", "2023-06-30"]
    assert change.changes["status"] == [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]
    page = client.get(reverse("reform:task_edit", args=[task.pk])).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "— → 30/06/2023" in page
    assert "Chưa thực hiện → Đang thực hiện" in page


def test_a_plan_import_records_its_changes_and_deletions(tree, person):
    plan = ReformPlanFactory(unit=tree["P-D-1"], year=2023)
    kept = PlanTaskFactory(plan=plan, area=Area.PROCEDURES, content="Rà soát TTHC")
    data = export_plan(plan)
    gone = PlanTaskFactory(plan=plan, area=Area.PROCEDURES, content="Bỏ đi")
    PlanTask.objects.filter(pk=kept.pk).update(note="ghi chú cũ")
    result = import_plan(unit=tree["P-D-1"], year=2023, data=data, user=person)
    assert result.errors == [] and result.deleted == 1
    assert PlanTaskChange.objects.get(task_id=kept.pk).changes["note"] == ["ghi chú cũ", ""]
    deleted = PlanTaskChange.objects.get(task_id=gone.pk)
    assert deleted.action == TaskChangeAction.DELETED
    assert deleted.changes["content"] == ["Bỏ đi", ""]
    assert not PlanTask.objects.filter(pk=gone.pk).exists()


def test_task_history_and_report_events_refuse_changes_in_the_database(plan, person):
    task = save_task(plan, user=person, area=Area.PROCEDURES, content="Rà soát TTHC")
    change = PlanTaskChange.objects.get(task=task)
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE reform_plantaskchange SET at = at WHERE id = %s", [change.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM reform_plantaskchange WHERE id = %s", [change.pk])
    with pytest.raises(AppendOnlyError):
        PlanTaskChange.objects.filter(pk=change.pk).update(changes={})
    with pytest.raises(AppendOnlyError):
        task.history.all().delete()
    assert PlanTaskChange.objects.get(pk=change.pk).changes == change.changes


def test_report_events_refuse_changes_in_the_database(tree, person):
    start, end = Q1_2023
    form_set = FormSet.objects.get(year=2023, version=1)
    report = create_report(unit=tree["P-D-1"], form_set=form_set, start=start, end=end, user=person)
    event = ReportEvent.objects.get(report=report)
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE reform_reportevent SET comment = %s WHERE id = %s", ["sửa", event.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM reform_reportevent WHERE id = %s", [event.pk])
    with pytest.raises(AppendOnlyError):
        ReportEvent.objects.filter(pk=event.pk).update(comment="sửa")
    with pytest.raises(AppendOnlyError):
        ReportEvent.objects.filter(pk=event.pk).delete()
    assert ReportEvent.objects.get(pk=event.pk).comment == ""


def test_deleting_a_task_keeps_its_history(plan, person):
    task = save_task(plan, user=person, area=Area.PROCEDURES, content="Rà soát TTHC")
    PlanTask.objects.filter(pk=task.pk).delete()
    assert PlanTaskChange.objects.filter(task_id=task.pk).count() == 1
