"""A name that shows nothing (zero-width characters, only spaces) is no name: refused by the
receive form, and by the service under every caller (issue 8, item 14)."""

import pytest

from cchc.dossiers import services
from cchc.dossiers.constants import Channel
from cchc.dossiers.models import Dossier
from cchc.org.constants import Role

from .test_receive import RECEIVE, receive_data

INVISIBLE = ["\u200b\u200b", "\u200b \u2060\ufeff", " \u00a0 \u3000"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_the_receive_form_refuses_a_name_that_shows_nothing(officer, world, name):
    response = officer.post(RECEIVE, receive_data(world, applicant_name=name))
    assert response.status_code == 400
    if not name.isspace():  # white space alone is the form's own "required"
        assert "không chỉ khoảng trắng hay ký tự ẩn" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_name_keeps_its_letters_without_the_invisible_characters(officer, world):
    response = officer.post(RECEIVE, receive_data(world, applicant_name="\u200bTrần\u200b Bình "))
    assert response.status_code in (302, 303), response.content
    assert Dossier.objects.get().applicant_name == "Trần Bình"


@pytest.mark.parametrize("name", INVISIBLE)
def test_the_service_refuses_a_name_that_shows_nothing(world, name):
    with pytest.raises(services.InvalidDossierInput) as refused:
        services.receive_dossier(
            actor=world.staff[Role.OFFICER],
            unit=world.unit,
            procedure=world.procedure,
            channel=Channel.DIRECT,
            applicant_name=name,
        )
    assert refused.value.message == "Cần nhập tên người nộp hồ sơ."
    assert not Dossier.objects.exists()
