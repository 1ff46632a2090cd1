"""Dossier events are append-only: refused by the models and by the database itself."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from cchc.appendonly import AppendOnlyError
from cchc.dossiers.constants import EventAction
from cchc.dossiers.models import Dossier, DossierEvent
from tests.factories import DossierFactory, vn_moment


def _event(dossier=None):
    dossier = dossier or DossierFactory()
    return DossierEvent.objects.create(
        dossier=dossier, at=vn_moment(dossier.received_date), action=EventAction.RECEIVED
    )


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_an_event():
    event = _event()
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE dossiers_dossierevent SET note = %s WHERE id = %s", ["sửa", event.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM dossiers_dossierevent WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.note == ""


@pytest.mark.django_db
def test_the_models_refuse_bulk_changes_with_a_clear_error():
    event = _event()
    with pytest.raises(AppendOnlyError):
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(AppendOnlyError):
        event.dossier.events.all().delete()
    with pytest.raises(AppendOnlyError):
        DossierEvent.objects.bulk_update([event], ["note"])
    event.note = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert DossierEvent.objects.get().note == ""


@pytest.mark.django_db
def test_a_deleted_dossier_takes_its_events_with_it():
    kept, purged = _event(), _event()
    Dossier.objects.filter(pk=purged.dossier_id).delete()
    assert list(DossierEvent.objects.all()) == [kept]
    with pytest.raises(IntegrityError, match="append-only"):  # the purge's mark is gone
        _raw("DELETE FROM dossiers_dossierevent WHERE id = %s", [kept.pk])


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database():
    _event()
    call_command("flush", interactive=False, verbosity=0)
    assert not DossierEvent.objects.exists()
    with pytest.raises(IntegrityError, match="append-only"):  # the guard is not left behind
        _raw("DELETE FROM dossiers_dossierevent WHERE id = %s", [_event().pk])
