"""The client's address for the rate limits: the socket's, or the one our proxies saw."""

import pytest
from django.test import RequestFactory

from cchc.client_address import client_address

rf = RequestFactory()


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.CCHC_TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="198.51.100.1")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # What the client wrote itself (left) is not trusted: the last hop our proxy added is.
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Fewer hops than proxies: the leftmost there is.
        (2, "203.0.113.7", "203.0.113.7"),
    ],
)
def test_behind_trusted_proxies_the_address_they_saw_counts(settings, count, forwarded, expected):
    settings.CCHC_TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


def test_behind_a_proxy_without_the_header_the_socket_address_counts(settings):
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    assert client_address(request()) == "10.0.0.5"
    assert client_address(request(remote="")) == "unknown"
    assert client_address(None) == "unknown"


def test_behind_a_proxy_two_citizens_have_their_own_lookup_budgets(client, db, settings):
    """All requests come from the proxy's address; each citizen's lookups count on their own."""
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    settings.CCHC_TRACKING_RATE = (3, 600)
    url = "/tra-cuu/"

    def look(citizen):
        return client.post(
            url,
            {"code": "NONE", "phone": "0912345678"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=citizen,
        ).status_code

    assert [look("203.0.113.1") for _ in range(3)] == [200, 200, 200]
    assert look("203.0.113.1") == 429
    assert look("203.0.113.2") == 200
