"""Many requests at once, as at a busy one-stop counter: on the SQLite file database (the
embedded default) and on PostgreSQL. No answer is a server error; dossier codes stay unique;
of simultaneous actions on one version exactly one wins and the others are told to reload (409);
the lookup budget counts every attempt.

Each thread has its own database connection, as each request of a real server has: an
in-memory SQLite database is one connection the threads would share, so these tests need a
file (CCHC_TEST_SQLITE, set by `make test`) or PostgreSQL.
"""

import threading
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.transitions import Action
from cchc.org.constants import Role
from tests.factories import ProcedureFactory

from .conftest import receive_now
from .test_receive import RECEIVE, receive_data
from .test_tracking import TRACK

_DATABASE = django_settings.DATABASES["default"]
IN_MEMORY = _DATABASE["ENGINE"].endswith("sqlite3") and not _DATABASE["TEST"].get("NAME")

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        IN_MEMORY,
        reason="concurrency tests need a database file: "
        "CCHC_TEST_SQLITE=var/test-concurrency.sqlite3 (make test sets it)",
    ),
]


def together(count: int, call) -> list:
    """call(i) in `count` threads started at once; the answers (or the exceptions raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = call(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def statuses(results) -> Counter:
    assert not [r for r in results if isinstance(r, Exception)], results
    return Counter(r.status_code for r in results)


def web_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def api_client(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


def test_50_simultaneous_receives_through_the_web_get_unique_codes(world):
    officer = world.staff[Role.OFFICER]
    clients = [web_client(officer) for _ in range(50)]
    results = together(50, lambda i: clients[i].post(RECEIVE, receive_data(world)))
    assert statuses(results) == {302: 50}
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 50


def test_50_simultaneous_receives_through_the_api_get_unique_codes(world):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    body = {
        "unit": world.unit.code,
        "procedure": procedure.code,
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
    }
    clients = [api_client(world.staff[Role.OFFICER]) for _ in range(50)]
    results = together(
        50, lambda i: clients[i].post("/api/dossiers/", body, content_type="application/json")
    )
    assert statuses(results) == {201: 50}, [r.content[:300] for r in results]
    codes = {r.json()["code"] for r in results}
    assert len(codes) == Dossier.objects.count() == 50


def test_20_simultaneous_web_actions_on_one_version_have_one_winner(world):
    dossier = receive_now(world)
    prefix = Action.REQUEST_SUPPLEMENT.value
    url = reverse("onestop:action", args=[dossier.code, prefix])
    data = {f"{prefix}-expected_version": dossier.version, f"{prefix}-reason": "Thiếu tờ khai"}
    clients = [web_client(world.staff[Role.OFFICER]) for _ in range(20)]
    results = together(20, lambda i: clients[i].post(url, data))
    assert statuses(results) == {303: 1, 409: 19}
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version + 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2  # received + one supplement


def test_20_simultaneous_api_actions_on_one_version_have_one_winner(world):
    dossier = receive_now(world)
    url = f"/api/dossiers/{dossier.code}/actions/request_supplement/"
    body = {"expected_version": dossier.version, "reason": "Thiếu tờ khai"}
    clients = [api_client(world.staff[Role.OFFICER]) for _ in range(20)]
    results = together(20, lambda i: clients[i].post(url, body, content_type="application/json"))
    assert statuses(results) == {200: 1, 409: 19}
    assert {r.json()["code"] for r in results if r.status_code == 409} == {"stale_dossier"}
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version + 1


def test_50_simultaneous_lookups_from_one_address_keep_to_the_budget(world, settings, tmp_path):
    # The production cache (a file cache, whose incr is not atomic): the budget must not rely
    # on it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.CCHC_TRACKING_CODE_RATE = (1000, 600)  # the address's budget is the one tested
    clients = [Client(raise_request_exception=False) for _ in range(50)]
    results = together(
        50,
        lambda i: clients[i].post(
            TRACK, {"code": f"NO-SUCH-{i}", "phone": "0900000000"}, REMOTE_ADDR="203.0.113.50"
        ),
    )
    assert statuses(results) == {200: 10, 429: 40}
    refused = next(r for r in results if r.status_code == 429)
    assert "Bạn đã tra cứu quá 10 lần trong 10 phút" in refused.content.decode()


def test_50_simultaneous_lookups_of_one_code_keep_to_its_budget(world):
    dossier = receive_now(world)
    clients = [Client(raise_request_exception=False) for _ in range(50)]
    results = together(
        50,
        lambda i: clients[i].post(
            TRACK, {"code": dossier.code, "phone": "0900000000"}, REMOTE_ADDR=f"198.51.100.{i}"
        ),
    )
    assert statuses(results) == {200: 10, 429: 40}
