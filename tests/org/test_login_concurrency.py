"""Simultaneous guesses of one person's password keep to the budget (issue 8 item 12): each
attempt is counted atomically before the password is checked. On the SQLite file database and
PostgreSQL (see tests/onestop/test_concurrency.py)."""

from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.onestop.test_concurrency import pytestmark as concurrency_marks
from tests.onestop.test_concurrency import statuses, together

pytestmark = concurrency_marks


def test_20_simultaneous_guesses_of_one_password_keep_to_the_budget(tree, settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 5
    UserFactory(username="mc.xa1", unit=tree["P-D-1"])

    def guess(i: int):
        client = Client(raise_request_exception=False)
        return client.post(
            reverse("login"),
            {"username": "mc.xa1", "password": f"sai-{i}"},
            REMOTE_ADDR=f"198.51.100.{i}",
        )

    assert statuses(together(20, guess)) == {200: 5, 429: 15}
    right = Client().post(reverse("login"), {"username": "mc.xa1", "password": "pw"})
    assert right.status_code == 429
