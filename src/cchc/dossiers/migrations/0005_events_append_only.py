"""Dossier events are append-only in the database too (cchc.appendonly): UPDATE is refused,
DELETE too outside a purge (the deletion of their dossier through Django, a flush)."""

from django.db import migrations

import cchc.appendonly


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_dossier_code_per_unit"),
    ]

    operations = [
        cchc.appendonly.AppendOnly("dossiers_dossierevent"),
    ]
