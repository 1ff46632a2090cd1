"""Overrides have a scope: national (superusers only) or one province's (its administrators).

A district's or a commune's administrator edits none; a province's extra day off moves the due
dates of its own units only.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cchc.dossiers.constants import Channel, Status
from cchc.dossiers.models import DossierWarning
from cchc.dossiers.selectors import queue
from cchc.dossiers.services import receive_dossier, record_deadline_warnings
from cchc.org.constants import Role
from cchc.workcalendar import calendar
from cchc.workcalendar.models import CalendarOverride
from tests.factories import DossierFactory, ProcedureFactory, UserFactory, vn_moment

pytestmark = pytest.mark.django_db

D = dt.date
TUESDAY, WEDNESDAY, THURSDAY = D(2023, 3, 7), D(2023, 3, 8), D(2023, 3, 9)
SATURDAY = D(2023, 3, 11)
URL = "/admin/workcalendar/calendaroverride/"


def admin_of(unit, **attrs):
    return UserFactory(password="!", unit=unit, role=Role.ADMIN, is_staff=True, **attrs)


@pytest.fixture
def overrides(tree):
    return {
        "national": CalendarOverride.objects.create(date=SATURDAY, is_working_day=True),
        "P": CalendarOverride.objects.create(
            province=tree["P"], date=WEDNESDAY, is_working_day=False, note="Bão"
        ),
    }


def form(date, province=None, working=False):
    data = {"date": f"{date:%d/%m/%Y}", "note": "thử", "legal_basis": ""}
    if province is not None:
        data["province"] = province.pk
    if working:
        data["is_working_day"] = "on"
    return data


# --- Who edits what ---------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["P-D", "P-D-1"])
def test_a_district_or_commune_admin_edits_no_override(client, tree, overrides, unit):
    client.force_login(admin_of(tree[unit]))
    before = set(CalendarOverride.objects.values_list("pk", "date", "is_working_day"))
    assert client.post(URL + "add/", form(THURSDAY)).status_code == 403
    assert client.post(URL + "add/", form(THURSDAY, tree["P"])).status_code == 403
    for override in overrides.values():
        change = form(override.date, override.province, working=not override.is_working_day)
        assert client.post(f"{URL}{override.pk}/change/", change).status_code == 403
        assert client.post(f"{URL}{override.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        URL,
        {"action": "delete_selected", "_selected_action": [o.pk for o in overrides.values()]},
    )
    assert set(CalendarOverride.objects.values_list("pk", "date", "is_working_day")) == before
    # They may look at the calendar their due dates follow: national and their province's.
    listed = client.get(URL, {"year": "2023"}).context["cl"].result_list
    assert set(listed) == set(overrides.values())


def test_a_province_admin_edits_its_own_overrides_only(client, tree, overrides):
    client.force_login(admin_of(tree["P"]))
    national, own = overrides["national"], overrides["P"]
    # No national row: the province is required, and only its own is offered.
    page = client.post(URL + "add/", form(THURSDAY))
    assert page.status_code == 200 and "province" in page.context["adminform"].form.errors
    page = client.post(URL + "add/", form(THURSDAY, tree["Q"]))
    assert page.status_code == 200 and "province" in page.context["adminform"].form.errors
    assert not CalendarOverride.objects.filter(date=THURSDAY).exists()
    assert client.post(URL + "add/", form(THURSDAY, tree["P"])).status_code == 302
    assert CalendarOverride.objects.get(date=THURSDAY).province == tree["P"]
    # The national row stays as it is; its own row may change.
    change = form(national.date, working=False)
    assert client.post(f"{URL}{national.pk}/change/", change).status_code == 403
    assert client.post(f"{URL}{national.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        URL, {"action": "delete_selected", "_selected_action": [national.pk], "post": "yes"}
    )
    assert CalendarOverride.objects.filter(pk=national.pk, is_working_day=True).exists()
    moved = form(TUESDAY, tree["P"])
    assert client.post(f"{URL}{own.pk}/change/", moved).status_code == 302
    assert CalendarOverride.objects.get(pk=own.pk).date == TUESDAY


def test_another_provinces_overrides_are_out_of_reach(client, tree, overrides):
    client.force_login(admin_of(tree["Q"]))
    own = overrides["P"]
    assert client.get(f"{URL}{own.pk}/change/").status_code == 302  # not found in the list
    assert client.post(f"{URL}{own.pk}/delete/", {"post": "yes"}).status_code == 302
    assert CalendarOverride.objects.filter(pk=own.pk).exists()
    assert set(client.get(URL, {"year": "2023"}).context["cl"].result_list) == {
        overrides["national"]
    }


def test_a_superuser_edits_national_and_province_overrides(client, tree):
    client.force_login(UserFactory(password="!", unit=None, is_superuser=True, is_staff=True))
    assert client.post(URL + "add/", form(THURSDAY)).status_code == 302
    assert client.post(URL + "add/", form(TUESDAY, tree["Q"])).status_code == 302
    assert set(
        CalendarOverride.objects.filter(date__in=[TUESDAY, THURSDAY]).values_list(
            "date", "province__code"
        )
    ) == {(THURSDAY, None), (TUESDAY, "Q")}


# --- The model ----------------------------------------------------------------------------


def test_only_a_province_has_overrides_of_its_own(tree):
    with pytest.raises(ValidationError) as refused:
        CalendarOverride(province=tree["P-D"], date=WEDNESDAY, is_working_day=False).full_clean()
    assert "province" in refused.value.message_dict


def test_a_province_override_must_differ_from_the_national_calendar(tree):
    CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False)
    with pytest.raises(ValidationError):
        CalendarOverride(province=tree["P"], date=WEDNESDAY, is_working_day=False).full_clean()
    CalendarOverride(province=tree["P"], date=WEDNESDAY, is_working_day=True).full_clean()


def test_one_override_per_day_and_scope(tree):
    CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False)
    CalendarOverride.objects.create(province=tree["P"], date=WEDNESDAY, is_working_day=True)
    with pytest.raises(ValidationError):
        CalendarOverride(province=tree["P"], date=WEDNESDAY, is_working_day=True).full_clean()
    with pytest.raises(ValidationError):
        CalendarOverride(date=WEDNESDAY, is_working_day=False).full_clean()


# --- Whose due dates move -----------------------------------------------------------------


def test_a_provinces_day_off_moves_its_own_units_due_dates_only(tree, overrides):
    assert not calendar.is_working_day(WEDNESDAY, tree["P-D-1"])
    assert calendar.is_working_day(WEDNESDAY, tree["Q-1"])
    assert calendar.is_working_day(WEDNESDAY)
    # National overrides hold in the province too.
    assert calendar.is_working_day(SATURDAY, tree["P-D-1"])
    procedure = ProcedureFactory(processing_time=1)
    due = {}
    for code in ("P-D-1", "P-D-2", "Q-1"):
        unit = tree[code]
        dossier = receive_dossier(
            actor=UserFactory(password="!", unit=unit, role=Role.OFFICER),
            unit=unit,
            procedure=procedure,
            channel=Channel.DIRECT,
            applicant_name="Nguyễn Văn An",
            at=vn_moment(TUESDAY),
        )
        due[code] = dossier.due_date
    assert due == {"P-D-1": THURSDAY, "P-D-2": THURSDAY, "Q-1": WEDNESDAY}


def test_warnings_and_queues_count_days_on_each_units_calendar(tree, overrides):
    # Due Thursday: one working day after Tuesday in P (Wednesday off), two in Q.
    in_p = DossierFactory(unit=tree["P-D-1"], due_date=THURSDAY, status=Status.PROCESSING)
    in_q = DossierFactory(unit=tree["Q-1"], due_date=THURSDAY, status=Status.PROCESSING)
    record_deadline_warnings(TUESDAY)
    assert set(DossierWarning.objects.values_list("dossier_id", flat=True)) == {in_p.pk}
    superuser = UserFactory(password="!", unit=None, is_superuser=True)
    friday = D(2023, 3, 10)
    late_p = DossierFactory(unit=tree["P-D-2"], due_date=friday, status=Status.PROCESSING)
    DossierFactory(unit=tree["Q-1"], due_date=friday, status=Status.PROCESSING)
    # Due soon: within two working days of Tuesday (Thursday in Q, Friday in P).
    assert set(queue(superuser, "due_soon", TUESDAY)) == {in_p, in_q, late_p}


def test_calendar_days_shows_a_provinces_calendar(tree, overrides):
    out = StringIO()
    call_command("calendar_days", "2023", "--province", "P", stdout=out)
    assert "08/03/2023  Thứ Tư    nghỉ      Bão  [điều chỉnh]" in out.getvalue()
    assert "11/03/2023  Thứ Bảy   làm việc" in out.getvalue()  # the national override too
    assert "Năm 2023: 249 ngày làm việc" in out.getvalue()
    out = StringIO()
    call_command("calendar_days", "2023", stdout=out)
    assert "08/03/2023" not in out.getvalue()
    assert "Năm 2023: 250 ngày làm việc" in out.getvalue()
