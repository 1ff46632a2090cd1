# Tells "not returned yet" from "imported without a return moment" (issue 9, item 9): a dossier
# the one-stop resolved (a RESOLVED event: resolve_dossier writes it, and the one-stop records
# the hand-over of what it resolved in returned_at, with a RETURNED event) is tracked, so an
# empty returned_at means its result is not handed over yet. The others were imported resolved
# from a CSV (an IMPORTED event: the exchange format had no return moment) or made without any
# event (the admin, fixtures): they keep counting as returned from their resolution, as before;
# one of them handed over later through the one-stop has its returned_at set. Open dossiers are
# tracked once the one-stop resolves them. The stored counts of before are not read again
# (cchc.stats.read_through.COUNTING_VERSION 2).

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def track_one_stop_dossiers(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    resolved = DossierEvent.objects.filter(dossier=OuterRef("pk"), action="resolved")
    Dossier.objects.filter(Exists(resolved)).update(return_tracked=True)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0008_change_journal'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='return_tracked',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(track_one_stop_dossiers, migrations.RunPython.noop),
    ]
