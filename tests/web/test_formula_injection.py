"""The drill-down CSV neutralises text a spreadsheet would run (issue 8 item 3)."""

import csv
import io

from django.urls import reverse

from tests.factories import DossierFactory, FieldFactory, ProcedureFactory, UserFactory
from tests.spreadsheet_checks import AT, DDE, HYPERLINK


def test_drilldown_csv_neutralises_codes_and_field_names(client, tree):
    procedure = ProcedureFactory(code=AT, field=FieldFactory(name=HYPERLINK), fee=8000)
    DossierFactory(code=DDE, unit=tree["P-D-1"], procedure=procedure, fee=8000)
    client.force_login(UserFactory(unit=tree["P-D-1"]))
    query = {
        "unit": "P-D-1",
        "kind": "custom",
        "start": "01/03/2023",
        "end": "31/03/2023",
        "count": "received_total",
    }
    response = client.get(reverse("web:dossiers_csv"), query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    [row] = csv.DictReader(io.StringIO(text))
    assert (row["code"], row["procedure_code"], row["field"]) == (
        "'" + DDE,
        "'" + AT,
        "'" + HYPERLINK,
    )
    assert row["fee"] == "8000"
