"""The home page: a unit's statistics for a chosen period, within the user's subtree only."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cchc.org.constants import Role
from cchc.org.models import Unit
from tests.factories import DossierFactory, UserFactory
from tests.web import pages
from tests.web.conftest import KIM_THACH_PUBLISHED

HOME = reverse("web:home")
NBSP = "\u00a0"


def kpi(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">([^<]*)<', html)
    assert match, f"no KPI {key}"
    return match.group(1)


def test_home_requires_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html


def test_wrong_password_gives_a_vietnamese_message(client, db):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_leads_to_the_home_page(client, kim_thach_officer):
    kim_thach_officer.set_password("demo12345")
    kim_thach_officer.save()
    response = client.post(reverse("login"), {"username": "mc.kimthach", "password": "demo12345"})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_kim_thach_officer_sees_the_published_figures(officer_client):
    response = officer_client.get(HOME, KIM_THACH_PUBLISHED)
    assert response.status_code == 200
    html = response.content.decode()
    assert kpi(html, "received_total") == "692"
    assert kpi(html, "resolved") == "651"
    # Seed 002: 650 early + 1 on time of 651 resolved; 319 online of 379 eligible (84,2 %).
    assert kpi(html, "on_time_rate") == f"100,00{NBSP}%"
    assert kpi(html, "online_rate") == f"84,17{NBSP}%"
    assert "Xã Kim Thạch" in html
    assert "từ 15/12/2022 đến 12/06/2023" in html


def test_table_per_field_lists_the_published_fields(officer_client):
    html = officer_client.get(HOME, KIM_THACH_PUBLISHED).content.decode()
    rows = pages.cells(html, "table-by-field")
    assert list(rows) == [
        "Bảo trợ xã hội",
        "Chứng thực",
        "Hộ tịch",
        "Người có công",
        "Đất đai",
        "all",
    ]
    assert rows["Chứng thực"]["received_total"] == "217"
    assert rows["Chứng thực"]["carried_over"] == "0"


def test_figures_are_grouped_with_dots_and_rates_with_a_comma(client, kbang):
    leader = UserFactory(unit=kbang, role=Role.LEADER)
    client.force_login(leader)
    html = client.get(HOME, {"kind": "custom", "start": "15/12/2022", "end": "10/03/2023"}).content
    html = html.decode()
    # Seed 003: 752 district + 2,467 commune dossiers; the communes resolved 2,445.
    assert kpi(html, "received_total") == "3.219"
    assert "2.467" in html
    assert "2.445" in html
    assert f"0,08{NBSP}%" in html  # the communes' online rate: 2 of 2,467


def test_district_shows_its_communes_and_levels(client, kbang):
    client.force_login(UserFactory(unit=kbang, role=Role.LEADER))
    html = client.get(HOME, {"kind": "quarter", "year": "2023", "quarter": "1"}).content.decode()
    by_unit = html.split('id="table-by-unit"')[1].split("</table>")[0]
    assert by_unit.split("<tbody>")[1].count("<tr") == 1 + 14 + 1  # own shop, 14 communes, total
    assert "unit=GL-KB-04" in by_unit  # each commune links to its own figures
    overall = html.split('id="table-overall"')[1].split("</table>")[0]
    assert "Cấp huyện" in overall and "Cấp xã" in overall


def test_regular_period_uses_the_reporting_cut_off(officer_client):
    html = officer_client.get(
        HOME, {"kind": "quarter", "year": "2023", "quarter": "1"}
    ).content.decode()
    assert "từ 15/12/2022 đến 14/03/2023" in html


def test_default_period_is_the_report_that_covers_the_latest_data(officer_client):
    html = officer_client.get(HOME).content.decode()
    assert "6 tháng đầu năm 2023" in html
    assert "từ 15/12/2022 đến 14/06/2023" in html


def test_subordinate_unit_of_the_subtree_can_be_chosen(client, kbang):
    client.force_login(UserFactory(unit=kbang, role=Role.LEADER))
    response = client.get(HOME, {"unit": "GL-KB-04", **KIM_THACH_PUBLISHED})
    assert response.status_code == 200
    assert "<h1>Xã Krong</h1>" in response.content.decode()


@pytest.mark.parametrize("code", ["GL-KB", "QT-VL", "QT", "NO-SUCH-UNIT"])
def test_unit_outside_the_subtree_is_not_found(officer_client, kbang, code):
    response = officer_client.get(HOME, {"unit": code, **KIM_THACH_PUBLISHED})
    assert response.status_code == 404
    html = response.content.decode()
    assert "data-kpi" not in html
    assert "Huyện Kbang" not in html


def test_unit_picker_offers_only_the_subtree(client, kbang, kim_thach):
    client.force_login(UserFactory(unit=kbang, role=Role.LEADER))
    html = client.get(HOME).content.decode()
    picker = html.split('<select name="unit"')[1].split("</select>")[0]
    assert 'value="GL-KB"' in picker and 'value="GL-KB-04"' in picker
    assert 'value="GL"' not in picker  # the province above is not theirs
    assert "QT-VL-KT" not in picker


def test_user_without_a_unit_sees_an_explanation(client, db):
    client.force_login(UserFactory(unit=None))
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa gắn với đơn vị nào" in html
    assert "data-kpi" not in html


def test_superuser_without_a_unit_starts_on_a_root_unit(client, kim_thach):
    client.force_login(UserFactory(unit=None, is_superuser=True, is_staff=True))
    response = client.get(HOME, KIM_THACH_PUBLISHED)
    assert response.status_code == 200
    assert kpi(response.content.decode(), "received_total") == "692"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "31/02/2023", "end": "12/06/2023"}, "Ngày không hợp lệ"),
        ({"start": "2022-12-15", "end": "12/06/2023"}, "Ngày không hợp lệ"),
        ({"start": "15/12/2022", "end": "hôm qua"}, "Ngày không hợp lệ"),
        ({"start": "", "end": "12/06/2023"}, "Hãy nhập ngày"),
        (
            {"start": "12/06/2023", "end": "15/12/2022"},
            "Ngày kết thúc phải cùng hoặc sau ngày bắt đầu",
        ),
    ],
)
def test_wrong_dates_give_a_vietnamese_form_error(officer_client, params, message):
    response = officer_client.get(HOME, {"kind": "custom", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "data-kpi" not in html


def test_unknown_period_kind_and_year_are_form_errors(officer_client):
    response = officer_client.get(HOME, {"kind": "decade", "year": "1900"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_period_not_started_yet_is_a_form_error(officer_client):
    today = dt.date.today()
    response = officer_client.get(
        HOME,
        {
            "kind": "custom",
            "start": f"{today + dt.timedelta(days=30):%d/%m/%Y}",
            "end": f"{today + dt.timedelta(days=60):%d/%m/%Y}",
        },
    )
    assert "Kỳ báo cáo chưa bắt đầu" in response.content.decode()


def test_running_period_is_counted_until_today(client, tree):
    client.force_login(UserFactory(unit=tree["P-D-1"]))
    today = dt.date.today()
    html = client.get(
        HOME,
        {
            "kind": "custom",
            "start": f"{today - dt.timedelta(days=10):%d/%m/%Y}",
            "end": f"{today + dt.timedelta(days=30):%d/%m/%Y}",
        },
    ).content.decode()
    assert "số liệu được tính đến hết hôm nay" in html
    assert f"đến {today:%d/%m/%Y}" in html


def test_htmx_refresh_returns_only_the_report(officer_client):
    response = officer_client.get(HOME, KIM_THACH_PUBLISHED, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report"')
    assert "<html" not in html
    assert kpi(html, "received_total") == "692"


def test_page_works_without_javascript(officer_client):
    html = officer_client.get(HOME).content.decode()
    form = html.split('<form method="get"')[1].split("</form>")[0]
    assert f'action="{HOME}"' in form
    assert 'type="submit"' in form
    assert "web/htmx.min.js" in html  # vendored, no CDN
    assert "https://" not in html


def test_language_switch_to_english(officer_client):
    response = officer_client.post(
        reverse("set_language"), {"language": "en", "next": HOME}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Dossiers received" in html
    assert "Resolved" in html
    assert "Tổng số hồ sơ tiếp nhận" not in html


def test_home_query_count_does_not_grow_with_the_tree(client, django_assert_max_num_queries, tree):
    for code in ("P-D", "P-D-1", "P-D-2"):
        DossierFactory.create_batch(3, unit=tree[code])
    leader = UserFactory(unit=tree["P"], role=Role.LEADER)
    client.force_login(leader)
    # The page's own queries, and those of counting from the dossiers and storing the counts
    # (cchc.stats.cache), four more for the units that get their first stamp.
    with django_assert_max_num_queries(25):
        client.get(HOME, {"kind": "year", "year": "2023"})
    for n in range(20):
        Unit.objects.create(
            code=f"P-D-X{n}", name=f"Xã {n}", level=tree["P-D-1"].level, parent=tree["P-D"]
        )
    DossierFactory.create_batch(5, unit=Unit.objects.get(code="P-D-X3"))
    with django_assert_max_num_queries(25):
        response = client.get(HOME, {"kind": "year", "year": "2023", "unit": "P-D"})
    assert kpi(response.content.decode(), "received_total") == "14"  # 3 x 3 + 5
