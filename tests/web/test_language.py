"""The UI is Vietnamese first: the browser's language does not switch it, the user's choice does."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_is_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_language_switch_to_english_is_remembered(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
