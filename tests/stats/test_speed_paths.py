"""The faster paths of period_statistics give the same figures as the plain ones.

A root whose subtree holds every unit reads the dossiers without a unit filter.
"""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

import pytest
from django.db.models import Value

from cchc.catalog.constants import OnlineLevel
from cchc.catalog.models import Procedure
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.constants import Channel, Outcome
from cchc.org.models import Unit
from cchc.stats import counting
from cchc.stats.selectors import period_statistics
from tests.factories import DossierFactory, ProcedureFactory, UnitFactory, UnitLevelFactory

from .history import set_closed, start_pause
from .test_fixtures import CASES, load_folder

START, END = dt.date(2023, 1, 1), dt.date(2023, 3, 31)


def statistics_both_ways(unit: Unit, start: dt.date, end: dt.date) -> tuple[dict, dict, bool]:
    """period_statistics as it runs, and forced through the unit-filtered path; and whether
    the first took the whole-tree path."""
    with mock.patch.object(
        dossier_selectors, "subtree_dossiers", wraps=dossier_selectors.subtree_dossiers
    ) as spy:
        fast = period_statistics(unit, start, end)
    took_whole_tree = any(call.kwargs.get("whole_tree") for call in spy.call_args_list)
    with mock.patch.object(counting, "is_whole_tree", lambda _unit: Value(False)):
        filtered = period_statistics(unit, start, end)
    return fast, filtered, took_whole_tree


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "unit", "start", "end"), CASES)
def test_whole_tree_path_equals_subtree_path_on_the_fixtures(
    fixtures_dir, folder, unit, start, end
):
    load_folder(fixtures_dir / folder)
    start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    roots = list(Unit.objects.filter(parent__isnull=True))
    assert len(roots) == 1
    fast, filtered, took_whole_tree = statistics_both_ways(roots[0], start, end)
    assert took_whole_tree
    assert fast["dossiers"]["all"]["received_total"] > 0
    assert fast == filtered
    # The published unit is below the root: the filtered path, as before.
    published = Unit.objects.get(code=unit)
    fast, filtered, took_whole_tree = statistics_both_ways(published, start, end)
    assert not took_whole_tree
    assert fast == filtered


def generate(seed: int) -> dict[str, Unit]:
    """A tree P → 2 districts → 3 communes each, and 300 dossiers of random histories."""
    rng = random.Random(seed)
    levels = [
        UnitLevelFactory(name=name, rank=rank)
        for rank, name in enumerate(("province", "district", "commune"), 1)
    ]
    units = {"P": UnitFactory(code="P", level=levels[0])}
    for d in range(2):
        district = UnitFactory(code=f"P-{d}", level=levels[1], parent=units["P"])
        units[district.code] = district
        for c in range(3):
            commune = UnitFactory(code=f"P-{d}-{c}", level=levels[2], parent=district)
            units[commune.code] = commune
    procedures = [
        ProcedureFactory(code=f"S-{i}", online_level=rng.choice(list(OnlineLevel)))
        for i in range(6)
    ]
    pool = list(units.values())
    for _ in range(300):
        received = START + dt.timedelta(days=rng.randint(-60, 100))
        procedure = rng.choice([*procedures, None])  # None: a dossier without a procedure
        dossier = DossierFactory(
            unit=rng.choice(pool),
            procedure=procedure or procedures[0],
            received_on=received,
            channel=rng.choice(list(Channel)),
        )
        dossier.procedure = procedure
        roll = rng.random()
        if roll < 0.5:
            ended = received + dt.timedelta(days=rng.randint(0, 40))
            set_closed(dossier, rng.choice(list(Outcome)), ended)
        elif roll < 0.65:
            start_pause(dossier, received + dt.timedelta(days=rng.randint(0, 20)))
        dossier.save()
    return units


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_whole_tree_path_equals_subtree_path_on_generated_data(seed):
    units = generate(seed)
    fast, filtered, took_whole_tree = statistics_both_ways(units["P"], START, END)
    assert took_whole_tree
    assert fast["dossiers"]["all"]["received_total"] > 0
    assert fast == filtered
    # The district's figures are part of the root's.
    district = period_statistics(units["P-0"], START, END)
    assert district["dossiers"]["by_unit"]["P-0-1"] == fast["dossiers"]["by_unit"]["P-0-1"]

    # Another root: P no longer holds every unit, and Q's dossiers stay out of P's figures.
    other = UnitFactory(code="Q", level=units["P"].level)
    DossierFactory(unit=other, received_on=START, procedure=Procedure.objects.first())
    fast_after, filtered_after, took_whole_tree = statistics_both_ways(units["P"], START, END)
    assert not took_whole_tree
    assert fast_after == filtered_after == fast


@pytest.mark.django_db
def test_a_unit_outside_the_subtree_read_is_ignored(tree):
    # A dossier of a unit the subtree read does not hold (one added meanwhile) is left out,
    # as the unit filter would leave it out.
    DossierFactory(unit=tree["P-D-1"], received_on=START)
    DossierFactory(unit=tree["Q-1"], received_on=START)
    with mock.patch.object(counting, "is_whole_tree", lambda _unit: Value(True)):
        stats = period_statistics(tree["P"], START, END)
    assert stats["dossiers"]["all"]["received_total"] == 1
    assert "Q-1" not in stats["dossiers"]["by_unit"]
