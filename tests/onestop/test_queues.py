"""The work queues and the list of all dossiers: contents, counts in the navigation, filters,
search, pages, and a number of queries that does not grow with the dossiers."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers import selectors, services
from cchc.dossiers.constants import Channel, Status
from cchc.org.constants import Role
from cchc.workcalendar import calendar
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory

from .conftest import client_of, receive_now

QUEUES = ["cua-toi", "sap-den-han", "qua-han", "cho-bo-sung", "hom-nay"]


def today():
    return timezone.localdate()


def open_dossier(world, code, due, status=Status.PROCESSING, **kwargs):
    received = kwargs.pop("received_on", due - dt.timedelta(days=10))
    return DossierFactory(
        code=code,
        unit=kwargs.pop("unit", world.unit),
        procedure=kwargs.pop("procedure", world.procedure),
        received_on=received,
        due_date=due,
        initial_due_date=due,
        status=status,
        **kwargs,
    )


@pytest.fixture
def queues(world):
    """One dossier for each queue, and one of another province."""
    day = today()
    return {
        "overdue": open_dossier(world, "T-OVERDUE", day - dt.timedelta(days=7)),
        "due_soon": open_dossier(world, "T-SOON", calendar.add_working_days(day, 1)),
        "later": open_dossier(world, "T-LATER", calendar.add_working_days(day, 10)),
        "paused": open_dossier(
            world, "T-PAUSED", calendar.add_working_days(day, 3), status=Status.SUPPLEMENT
        ),
        "mine": open_dossier(
            world,
            "T-MINE",
            calendar.add_working_days(day, 10),
            assignee=world.staff[Role.SPECIALIST],
        ),
        "today": receive_now(world, applicant_name="Lê Văn Hôm Nay"),
        "outside": open_dossier(
            world, "T-OUTSIDE", day - dt.timedelta(days=7), unit=world.tree["Q-1"]
        ),
    }


def codes_in(response) -> set[str]:
    html = response.content.decode()
    return {part.split('"')[0] for part in html.split('data-code="')[1:]}


@pytest.mark.parametrize(
    "slug,expected",
    [
        ("qua-han", {"T-OVERDUE"}),
        ("sap-den-han", {"T-SOON"}),
        ("cho-bo-sung", {"T-PAUSED"}),
    ],
)
def test_each_queue_lists_its_dossiers(officer, queues, slug, expected):
    response = officer.get(reverse("onestop:queue", args=[slug]))
    assert response.status_code == 200
    assert codes_in(response) == expected


def test_received_today_lists_todays_receipts(officer, queues):
    response = officer.get(reverse("onestop:queue", args=["hom-nay"]))
    assert codes_in(response) == {queues["today"].code}


def test_my_dossiers_are_those_assigned_to_me(specialist, queues):
    response = specialist.get(reverse("onestop:queue", args=["cua-toi"]))
    assert codes_in(response) == {"T-MINE"}


def test_all_dossiers_are_those_of_the_subtree(officer, queues):
    response = officer.get(reverse("onestop:list"))
    assert "T-OUTSIDE" not in codes_in(response)
    assert {"T-OVERDUE", "T-SOON", "T-LATER", "T-PAUSED", "T-MINE"} <= codes_in(response)


def test_the_tabs_and_the_navigation_show_the_counts(officer, world, queues):
    html = officer.get(reverse("onestop:list")).content.decode()
    counts = selectors.queue_counts(world.staff[Role.OFFICER])
    assert counts["overdue"] == 1 and counts["due_soon"] == 1
    for name, count in counts.items():
        tab = html.split(f'data-queue="{name}"')[1]
        assert f"data-count>{count}</span>" in tab.split("</a>")[0]
    assert 'class="nav-badge nav-badge--late"' in html
    assert 'class="nav-badge nav-badge--soon"' in html


def test_other_pages_fetch_the_badges_after_loading(officer, world, queues):
    html = officer.get(reverse("web:home")).content.decode()
    assert f'hx-get="{reverse("onestop:badges")}"' in html
    badges = officer.get(reverse("onestop:badges")).content.decode()
    assert "nav-badge--late" in badges and "hx-get" not in badges


def test_the_badges_are_one_query(officer, world, queues, django_assert_max_num_queries):
    officer.get(reverse("onestop:badges"))
    # session, user, user's unit, the counts
    with django_assert_max_num_queries(4):
        officer.get(reverse("onestop:badges"))


def test_an_unknown_queue_is_not_found(officer, world):
    assert officer.get(reverse("onestop:queue", args=["nope"])).status_code == 404


def test_search_by_code_name_or_id_number(officer, world, queues):
    url = reverse("onestop:list")
    assert codes_in(officer.get(url, {"q": "T-SOON"})) == {"T-SOON"}
    assert codes_in(officer.get(url, {"q": "Hôm Nay"})) == {queues["today"].code}
    found = officer.get(url, {"q": queues["today"].applicant_id_number})
    assert codes_in(found) == {queues["today"].code}


def test_filters_by_field_procedure_channel_status_and_date(officer, world, queues):
    url = reverse("onestop:list")
    other = ProcedureFactory(
        code="2.000001", name="Chứng thực bản sao", field=FieldFactory(name="Chứng thực")
    )
    open_dossier(world, "T-OTHER", today(), procedure=other, channel=Channel.ONLINE)
    assert codes_in(officer.get(url, {"field": other.field_id})) == {"T-OTHER"}
    assert codes_in(officer.get(url, {"procedure": "chung thuc"})) == {"T-OTHER"}
    assert codes_in(officer.get(url, {"procedure": "2.000001"})) == {"T-OTHER"}
    assert codes_in(officer.get(url, {"channel": Channel.ONLINE})) == {"T-OTHER"}
    assert codes_in(officer.get(url, {"status": Status.SUPPLEMENT})) == {"T-PAUSED"}
    day = f"{today():%d/%m/%Y}"
    assert codes_in(officer.get(url, {"received_from": day, "received_to": day})) == {
        queues["today"].code
    }


def test_filters_combine_with_a_queue(officer, world, queues):
    url = reverse("onestop:queue", args=["qua-han"])
    assert codes_in(officer.get(url, {"channel": Channel.ONLINE})) == set()
    assert codes_in(officer.get(url, {"q": "T-OVER"})) == {"T-OVERDUE"}


def test_a_bad_date_is_shown_and_does_not_filter(officer, world, queues):
    response = officer.get(reverse("onestop:list"), {"received_from": "31/02/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_htmx_filtering_answers_with_the_results_only(officer, world, queues):
    response = officer.get(
        reverse("onestop:list"), {"q": "T-SOON"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert html.startswith('<section id="results"')
    assert codes_in(response) == {"T-SOON"}


def test_lists_are_paginated(officer, world):
    for n in range(35):
        open_dossier(world, f"T-PAGE-{n:02d}", today() + dt.timedelta(days=30))
    first = officer.get(reverse("onestop:list"))
    assert len(codes_in(first)) == 30
    assert 'rel="next"' in first.content.decode()
    second = officer.get(reverse("onestop:list"), {"page": 2})
    assert len(codes_in(second)) == 5


def test_deadline_words_in_the_list(officer, world, queues):
    html = officer.get(reverse("onestop:list")).content.decode()
    assert "Quá hạn" in html and "Còn 1 ngày làm việc" in html


@pytest.fixture
def many(world):
    """30 dossiers in every state, with events, pauses, papers and files behind some."""
    staff = world.staff
    day = today()
    for n in range(20):
        status = [Status.PROCESSING, Status.SUPPLEMENT, Status.RECEIVED, Status.RESOLVED][n % 4]
        open_dossier(
            world,
            f"M-{n:02d}",
            day + dt.timedelta(days=n - 10),
            status=status,
            assignee=staff[Role.SPECIALIST] if n % 3 else None,
            department=world.department if n % 2 else None,
        )
    richest = None
    for _n in range(10):
        dossier = receive_now(world)
        dossier = services.assign_dossier(
            dossier,
            actor=staff[Role.OFFICER],
            expected_version=dossier.version,
            assignee=staff[Role.SPECIALIST],
        )
        dossier = services.request_supplement(
            dossier, actor=staff[Role.SPECIALIST], expected_version=dossier.version, reason="x"
        )
        richest = services.resume_dossier(
            dossier, actor=staff[Role.SPECIALIST], expected_version=dossier.version
        )
    return richest


PAGES = [
    ("onestop:list", [], {}),
    ("onestop:list", [], {"q": "M-", "channel": Channel.DIRECT, "procedure": "khai sinh"}),
    (
        "onestop:list",
        [],
        {"field": "1", "status": Status.PROCESSING, "received_from": "01/01/2020"},
    ),
    *[("onestop:queue", [slug], {}) for slug in QUEUES],
]


@pytest.mark.parametrize("name,args,params", PAGES)
def test_queue_pages_take_under_ten_queries(
    world, many, django_assert_max_num_queries, name, args, params
):
    for role in (Role.OFFICER, Role.SPECIALIST):
        client = client_of(world.staff[role])
        client.get(reverse(name, args=args), params)  # the calendar's cache is warm
        with django_assert_max_num_queries(9):
            response = client.get(reverse(name, args=args), params)
        assert response.status_code == 200


def test_the_dossier_page_takes_under_ten_queries(world, many, django_assert_max_num_queries):
    for role in (Role.OFFICER, Role.SPECIALIST, Role.LEADER):
        client = client_of(world.staff[role])
        url = reverse("onestop:dossier", args=[many.code])
        client.get(url)
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200
        assert 'data-action="resumed"' in response.content.decode()


def test_the_pages_follow_the_language_switch(officer, world, queues):
    officer.post(reverse("set_language"), {"language": "en", "next": "/mot-cua/"})
    html = officer.get(reverse("onestop:queue", args=["qua-han"])).content.decode()
    assert "All dossiers" in html
    assert "Received today" in html
    assert re.search(r"\d+ working days? overdue", html)
