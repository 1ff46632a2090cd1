"""Readable, unique dossier codes (mã hồ sơ): receiving unit + date received + running number.

The format is not confirmed in the rules in force (regulations.md §1, [NC]), so it is a
setting, CCHC_DOSSIER_CODE_FORMAT. The running number comes from a DossierCodeSequence row per
unit and day, incremented with an UPDATE that locks the row until the receipt's transaction
ends, so two officers receiving at once never get the same number.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from cchc.org.models import Unit

from .models import Dossier, DossierCodeSequence

DEFAULT_FORMAT = "{unit}-{day:%y%m%d}-{number:04d}"


def format_code(unit: Unit, day: dt.date, number: int) -> str:
    template = getattr(settings, "CCHC_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    return template.format(unit=unit.official_code or unit.code, day=day, number=number)


def _take_number(unit: Unit, day: dt.date) -> int:
    """The next running number of (unit, day); the row stays locked until the outer commit."""
    sequences = DossierCodeSequence.objects.filter(unit=unit, day=day)
    if not sequences.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DossierCodeSequence.objects.create(unit=unit, day=day, last=1)
            return 1
        except IntegrityError:
            # Another receipt created the row first: take the number after theirs.
            sequences.update(last=F("last") + 1)
    return sequences.values_list("last", flat=True).get()


def next_code(unit: Unit, day: dt.date) -> str:
    """A new dossier code for a dossier received by `unit` on `day`. Must run in a transaction.

    Codes already taken (e.g. by imported dossiers) are skipped.
    """
    while True:
        code = format_code(unit, day, _take_number(unit, day))
        if not Dossier.objects.filter(code=code).exists():
            return code
