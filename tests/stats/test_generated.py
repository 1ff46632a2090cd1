"""Generated dossier histories: the database's counts equal a dossier-by-dossier reference,
the identities hold, consecutive periods chain and validation finds nothing in the output."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.catalog.constants import OnlineLevel
from cchc.dossiers.clock import shifted_due
from cchc.dossiers.constants import Channel, Digitization, Outcome, Status
from cchc.dossiers.models import Dossier, DossierPause, timeliness_of
from cchc.stats.selectors import COUNT_KEYS, period_statistics
from cchc.stats.validation import validate
from tests.factories import FieldFactory, ProcedureFactory

from .history import end_pause, moment, set_closed, start_pause
from .test_chain import ONE_DAY, assert_chained

BASE = dt.date(2023, 1, 2)  # Tết 2023 (20-26/1) falls inside the generated dates
UNIT_CODES = ("P", "P-D", "P-D-1", "P-D-2", "Q-1")
FIELD_NAMES = ("Hộ tịch", "Đất đai", "Chứng thực")
ONLINE_OFFERED = (OnlineLevel.PARTIAL, OnlineLevel.FULL)


@dataclass
class Life:
    """One dossier's generated history."""

    unit: str
    field: str
    procedure: int | None
    channel: str
    online_level: str
    received: dt.date
    due: dt.date
    pauses: list[tuple[dt.date, dt.date | None]]
    outcome: str
    ended: dt.date | None
    input_digitization: str
    result_digitized: bool | None
    fee: int | None
    paid_online: bool | None


def days(low: int, high: int):
    return st.integers(low, high).map(lambda n: dt.timedelta(days=n))


@st.composite
def lives(draw) -> Life:
    received = BASE + draw(days(0, 70))
    cursor = received
    pauses: list[tuple[dt.date, dt.date | None]] = []
    for _ in range(draw(st.integers(0, 3))):
        started = cursor + draw(days(0, 12))
        if draw(st.booleans()):
            resumed = started + draw(days(0, 15))
            pauses.append((started, resumed))
            cursor = resumed
        else:
            pauses.append((started, None))
            cursor = started
            break
    still_paused = bool(pauses) and pauses[-1][1] is None
    outcomes = ["", Outcome.REJECTED, Outcome.WITHDRAWN]
    if not still_paused:  # a paused dossier must be resumed before it is resolved
        outcomes += [Outcome.RESOLVED, Outcome.RESOLVED]
    outcome = draw(st.sampled_from(outcomes))
    return Life(
        unit=draw(st.sampled_from(UNIT_CODES)),
        field=draw(st.sampled_from(FIELD_NAMES)),
        procedure=draw(st.sampled_from([None, 0, 1, 2])),
        channel=draw(st.sampled_from(list(Channel))),
        online_level=draw(st.sampled_from(list(OnlineLevel))),
        received=received,
        due=received + draw(days(0, 25)),
        pauses=pauses,
        outcome=outcome,
        ended=cursor + draw(days(0, 20)) if outcome else None,
        input_digitization=draw(st.sampled_from(list(Digitization))),
        result_digitized=draw(st.sampled_from([None, True, False])),
        fee=draw(st.sampled_from([None, 0, 50000])),
        paid_online=draw(st.sampled_from([None, True, False])),
    )


# ------------------------------------------------------------ the reference, one by one


def due_on(life: Life, day: dt.date) -> dt.date:
    due = life.due
    for started, resumed in life.pauses:
        if resumed is not None and resumed <= day:
            due = shifted_due(due, started, resumed)[1]
    return due


def paused_on(life: Life, day: dt.date) -> bool:
    return any(s <= day and (r is None or r > day) for s, r in life.pauses)


def reference_counts(life: Life, start: dt.date, end: dt.date) -> Counter | None:
    """The counts one dossier contributes to [start, end], or None when it does not count."""
    if life.received > end or (life.ended is not None and life.ended < start):
        return None
    c = Counter(received_total=1)
    if life.received < start:
        c["carried_over"] += 1
    else:
        c["received_in_period"] += 1
        c["online" if life.channel == Channel.ONLINE else "direct_postal"] += 1
        if life.online_level in ONLINE_OFFERED or life.channel == Channel.ONLINE:
            c["online_eligible"] += 1
    if life.ended is not None and life.ended <= end:
        c[str(life.outcome)] += 1
        if life.outcome == Outcome.RESOLVED:
            timeliness = timeliness_of(life.ended, due_on(life, life.ended))
            c[str(timeliness)] += 1
            c["resolved_in_time"] += timeliness != "late"
    elif paused_on(life, end):
        c["paused"] += 1
    else:
        c["pending"] += 1
        c["pending_not_due" if due_on(life, end) >= end else "pending_overdue"] += 1
    return c


def reference(lives_: list[Life], tree, root: str, start, end) -> dict[str, Counter]:
    out: dict[str, Counter] = defaultdict(Counter)
    for life in lives_:
        unit = tree[life.unit]
        if not unit.path.startswith(tree[root].path):
            continue
        c = reference_counts(life, start, end)
        if c is None:
            continue
        for place in ("all", f"by_unit.{life.unit}", f"by_level.{unit.level.name}"):
            out[place] += c
        out[f"by_field.{life.field}"] += c
    return out


# ------------------------------------------------------------ writing the histories


def write(lives_: list[Life], tree) -> None:
    fields = {name: FieldFactory(name=name) for name in FIELD_NAMES}
    procedures = [
        ProcedureFactory(code=f"G-{i}", online_level=level) for i, level in enumerate(OnlineLevel)
    ]
    dossiers, pauses = [], []
    for i, life in enumerate(lives_):
        d = Dossier(
            code=f"G-{i:04d}",
            unit=tree[life.unit],
            procedure=None if life.procedure is None else procedures[life.procedure],
            field=fields[life.field],
            channel=life.channel,
            online_level=life.online_level,
            status=Status.PROCESSING,
            received_at=moment(life.received, 8),
            received_date=life.received,
            initial_due_date=life.due,
            due_date=life.due,
            due_at=moment(life.due, 17),
            due_date_since=life.received,
            input_digitization=life.input_digitization,
            result_digitized=life.result_digitized,
            fee=life.fee,
            paid_online=life.paid_online,
        )
        for started, resumed in life.pauses:
            p = start_pause(d, started)
            if resumed is not None:
                end_pause(d, p, resumed)
            pauses.append(p)
        if life.outcome:
            set_closed(d, life.outcome, life.ended)
        dossiers.append(d)
    Dossier.objects.bulk_create(dossiers)
    DossierPause.objects.bulk_create(pauses)


def as_counts(counts: dict) -> dict[str, int]:
    return {key: counts[key] for key in COUNT_KEYS}


def expected_counts(c: Counter) -> dict[str, int]:
    return {key: c.get(key, 0) for key in COUNT_KEYS}


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lives_=st.lists(lives(), max_size=25),
    root=st.sampled_from(["P", "P-D", "P-D-1"]),
    start=days(-5, 80).map(lambda d: BASE + d),
    length=days(0, 60),
    cuts=st.lists(days(0, 60), max_size=3),
)
def test_generated_histories_match_the_reference_and_keep_every_identity(
    tree, lives_, root, start, length, cuts
):
    end = start + length
    with transaction.atomic():
        write(lives_, tree)
        unit = tree[root]
        stats = period_statistics(unit, start, end)
        expected = reference(lives_, tree, root, start, end)

        assert as_counts(stats["dossiers"]["all"]) == expected_counts(expected["all"])
        for group in ("by_unit", "by_level", "by_field"):
            for name, counts in stats["dossiers"][group].items():
                assert as_counts(counts) == expected_counts(expected[f"{group}.{name}"]), (
                    group,
                    name,
                )
        assert {f"by_field.{n}" for n in stats["dossiers"]["by_field"]} == {
            p for p in expected if p.startswith("by_field.")
        }
        for counts in [stats["dossiers"]["all"], *stats["dossiers"]["by_unit"].values()]:
            assert counts["received_total"] == (
                counts["resolved"]
                + counts["rejected"]
                + counts["withdrawn"]
                + counts["pending_not_due"]
                + counts["pending_overdue"]
                + counts["paused"]
            )
        assert validate(stats) == []

        points = sorted({start + cut for cut in cuts if start + cut < end})
        starts = [start, *(point + ONE_DAY for point in points)]
        assert_chained(unit, list(zip(starts, [*points, end], strict=True)))
        transaction.set_rollback(True)
