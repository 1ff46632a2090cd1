"""The Django admin shows a staff user their subtree only; superusers see everything."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cchc.org.constants import Role
from cchc.org.models import Unit, User
from tests.factories import DossierFactory, ProcedureFactory, UserFactory


@pytest.fixture
def unit_admin(tree):
    """A staff unit administrator of district P-D with the usual admin permissions."""
    user = UserFactory(username="qt.pd", unit=tree["P-D"], role=Role.ADMIN, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["org", "dossiers", "catalog"],
            codename__regex=r"^(view|add|change)_",
        )
    )
    return user


@pytest.fixture
def admin_client_pd(client, unit_admin):
    client.force_login(unit_admin)
    return client


@pytest.fixture
def rows(tree):
    return {
        "mine": DossierFactory(code="MINE-1", unit=tree["P-D-1"]),
        "other": DossierFactory(code="OTHER-1", unit=tree["Q-1"]),
        "mine_user": UserFactory(username="mc.pd1", unit=tree["P-D-1"]),
        "other_user": UserFactory(username="mc.q1", unit=tree["Q-1"]),
    }


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def change(model: str, pk) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_change", args=[pk])


def test_dossier_list_shows_only_the_subtree(admin_client_pd, rows):
    html = admin_client_pd.get(changelist("dossiers.dossier")).content.decode()
    assert "MINE-1" in html
    assert "OTHER-1" not in html


def test_unit_filter_of_the_dossier_list_offers_only_the_subtree(admin_client_pd, rows, tree):
    html = admin_client_pd.get(changelist("dossiers.dossier")).content.decode()
    assert tree["P-D-1"].name in html
    assert tree["Q-1"].name not in html
    assert tree["Q"].name not in html


def test_other_units_dossier_change_page_is_refused(admin_client_pd, rows):
    response = admin_client_pd.get(change("dossiers.dossier", rows["other"].pk))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    assert admin_client_pd.get(change("dossiers.dossier", rows["mine"].pk)).status_code == 200


def test_unit_list_and_change_pages_are_scoped(admin_client_pd, tree):
    html = admin_client_pd.get(changelist("org.unit")).content.decode()
    assert ">P-D-1<" in html
    assert ">Q-1<" not in html
    assert ">P<" not in html  # the province above the district is not theirs
    assert admin_client_pd.get(change("org.unit", tree["Q-1"].pk)).status_code in (302, 404)
    assert admin_client_pd.get(change("org.unit", tree["P"].pk)).status_code in (302, 404)
    assert admin_client_pd.get(change("org.unit", tree["P-D-2"].pk)).status_code == 200


def test_user_list_and_change_pages_are_scoped(admin_client_pd, rows):
    html = admin_client_pd.get(changelist("org.user")).content.decode()
    assert "mc.pd1" in html
    assert "mc.q1" not in html
    other = rows["other_user"]
    assert admin_client_pd.get(change("org.user", other.pk)).status_code in (302, 404)
    password = reverse("admin:auth_user_password_change", args=[other.pk])
    assert admin_client_pd.get(password).status_code in (302, 404)


def test_unit_choices_are_limited_to_the_subtree(admin_client_pd, tree):
    html = admin_client_pd.get(reverse("admin:org_user_add")).content.decode()
    select = html.split('name="unit"')[1].split("</select>")[0]
    assert f'value="{tree["P-D-1"].pk}"' in select
    assert f'value="{tree["Q-1"].pk}"' not in select
    assert f'value="{tree["P"].pk}"' not in select


def test_unit_administrator_cannot_create_a_user_outside_the_subtree(admin_client_pd, tree):
    response = admin_client_pd.post(
        reverse("admin:org_user_add"),
        {
            "username": "intruder",
            "unit": tree["Q-1"].pk,
            "role": Role.OFFICER,
            "usable_password": "true",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not User.objects.filter(username="intruder").exists()


def test_unit_administrator_cannot_grant_superuser(admin_client_pd, rows):
    user = rows["mine_user"]
    html = admin_client_pd.get(change("org.user", user.pk)).content.decode()
    assert 'name="is_superuser"' not in html


def test_superusers_are_out_of_reach_of_unit_administrators(admin_client_pd, tree):
    boss = UserFactory(username="boss", unit=tree["P-D-1"], is_superuser=True, is_staff=True)
    assert "boss" not in admin_client_pd.get(changelist("org.user")).content.decode()
    assert admin_client_pd.get(change("org.user", boss.pk)).status_code in (302, 404)


def test_unit_parent_choices_are_limited_to_the_subtree(admin_client_pd, tree):
    html = admin_client_pd.get(reverse("admin:org_unit_add")).content.decode()
    select = html.split('name="parent"')[1].split("</select>")[0]
    assert f'value="{tree["P-D"].pk}"' in select
    assert f'value="{tree["Q"].pk}"' not in select


def test_units_are_never_deleted(admin_client_pd, tree):
    response = admin_client_pd.get(reverse("admin:org_unit_delete", args=[tree["P-D-2"].pk]))
    assert response.status_code == 403
    assert Unit.objects.filter(pk=tree["P-D-2"].pk).exists()


def test_dossiers_are_read_only_in_the_admin(admin_client_pd, rows):
    dossier = rows["mine"]
    url = change("dossiers.dossier", dossier.pk)
    html = admin_client_pd.get(url).content.decode()
    assert 'name="_save"' not in html
    response = admin_client_pd.post(url, {"code": "CHANGED"})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.code == "MINE-1"


def test_superuser_sees_every_unit_and_dossier(client, rows, tree):
    client.force_login(UserFactory(username="root", unit=None, is_superuser=True, is_staff=True))
    html = client.get(changelist("dossiers.dossier")).content.decode()
    assert "MINE-1" in html and "OTHER-1" in html
    html = client.get(changelist("org.unit")).content.decode()
    assert ">Q-1<" in html and ">P-D-1<" in html
    assert client.get(change("dossiers.dossier", rows["other"].pk)).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "org.unit",
        "org.unitlevel",
        "org.user",
        "catalog.field",
        "catalog.procedure",
        "dossiers.dossier",
    ],
)
def test_admin_pages_render_in_vietnamese(client, rows, model):
    ProcedureFactory()
    client.force_login(UserFactory(username="root", unit=None, is_superuser=True, is_staff=True))
    response = client.get(changelist(model))
    assert response.status_code == 200
    assert "Quản trị hệ thống Một cửa" in response.content.decode()


def test_reform_plans_and_reports_in_the_admin_are_scoped(client, unit_admin, tree):
    """A unit administrator granted the reform models still sees only the subtree's plans."""
    from cchc.reform.models import ReformPlan

    unit_admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reform", codename__in=["view_reformplan", "view_formreport"]
        )
    )
    mine = ReformPlan.objects.create(unit=tree["P-D-1"], year=2026, title="KH-CUA-MINH")
    other = ReformPlan.objects.create(unit=tree["Q-1"], year=2026, title="KH-CUA-NGUOI-KHAC")
    client.force_login(unit_admin)
    html = client.get(changelist("reform.reformplan")).content.decode()
    assert "KH-CUA-MINH" in html
    assert "KH-CUA-NGUOI-KHAC" not in html
    assert client.get(change("reform.reformplan", mine.pk)).status_code == 200
    assert client.get(change("reform.reformplan", other.pk)).status_code in (302, 404)
    assert client.get(changelist("reform.formreport")).status_code == 200
