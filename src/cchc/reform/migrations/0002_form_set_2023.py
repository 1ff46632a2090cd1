"""Seed the 2023 form set (Biểu mẫu 1-7 of seed 003) from src/cchc/reform/data/form_set_2023.json."""

from django.db import migrations

DATA_FILE = "form_set_2023.json"


def load(apps, schema_editor):
    from cchc.reform.statistical_forms import DATA_DIR, load_form_set, read_document

    FormSet = apps.get_model("reform", "FormSet")
    doc = read_document(DATA_DIR / DATA_FILE)
    if not FormSet.objects.filter(year=doc["year"], version=doc["version"]).exists():
        load_form_set(doc, apps=apps)


def unload(apps, schema_editor):
    FormSet = apps.get_model("reform", "FormSet")
    FormReport = apps.get_model("reform", "FormReport")
    FormSet.objects.filter(year=2023, version=1).exclude(
        pk__in=FormReport.objects.values("form_set")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reform", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
