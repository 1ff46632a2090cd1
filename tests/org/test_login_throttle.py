"""Login throttling (issue 8 item 12): too many failed attempts for a username, or from an
address, refuse even the right password for a while; a success forgets the username's count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
THROTTLED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture
def person(tree):
    return UserFactory(username="mc.xa1", unit=tree["P-D-1"])


def attempt(client, username, password, ip="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_thirty_wrong_passwords_the_right_one_is_refused(person):
    client = Client()
    for _ in range(30):
        assert not logged_in(client)
        attempt(client, "mc.xa1", "wrong")
    response = attempt(client, "mc.xa1", "pw")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert THROTTLED in response.content.decode()
    assert not logged_in(client)


def test_the_budget_is_a_setting_and_keyed_on_the_username_from_any_address(person, settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 3
    for n in range(3):
        assert attempt(Client(), "MC.XA1", "wrong", ip=f"198.51.100.{n}").status_code == 200
    client = Client()
    response = attempt(client, "mc.xa1", "pw", ip="203.0.113.50")
    assert response.status_code == 429
    assert not logged_in(client)
    # Another person is not affected.
    UserFactory(username="mc.xa2", unit=person.unit)
    other = Client()
    assert attempt(other, "mc.xa2", "pw", ip="203.0.113.50").status_code == 302
    assert logged_in(other)


def test_a_success_forgets_the_usernames_count(person, settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 3
    for _round in range(3):
        for _ in range(2):
            attempt(Client(), "mc.xa1", "wrong")
        client = Client()
        assert attempt(client, "mc.xa1", "pw").status_code == 302
        assert logged_in(client)


def test_an_address_that_failed_too_often_is_refused_for_every_username(tree, settings):
    settings.CCHC_LOGIN_MAX_FAILURES_PER_IP = 4
    UserFactory(username="mc.xa2", unit=tree["P-D-2"])
    for n in range(4):
        attempt(Client(), f"ai-do-{n}", "wrong", ip="192.0.2.9")
    blocked = Client()
    response = attempt(blocked, "mc.xa2", "pw", ip="192.0.2.9")
    assert response.status_code == 429
    assert not logged_in(blocked)
    elsewhere = Client()
    assert attempt(elsewhere, "mc.xa2", "pw", ip="192.0.2.10").status_code == 302


def test_successes_from_one_address_are_not_counted(tree, settings):
    """An office behind one address logs many people in."""
    settings.CCHC_LOGIN_MAX_FAILURES_PER_IP = 2
    for n in range(5):
        UserFactory(username=f"nguoi{n}", unit=tree["P-D-1"])
        assert attempt(Client(), f"nguoi{n}", "pw", ip="192.0.2.20").status_code == 302


def test_the_admin_login_is_throttled_too(tree, settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 2
    UserFactory(username="qt", unit=tree["P"], is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(2):
        Client().post(url, {"username": "qt", "password": "wrong"})
    client = Client()
    response = client.post(url, {"username": "qt", "password": "pw"})
    assert THROTTLED in response.content.decode()
    assert not logged_in(client)
