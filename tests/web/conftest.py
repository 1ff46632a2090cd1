"""Web tests: the published fixture data, people of the demo roles, logged-in clients."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from cchc.org.constants import Role
from cchc.org.models import Unit
from tests.factories import UserFactory

# The periods of the two published reports, as the period picker sends them.
KIM_THACH_PUBLISHED = {"kind": "custom", "start": "15/12/2022", "end": "12/06/2023"}
KBANG_PUBLISHED = {"kind": "custom", "start": "15/12/2022", "end": "10/03/2023"}


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    # A request that switched to English leaves it active in this thread.
    yield
    translation.activate("vi")


def load_fixture_folder(folder) -> None:
    call_command("import_units", str(folder / "units.csv"), stdout=io.StringIO())
    call_command("import_procedures", str(folder / "procedures.csv"), stdout=io.StringIO())
    call_command(
        "import_dossiers", str(folder / "dossiers.csv"), stdout=io.StringIO(), stderr=io.StringIO()
    )


@pytest.fixture
def kim_thach(db, fixtures_dir) -> Unit:
    """Commune Kim Thạch with the dossiers behind its 6-month 2023 report (seed 002)."""
    load_fixture_folder(fixtures_dir / "kim-thach-2023h1")
    return Unit.objects.get(code="QT-VL-KT")


@pytest.fixture
def kbang(db, fixtures_dir) -> Unit:
    """District Kbang and its 14 communes with the dossiers of its Q1 2023 report (seed 003)."""
    load_fixture_folder(fixtures_dir / "kbang-2023q1")
    return Unit.objects.get(code="GL-KB")


@pytest.fixture
def kim_thach_officer(kim_thach):
    return UserFactory(username="mc.kimthach", unit=kim_thach, role=Role.OFFICER)


@pytest.fixture
def officer_client(client, kim_thach_officer):
    client.force_login(kim_thach_officer)
    return client


@pytest.fixture
def kbang_leader(kbang):
    return UserFactory(username="ld.kbang", unit=kbang, role=Role.LEADER)


@pytest.fixture
def leader_client(client, kbang_leader):
    client.force_login(kbang_leader)
    return client
