"""Numbers a form value cannot hold are refused with a message, never a server error: typed
into forms 1–7 (saved or checked live), computed from typed values, or a year in an address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.reform.models import FormReport, FormSet, FormValue, ReformPlan
from cchc.reform.services import create_report

from .factories import Q1_2023, officer

BAD_NUMBERS = ["1e308", "99999999999999999999999", "-1e20", "10000000000000000", "1e-400x"]


@pytest.fixture
def c1(tree):
    return officer(tree["P-D-1"])


@pytest.fixture
def report(tree, c1) -> FormReport:
    form_set = FormSet.objects.get(year=2023, version=1)
    start, end = Q1_2023
    return create_report(unit=tree["P-D-1"], form_set=form_set, start=start, end=end, user=c1)


@pytest.mark.parametrize("typed", BAD_NUMBERS)
def test_a_number_too_large_to_store_is_refused_with_a_message(client, c1, report, typed):
    client.force_login(c1)
    url = reverse("reform:report", args=[report.pk])
    response = client.post(url, {"v-1-3.3.1": typed, "v-6-1.1": "5"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3.3.1" in page and ("giới hạn" in page or "không phải là số" in page)
    assert not FormValue.objects.filter(report=report, source="manual").exists()


@pytest.mark.parametrize("typed", BAD_NUMBERS)
def test_the_live_check_names_the_number_too_large(client, c1, report, typed):
    client.force_login(c1)
    url = reverse("reform:report_check", args=[report.pk])
    response = client.post(url, {"v-1-3.3.1": typed, "v-1-3.3.2": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3.3.1" in page and ("giới hạn" in page or "không phải là số" in page)


def test_the_largest_number_a_value_holds_is_stored(client, c1, report):
    client.force_login(c1)
    url = reverse("reform:report", args=[report.pk])
    client.post(url, {"v-1-3.3.1": "9999999999999999", "v-1-3.3.2": "-9999999999999999"})
    values = {v.row.code: v.value for v in FormValue.objects.filter(report=report, source="manual")}
    assert values == {"3.3.1": 9999999999999999, "3.3.2": -9999999999999999}


def test_a_formula_result_too_large_to_store_is_refused(client, c1, report):
    # [3.3.2] / [3.3.1] * 100 = 10^22: each value fits, the rate does not.
    client.force_login(c1)
    url = reverse("reform:report", args=[report.pk])
    page = client.post(
        url, {"v-1-3.3.1": "0,0001", "v-1-3.3.2": "9999999999999999"}, follow=True
    ).content.decode()
    assert "quá lớn để lưu" in page
    assert not FormValue.objects.filter(report=report, source="manual").exists()


def test_nul_in_a_value_is_refused(client, c1, report):
    client.force_login(c1)
    response = client.post(reverse("reform:report", args=[report.pk]), {"v-1-3.3.1": "1\x00"})
    assert response.status_code == 400
    assert "ký tự" in response.content.decode()


@pytest.mark.parametrize("year", ["99999", "-1", "9223372036854775808", "²"])
def test_a_plan_for_a_year_out_of_range_is_this_years(client, c1, year):
    client.force_login(c1)
    response = client.post(reverse("reform:plan_create"), {"year": year})
    assert response.status_code == 302
    assert all(2015 <= y <= 2100 for y in ReformPlan.objects.values_list("year", flat=True))


def test_a_control_character_for_the_written_report_is_refused(client, c1, report):
    # The signer's name goes into the DOCX, whose XML cannot hold \x01: it was a server error.
    client.force_login(c1)
    url = reverse("reform:report_docx", args=[report.pk])
    response = client.get(url, {"signer": "Nguyễn\x01Văn"})
    assert response.status_code == 400
    assert "ký tự" in response.content.decode()
