"""The receipt's QR link (issue 8 item 5): it expires, it names one dossier, and a dossier's
links can be revoked (a lost receipt)."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.urls import reverse

from cchc.dossiers.models import Dossier
from cchc.dossiers.transitions import ActionForbidden
from cchc.onestop import tracking
from cchc.org.constants import Role

from .conftest import client_of, receive_now

TRACK = reverse("track")
INVALID = "Đường dẫn tra cứu không hợp lệ"


def opens(client, path: str, dossier) -> bool:
    page = client.get(path).content.decode()
    return dossier.code in page and INVALID not in page


def issued_days_ago(monkeypatch, dossier, days: int) -> str:
    then = time.time() - days * 86400
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: then)
        return tracking.tracking_path(dossier)


def test_a_link_expires_after_the_max_age(client, world, dossier, settings, monkeypatch):
    settings.CCHC_QR_TOKEN_MAX_AGE_DAYS = 30
    assert opens(client, issued_days_ago(monkeypatch, dossier, 29), dossier)
    expired = issued_days_ago(monkeypatch, dossier, 31)
    assert not opens(client, expired, dossier)
    assert INVALID in client.get(expired).content.decode()


def test_revoking_invalidates_the_links_issued_before(client, world, dossier):
    before = tracking.tracking_path(dossier)
    assert opens(client, before, dossier)
    officer = client_of(world.staff[Role.OFFICER])
    response = officer.post(reverse("onestop:revoke_tracking", args=[dossier.code]))
    assert response.status_code == 303
    assert not opens(client, before, dossier)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.public_token_version == 1
    assert opens(client, tracking.tracking_path(dossier), dossier)
    event = dossier.events.order_by("-pk").first()
    assert event.actor == world.staff[Role.OFFICER]
    assert event.data == {"public_token_version": 1}


def test_the_dossier_page_offers_revoking_to_officers_only(world, dossier):
    url = reverse("onestop:dossier", args=[dossier.code])
    assert "data-revoke-tracking" in client_of(world.staff[Role.OFFICER]).get(url).content.decode()
    page = client_of(world.staff[Role.SPECIALIST]).get(url).content.decode()
    assert "data-revoke-tracking" not in page


def test_revoking_is_refused_outside_scope_and_to_other_roles(client, world, dossier):
    before = tracking.tracking_path(dossier)
    url = reverse("onestop:revoke_tracking", args=[dossier.code])
    assert client_of(world.outsider[Role.OFFICER]).post(url).status_code == 404
    assert client_of(world.staff[Role.SPECIALIST]).post(url).status_code == 303
    assert client.post(url).status_code == 302  # to the login page
    assert Dossier.objects.get(pk=dossier.pk).public_token_version == 0
    assert opens(client, before, dossier)
    with pytest.raises(ActionForbidden):
        tracking.revoke_tracking_links(dossier, actor=world.outsider[Role.OFFICER])


def test_a_link_names_one_dossier_even_when_another_unit_has_the_same_code(client, world):
    """Codes are unique per receiving unit only: a link opens the dossier it was issued for."""
    mine = receive_now(world)
    theirs = receive_now(world)
    Dossier.objects.filter(pk=theirs.pk).update(code=mine.code, unit=world.tree["Q-1"])
    page = client.get(tracking.tracking_path(mine)).content.decode()
    assert mine.code in page
    assert INVALID not in page
    # A link of the older kind (the code only) is ambiguous now: it opens nothing.
    old = signing.dumps({"code": mine.code}, salt=tracking.SALT)
    assert INVALID in client.get(TRACK, {"t": old}).content.decode()


def test_a_link_of_the_older_kind_still_opens_its_dossier(client, world, dossier):
    old = signing.dumps({"code": dossier.code}, salt=tracking.SALT)
    assert opens(client, f"{TRACK}?t={old}", dossier)
