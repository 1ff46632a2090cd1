"""API test setup: people placed in the `tree` fixture, clients logged in as them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.org.constants import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.4 s a user on the CI machine; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(tree):
    """An officer of each commune of P-D, one of the district, a specialist, a superuser."""
    return {
        "commune1": UserFactory(username="xa1", unit=tree["P-D-1"]),
        "commune2": UserFactory(username="xa2", unit=tree["P-D-2"]),
        "district": UserFactory(username="huyen", unit=tree["P-D"]),
        "specialist": UserFactory(username="cv", unit=tree["P-D-1"], role=Role.SPECIALIST),
        "nounit": UserFactory(username="nounit", unit=None),
        "root": UserFactory(username="root", unit=None, is_superuser=True, is_staff=True),
    }


@pytest.fixture
def client_for():
    """A client authenticated by token as the given person (the way machines call)."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
