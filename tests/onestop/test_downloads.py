"""Uploaded files (a dossier's scans and result, a plan task's evidence) are served only through
views that check scope, in every mode, always as an attachment of a safe type (issue 8 item 4)."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.dossiers import services
from cchc.dossiers.models import FileKind
from cchc.downloads import safe_content_type
from cchc.org.constants import Role
from cchc.reform.services import attach_evidence
from tests.reform.factories import PlanTaskFactory, ReformPlanFactory

from .conftest import client_of, receive_now

HTML = b"<html><script>alert(document.cookie)</script></html>"


def returned_with(world, name: str, content: bytes):
    staff = world.staff
    dossier = receive_now(world)
    dossier = services.assign_dossier(
        dossier,
        actor=staff[Role.OFFICER],
        expected_version=dossier.version,
        assignee=staff[Role.SPECIALIST],
    )
    dossier = services.resolve_dossier(
        dossier, actor=staff[Role.SPECIALIST], expected_version=dossier.version
    )
    dossier = services.return_result(
        dossier,
        actor=staff[Role.OFFICER],
        expected_version=dossier.version,
        result_file=ContentFile(content, name=name),
    )
    return dossier, dossier.files.get(kind=FileKind.RESULT)


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_safe_attachment(response, content_type: str, content: bytes) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == content


def test_media_url_is_not_served_even_in_debug(settings, world):
    """Before: with DEBUG on, /media/… was served by django.views.static to anyone."""
    _dossier, stored = returned_with(world, "ket-qua.pdf", b"%PDF-1.4")
    import cchc.urls

    settings.DEBUG = True
    try:
        module = importlib.reload(cchc.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(f"/{settings.MEDIA_URL.lstrip('/')}{stored.file.name}", urlconf=module)
    finally:
        settings.DEBUG = False
        importlib.reload(cchc.urls)
        clear_url_caches()


def test_the_web_download_needs_login(world):
    dossier, stored = returned_with(world, "ket-qua.pdf", b"%PDF-1.4")
    response = Client().get(reverse("onestop:file", args=[dossier.code, stored.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider", "sibling"])
def test_the_web_download_is_refused_to_other_units(world, who):
    dossier, stored = returned_with(world, "ket-qua.pdf", b"%PDF-1.4")
    people = getattr(world, who)
    response = client_of(people[Role.OFFICER]).get(
        reverse("onestop:file", args=[dossier.code, stored.pk])
    )
    assert response.status_code == 404


def test_the_web_download_is_an_attachment_of_a_safe_type(officer, world):
    dossier, stored = returned_with(world, "ket-qua.pdf", b"%PDF-1.4 result")
    response = officer.get(reverse("onestop:file", args=[dossier.code, stored.pk]))
    assert_safe_attachment(response, "application/pdf", b"%PDF-1.4 result")
    assert "ket-qua.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["trang.html", "anh.svg", "trang.htm", "khong-duoi"])
def test_an_uploaded_page_is_served_as_octet_stream(officer, world, name):
    dossier, stored = returned_with(world, name, HTML)
    response = officer.get(reverse("onestop:file", args=[dossier.code, stored.pk]))
    assert_safe_attachment(response, "application/octet-stream", HTML)


def test_the_api_gives_a_scoped_download_address(world):
    dossier, stored = returned_with(world, "trang.html", HTML)
    mine = api_client(world.staff[Role.OFFICER])
    detail = mine.get(f"/api/dossiers/{dossier.code}/").json()
    (entry,) = detail["files"]
    assert entry["id"] == stored.pk
    path = f"/api/dossiers/{dossier.code}/files/{stored.pk}/"
    assert entry["download"] == f"http://testserver{path}"
    assert_safe_attachment(mine.get(path), "application/octet-stream", HTML)
    assert_safe_attachment(
        mine.get(path, HTTP_ACCEPT="application/octet-stream"), "application/octet-stream", HTML
    )
    assert APIClient().get(path).status_code == 401
    for people in (world.outsider, world.sibling):
        refused = api_client(people[Role.OFFICER]).get(path)
        assert refused.status_code == 404
        assert refused.json()["code"] == "not_found"
    assert mine.get(f"/api/dossiers/{dossier.code}/files/{stored.pk + 999}/").status_code == 404


def test_a_file_of_another_dossier_is_not_served_through_mine_by_the_api(world):
    _theirs, stored = returned_with(world, "ket-qua.pdf", b"%PDF-1.4")
    outsider_unit = world.tree["Q-1"]
    from tests.factories import ProcedureFactory

    other = services.receive_dossier(
        actor=world.outsider[Role.OFFICER],
        unit=outsider_unit,
        procedure=ProcedureFactory(),
        channel="direct",
        applicant_name="Trần Thị Bình",
    )
    client = api_client(world.outsider[Role.OFFICER])
    assert client.get(f"/api/dossiers/{other.code}/files/{stored.pk}/").status_code == 404


def test_reform_evidence_is_scoped_and_served_safely(world):
    commune = world.tree["P-D-1"]
    task = PlanTaskFactory(plan=ReformPlanFactory(unit=commune))
    editor = world.staff[Role.REFORM_OFFICER]
    evidence = attach_evidence(task, ContentFile(HTML, name="bien-ban.html"), user=editor)
    url = reverse("reform:evidence", args=[evidence.pk])
    assert Client().get(url).status_code == 302
    assert client_of(world.outsider[Role.REFORM_OFFICER]).get(url).status_code == 404
    assert client_of(world.sibling[Role.REFORM_OFFICER]).get(url).status_code == 404
    assert_safe_attachment(client_of(editor).get(url), "application/octet-stream", HTML)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("a.PDF", "application/pdf"),
        ("a.jpg", "image/jpeg"),
        ("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("a.html", "application/octet-stream"),
        ("a.xhtml", "application/octet-stream"),
        ("a.js", "application/octet-stream"),
        ("a.svg", "application/octet-stream"),
        ("", "application/octet-stream"),
    ],
)
def test_safe_content_types(name, expected):
    assert safe_content_type(name) == expected


def test_the_admin_links_evidence_to_the_scoped_view_and_shows_only_the_subtree(world):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    editor = world.staff[Role.REFORM_OFFICER]
    task = PlanTaskFactory(plan=ReformPlanFactory(unit=world.tree["P-D-1"]))
    mine = attach_evidence(task, ContentFile(b"%PDF", name="bien-ban.pdf"), user=editor)
    other_task = PlanTaskFactory(plan=ReformPlanFactory(unit=world.tree["Q-1"]))
    theirs = attach_evidence(
        other_task,
        ContentFile(b"%PDF", name="khac.pdf"),
        user=world.outsider[Role.REFORM_OFFICER],
    )
    staff = UserFactory(username="qt.pd", unit=world.tree["P-D"], role=Role.ADMIN, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_taskevidence"))
    client = client_of(staff)
    page = client.get(reverse("admin:reform_taskevidence_change", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("reform:evidence", args=[mine.pk]) in html
    assert "/media/" not in html
    listing = client.get(reverse("admin:reform_taskevidence_changelist")).content.decode()
    assert reverse("admin:reform_taskevidence_change", args=[mine.pk]) in listing
    assert reverse("admin:reform_taskevidence_change", args=[theirs.pk]) not in listing
    other = client.get(reverse("admin:reform_taskevidence_change", args=[theirs.pk]))
    assert other.status_code in (302, 404)
