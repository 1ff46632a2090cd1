"""Overrides: they win over the rule base, keep the cache fresh, and only admins edit them."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from cchc.org.constants import Role
from cchc.workcalendar import calendar
from cchc.workcalendar.admin import CalendarOverrideAdmin
from cchc.workcalendar.models import CalendarOverride
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
SATURDAY = D(2023, 3, 11)
WEDNESDAY = D(2023, 3, 8)
TET_MONDAY = D(2023, 1, 23)


# --- Overrides win over the rule base -----------------------------------------------------


def test_a_saturday_override_makes_it_a_working_day():
    CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    assert calendar.is_working_day(SATURDAY)
    assert calendar.add_working_days(D(2023, 3, 10), 1) == SATURDAY


def test_an_extra_day_off_is_skipped():
    CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False, note="Nghỉ thêm")
    assert not calendar.is_working_day(WEDNESDAY)
    assert calendar.add_working_days(D(2023, 3, 7), 1) == D(2023, 3, 9)
    assert calendar.working_days_between(D(2023, 3, 6), D(2023, 3, 10)) == 3


def test_an_override_wins_over_a_package_holiday():
    CalendarOverride.objects.create(date=TET_MONDAY, is_working_day=True)
    assert calendar.is_working_day(TET_MONDAY)
    assert calendar.add_working_days(D(2023, 1, 19), 1) == TET_MONDAY


def test_an_override_moves_working_hours_too():
    CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    friday_close = dt.datetime(2023, 3, 10, 16, tzinfo=calendar.VN_TZ)
    assert calendar.add_working_hours(friday_close, 2) == dt.datetime(
        2023, 3, 11, 8, 30, tzinfo=calendar.VN_TZ
    )


def test_the_rule_base_ignores_overrides():
    CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False)
    assert calendar.is_working_day_by_rule(WEDNESDAY)


# --- Cache invalidation -------------------------------------------------------------------


def test_saving_an_override_refreshes_the_cache():
    assert calendar.is_working_day(WEDNESDAY)
    override = CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False)
    assert not calendar.is_working_day(WEDNESDAY)
    override.is_working_day = True
    override.save()
    assert calendar.is_working_day(WEDNESDAY)


def test_deleting_an_override_refreshes_the_cache():
    override = CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    assert calendar.is_working_day(SATURDAY)
    override.delete()
    assert not calendar.is_working_day(SATURDAY)


def test_deleting_overrides_in_bulk_refreshes_the_cache():
    CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    assert calendar.is_working_day(SATURDAY)
    CalendarOverride.objects.filter(date__year=2023).delete()
    assert not calendar.is_working_day(SATURDAY)


def test_the_cache_is_refreshed_again_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    assert calendar.invalidate_cache in callbacks


def test_overrides_are_read_once_not_per_call(django_assert_num_queries):
    calendar.is_working_day(WEDNESDAY)
    with django_assert_num_queries(0):
        for n in range(1, 300):
            calendar.add_working_days(D(2023, 1, 1), n)


# --- The model ----------------------------------------------------------------------------


def test_an_override_identical_to_the_rule_base_is_refused():
    with pytest.raises(ValidationError) as refused:
        CalendarOverride(date=SATURDAY, is_working_day=False).full_clean()
    assert "đã là ngày nghỉ" in str(refused.value.message_dict["is_working_day"])
    with pytest.raises(ValidationError) as refused:
        CalendarOverride(date=WEDNESDAY, is_working_day=True).full_clean()
    assert "đã là ngày làm việc" in str(refused.value.message_dict["is_working_day"])
    with pytest.raises(ValidationError):
        CalendarOverride(date=TET_MONDAY, is_working_day=False).full_clean()


def test_an_override_that_changes_the_status_is_accepted():
    CalendarOverride(date=SATURDAY, is_working_day=True, legal_basis="x").full_clean()
    CalendarOverride(date=WEDNESDAY, is_working_day=False).full_clean()
    CalendarOverride(date=TET_MONDAY, is_working_day=True).full_clean()


def test_seeded_swaps_change_the_status_and_cite_their_basis():
    seeded = list(CalendarOverride.objects.filter(date__year=2026))
    assert {(o.date, o.is_working_day) for o in seeded} >= {
        (D(2026, 1, 2), False),
        (D(2026, 1, 10), True),
    }
    for override in seeded:
        assert override.legal_basis
        override.full_clean()


def test_no_override_touches_the_fixtures_period():
    assert not CalendarOverride.objects.filter(
        date__gte=D(2022, 12, 1), date__lt=D(2023, 7, 1)
    ).exists()


# --- The admin ----------------------------------------------------------------------------


def make_user(**attrs):
    # An unusable password: hashing a real one costs a second per user.
    return UserFactory(password="!", **attrs)


@pytest.fixture
def model_admin():
    return CalendarOverrideAdmin(CalendarOverride, site)


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("attrs", "may_add", "may_edit_national"),
    [
        ({"is_superuser": True, "is_staff": True}, True, True),
        # A province's administrator (the factory's unit is a top unit) adds its own rows only.
        ({"role": Role.ADMIN, "is_staff": True}, True, False),
        ({"role": Role.ADMIN, "is_staff": True, "is_active": False}, False, False),
        ({"role": Role.OFFICER, "is_staff": True}, False, False),
        ({"role": Role.LEADER, "is_staff": True}, False, False),
        ({"role": Role.REFORM_OFFICER, "is_staff": True}, False, False),
    ],
)
def test_only_superusers_and_administrators_edit_overrides(
    model_admin, attrs, may_add, may_edit_national
):
    request = request_by(make_user(**attrs))
    override = CalendarOverride.objects.create(date=SATURDAY, is_working_day=True)
    assert model_admin.has_add_permission(request) is may_add
    assert model_admin.has_change_permission(request, override) is may_edit_national
    assert model_admin.has_delete_permission(request, override) is may_edit_national


def test_an_officer_with_the_view_permission_may_only_look(model_admin):
    from django.contrib.auth.models import Permission

    officer = make_user(role=Role.OFFICER, is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="view_calendaroverride"))
    officer = type(officer).objects.get(pk=officer.pk)  # drop the permission cache
    request = request_by(officer)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request)


def test_admin_change_list_filters_by_year_and_searches(client):
    client.force_login(make_user(role=Role.ADMIN, is_staff=True))
    override = CalendarOverride.objects.create(
        date=SATURDAY, is_working_day=True, note="Làm bù thử"
    )
    url = "/admin/workcalendar/calendaroverride/"
    page = client.get(url, {"year": "2023"})
    assert page.status_code == 200
    assert "Làm bù thử" in page.text
    assert "Thứ Bảy" in page.text
    assert list(page.context["cl"].result_list) == [override]
    found = client.get(url, {"q": "Tết Dương lịch 2026"})
    assert found.status_code == 200
    assert "Làm bù thử" not in found.text
    assert list(found.context["cl"].result_list.values_list("date", flat=True)) == [
        D(2026, 1, 10),
        D(2026, 1, 2),
    ]


def test_admin_refuses_an_override_identical_to_the_rule_base(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.post(
        "/admin/workcalendar/calendaroverride/add/",
        {"date": "11/03/2023", "note": "thừa"},  # a Saturday left unchecked: already a day off
    )
    assert page.status_code == 200
    assert "không cần điều chỉnh" in page.text
    assert not CalendarOverride.objects.filter(date=SATURDAY).exists()


def test_an_officer_cannot_add_an_override_through_the_admin(client):
    client.force_login(make_user(role=Role.OFFICER, is_staff=True))
    page = client.post(
        "/admin/workcalendar/calendaroverride/add/",
        {"date": "08/03/2023", "is_working_day": ""},
    )
    assert page.status_code == 403
    assert not CalendarOverride.objects.filter(date=WEDNESDAY).exists()


# --- The calendar_days command ------------------------------------------------------------


def run_calendar_days(*args) -> str:
    out = StringIO()
    call_command("calendar_days", *args, stdout=out)
    return out.getvalue()


def test_calendar_days_lists_holidays_and_overrides():
    printed = run_calendar_days("2026")
    assert "17/02/2026  Thứ Ba    nghỉ      Tết Nguyên Đán  [lịch chung]" in printed
    assert "02/01/2026  Thứ Sáu   nghỉ      Nghỉ Tết Dương lịch 2026" in printed
    assert "10/01/2026  Thứ Bảy   làm việc" in printed
    assert "22/08/2026  Thứ Bảy   làm việc  Ngày làm bù  [lịch chung]" in printed
    assert "Năm 2026: 249 ngày làm việc, 116 ngày nghỉ." in printed


def test_calendar_days_shows_an_extra_day_off_with_its_note():
    CalendarOverride.objects.create(date=WEDNESDAY, is_working_day=False, note="Bão số 3")
    printed = run_calendar_days("2023")
    assert "08/03/2023  Thứ Tư    nghỉ      Bão số 3  [điều chỉnh]" in printed
    assert "26/01/2023  Thứ Năm   nghỉ      Mùng năm Tết Nguyên Đán" in printed
    assert "Năm 2023: 248 ngày làm việc, 117 ngày nghỉ." in printed


def test_calendar_days_refuses_an_absurd_year():
    with pytest.raises(CommandError):
        run_calendar_days("20260")
