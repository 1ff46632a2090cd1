"""One-stop page tests: a commune with its staff and a procedure with papers, people of other
units, and dossiers taken through the services (now, as the web pages act now)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from cchc.dossiers import services
from cchc.dossiers.constants import Channel
from cchc.org.constants import Role
from tests.factories import (
    DepartmentFactory,
    FieldFactory,
    ProcedureComponentFactory,
    ProcedureFactory,
    staff_of,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The public page's attempt budget lives in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree):
    unit = tree["P-D-1"]
    field = FieldFactory(name="Hộ tịch")
    procedure = ProcedureFactory(
        code="1.000656",
        name="Thủ tục đăng ký khai sinh",
        field=field,
        processing_time=3,
        fee=8000,
    )
    papers = [
        ProcedureComponentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh", order=1),
        ProcedureComponentFactory(procedure=procedure, name="Giấy chứng sinh", order=2),
        ProcedureComponentFactory(
            procedure=procedure, name="Giấy tờ tùy thân", required=False, order=3
        ),
    ]
    return SimpleNamespace(
        tree=tree,
        unit=unit,
        procedure=procedure,
        papers=papers,
        staff=staff_of(unit),
        district=staff_of(tree["P-D"]),
        sibling=staff_of(tree["P-D-2"]),
        outsider=staff_of(tree["Q-1"]),
        department=DepartmentFactory(unit=unit, code="TP", name="Tư pháp"),
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(world) -> Client:
    return client_of(world.staff[Role.OFFICER])


@pytest.fixture
def specialist(world) -> Client:
    return client_of(world.staff[Role.SPECIALIST])


@pytest.fixture
def leader(world) -> Client:
    return client_of(world.staff[Role.LEADER])


@pytest.fixture
def outsider(world) -> Client:
    """An officer of another province: none of the commune's dossiers are theirs."""
    return client_of(world.outsider[Role.OFFICER])


def receive_now(world, **kwargs):
    """A dossier received now by the commune's officer, with every required paper."""
    options = {
        "actor": world.staff[Role.OFFICER],
        "unit": world.unit,
        "procedure": world.procedure,
        "channel": Channel.DIRECT,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001090000001",
        "applicant_phone": "0912 345 678",
        "components": [
            services.ReceivedComponent(component=p, originals=1) for p in world.papers if p.required
        ],
    }
    options.update(kwargs)
    return services.receive_dossier(**options)


@pytest.fixture
def dossier(world):
    return receive_now(world)
