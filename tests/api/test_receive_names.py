"""POST /api/dossiers/: an applicant name of zero-width characters is refused (item 14)."""

import pytest

from cchc.dossiers.models import Dossier

from .test_actions import procedure, receive  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u200c \u2060"])
def test_a_name_of_invisible_characters_answers_400_on_the_field(
    people,
    client_for,
    procedure,  # noqa: F811 (the fixture)
    name,
):
    response = receive(client_for(people["commune1"]), applicant_name=name)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert "ký tự ẩn" in body["errors"]["applicant_name"][0]
    assert not Dossier.objects.exists()
