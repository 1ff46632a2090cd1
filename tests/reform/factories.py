"""Factories and helpers for the reform office's tests (kept apart from tests/factories.py)."""

from __future__ import annotations

import datetime as dt

import factory

from cchc.dossiers.constants import Outcome
from cchc.org.constants import Role
from cchc.reform.constants import Area, AssignedFrom, TaskStatus
from cchc.reform.models import PlanTask, ReformPlan
from tests.factories import DossierFactory, UserFactory
from tests.stats.history import close

Q1_2023 = (dt.date(2022, 12, 15), dt.date(2023, 3, 14))


class ReformPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReformPlan
        django_get_or_create = ("unit", "year")

    year = 2023
    title = factory.LazyAttribute(lambda o: f"Kế hoạch CCHC năm {o.year}")


class PlanTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(ReformPlanFactory)
    area = Area.DIRECTION
    order = factory.Sequence(int)
    content = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    responsible = "Văn phòng – Thống kê"
    coordinating = "Các ban ngành liên quan"
    status = TaskStatus.NOT_STARTED
    assigned_from = AssignedFrom.SELF


def officer(unit, role: str = Role.REFORM_OFFICER, name: str | None = None):
    return UserFactory(unit=unit, role=role, username=name or f"{role}@{unit.code}")


def resolved(unit, procedure, received: dt.date, on: dt.date, **kwargs):
    """A dossier received on `received` and resolved on `on` (early/on time/late by its due)."""
    return close(
        DossierFactory(unit=unit, procedure=procedure, received_on=received, **kwargs),
        Outcome.RESOLVED,
        on,
    )
