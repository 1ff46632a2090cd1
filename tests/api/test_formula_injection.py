"""/api/dossiers/export.csv neutralises text a spreadsheet would run; it imports back the
same (issue 8 item 3)."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers.api import CsvRenderer
from cchc.dossiers.models import Dossier
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory
from tests.spreadsheet_checks import AT, DDE, HYPERLINK, MINUS


def test_export_csv_neutralises_text_and_imports_back_the_same(tree, people, client_for):
    procedure = ProcedureFactory(code=AT, field=FieldFactory(name=HYPERLINK))
    DossierFactory(code=DDE, unit=tree["P-D-1"], procedure=procedure, fee=0)
    DossierFactory(code=MINUS, unit=tree["P-D-1"], procedure=procedure)
    client = client_for(people["commune1"])
    first = b"".join(client.get("/api/dossiers/export.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(first.decode())))
    assert [r["code"] for r in rows] == ["'" + MINUS, "'" + DDE]
    assert {(r["procedure_code"], r["field"]) for r in rows} == {("'" + AT, "'" + HYPERLINK)}
    assert rows[1]["fee"] == "0"

    Dossier.objects.all().delete()
    upload = SimpleUploadedFile("dossiers.csv", first, content_type="text/csv")
    answer = client.post("/api/dossiers/import/", {"file": upload}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert sorted(Dossier.objects.values_list("code", flat=True)) == sorted([DDE, MINUS])
    assert b"".join(client.get("/api/dossiers/export.csv").streaming_content) == first


def test_an_error_answered_as_csv_neutralises_its_detail():
    text = CsvRenderer().render({"code": "invalid", "detail": DDE}).decode()
    assert list(csv.reader(io.StringIO(text))) == [["code", "detail"], ["invalid", "'" + DDE]]
