"""The reform plan's task counts as they stood on a date: the plan figures of form 1 (read by
the figures a form row may name, sources.py) and of the plan page and the CCHC report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from cchc.org.models import Unit

from .constants import ASSIGNER_GROUPS, TaskStatus
from .models import PlanTask, ReformPlan


def _done_by(as_of: dt.date) -> Q:
    return Q(status=TaskStatus.DONE) & (Q(done_on__isnull=True) | Q(done_on__lte=as_of))


def _task_conditions(as_of: dt.date) -> dict[str, Q]:
    done = _done_by(as_of)
    late = Q(deadline__isnull=False, done_on__isnull=False, done_on__gt=F("deadline"))
    return {
        "assigned": Q(),
        "done_on_time": done & ~late,
        "done_late": done & late,
        "overdue": ~done & Q(deadline__lt=as_of),
    }


def plan_task_counts(unit: Unit, year: int, as_of: dt.date) -> dict[str, int] | None:
    """The plan's tasks as they stood on `as_of`, or None when the unit has no plan that year.

    `tasks`, `done` (completed by `as_of`) and, per group of assigners of form 1 (`central`:
    Government and Prime Minister; `province`; `above`: anyone above the unit), `assigned`,
    `done_on_time`, `done_late` (after the deadline) and `overdue` (not done, deadline passed).
    A recurring task ("thường xuyên") has no deadline: never late, never overdue.
    """
    plan = ReformPlan.objects.filter(unit=unit, year=year).first()
    if plan is None:
        return None
    conditions = _task_conditions(as_of)
    aggregates = {
        "tasks": Count("pk"),
        "done": Count("pk", filter=_done_by(as_of)),
    }
    for group, assigners in ASSIGNER_GROUPS.items():
        mine = Q(assigned_from__in=assigners)
        for key, condition in conditions.items():
            aggregates[f"{group}.{key}"] = Count("pk", filter=mine & condition)
    return PlanTask.objects.filter(plan=plan).aggregate(**aggregates)
