"""factory_boy factories for the domain models."""

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.constants import Channel, Status
from cchc.dossiers.models import Dossier
from cchc.org.constants import Role
from cchc.org.models import Unit, UnitLevel, User
from cchc.workcalendar.calendar import VN_TZ, add_working_days


class UnitLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitLevel
        django_get_or_create = ("name",)

    name = "commune"
    label = factory.LazyAttribute(lambda o: o.name)
    rank = 3


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Đơn vị {o.code}")
    level = factory.SubFactory(UnitLevelFactory)
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password("pw"))
    unit = factory.SubFactory(UnitFactory)
    role = Role.OFFICER


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Thủ tục {o.code}")
    field = factory.SubFactory(FieldFactory)
    level = "commune"
    processing_time = 3
    online_level = "full"


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier received on `received_on`, open, due after the procedure's working days."""

    class Meta:
        model = Dossier
        django_get_or_create = ("code",)

    class Params:
        received_on = dt.date(2023, 3, 1)

    code = factory.Sequence(lambda n: f"D-{n:06d}")
    unit = factory.SubFactory(UnitFactory)
    procedure = factory.SubFactory(ProcedureFactory)
    field = factory.LazyAttribute(lambda o: o.procedure.field)
    channel = Channel.DIRECT
    online_level = factory.LazyAttribute(lambda o: o.procedure.online_level)
    status = Status.PROCESSING
    received_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.received_on, dt.time(8, 0), tzinfo=VN_TZ)
    )
    received_date = factory.LazyAttribute(lambda o: o.received_on)
    initial_due_date = factory.LazyAttribute(
        lambda o: add_working_days(o.received_on, int(o.procedure.processing_time))
    )
    due_date = factory.LazyAttribute(lambda o: o.initial_due_date)
    due_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.due_date, dt.time(17, 0), tzinfo=VN_TZ)
    )
    due_date_since = factory.LazyAttribute(lambda o: o.received_on)


# ---------------------------------------------------------------- dossier lifecycle (issue 3)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.Department"

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"PB{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Phòng {o.code}")


class ProcedureComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.ProcedureComponent"

    procedure = factory.SubFactory(ProcedureFactory)
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")
    required = True


def vn_moment(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment on `day`, Vietnam time (actions in lifecycle tests are dated by the test)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


def staff_of(unit) -> dict:
    """One active person of each role at `unit`, by role value."""
    return {
        role: UserFactory(unit=unit, role=role, username=f"{role}@{unit.code}") for role in Role
    }
