# The units' stamps and their changes belong to dossiers now (its 0008 took the tables over):
# taken out of this app's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0008_change_journal'),
        ('stats', '0001_period_counts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='StatsChange'),
                migrations.DeleteModel(name='StatsStamp'),
            ],
        ),
    ]
