"""Public lookup by code and phone when two units gave the same code (codes are unique per
receiving unit): the phone tells which dossier is meant."""

import pytest

from cchc.dossiers.models import Dossier
from cchc.onestop import tracking
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_the_same_code_in_two_units_is_found_by_each_applicants_phone(tree):
    first = DossierFactory(code="HS-1", unit=tree["P-D-1"], applicant_phone="0912345678")
    second = DossierFactory(code="HS-1-B", unit=tree["Q-1"], applicant_phone="0987654321")
    Dossier.objects.filter(pk=second.pk).update(code="HS-1")
    assert tracking.find_by_code_and_phone("hs-1", "0912 345 678") == first
    assert tracking.find_by_code_and_phone("HS-1", "+84 987 654 321") == second
    assert tracking.find_by_code_and_phone("HS-1", "0900000000") is None
