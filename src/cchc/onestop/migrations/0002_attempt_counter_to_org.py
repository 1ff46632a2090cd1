# The attempt counters now belong to org (org 0003 took them over): only Django's state
# forgets them here; the table onestop_attemptcounter stays, owned by org.AttemptCounter.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("onestop", "0001_lookup_attempt"),
        ("org", "0003_attempt_counter_from_onestop"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="AttemptCounter")],
        ),
    ]
