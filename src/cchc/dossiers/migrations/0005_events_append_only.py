"""Dossier events are append-only in the database too (cchc.appendonly): UPDATE is refused,
DELETE too unless the dossier itself is gone (deleted first, in the same transaction)."""

from django.db import migrations, models

import cchc.appendonly


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0004_dossier_code_per_unit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossierevent',
            name='dossier',
            field=models.ForeignKey(on_delete=cchc.appendonly.DELETE_AFTER_PARENT, related_name='events', to='dossiers.dossier'),
        ),
        cchc.appendonly.AppendOnly('dossiers_dossierevent', 'dossiers_dossier', 'dossier_id'),
    ]
