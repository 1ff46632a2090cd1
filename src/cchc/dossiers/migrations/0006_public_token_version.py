"""The version signed into a dossier's public tracking link (QR): raised to revoke the links."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_events_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='public_token_version',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
