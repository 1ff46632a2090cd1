"""Consecutive periods chain: what is carried over into a period is what was pending or paused
at the end of the one before, over the fixtures split into reporting months."""

import datetime as dt
import itertools

import pytest

from cchc.stats.periods import reporting_period
from cchc.stats.selectors import period_statistics

from .test_fixtures import CASES, load_folder

ONE_DAY = dt.timedelta(days=1)


def monthly_split(start: dt.date, end: dt.date, cutoff: int = 15) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut into consecutive pieces at the reporting months' boundaries."""
    pieces = []
    day = start
    while day <= end:
        year, month = day.year, day.month
        if day.day >= cutoff:  # the reporting month of the next calendar month has begun
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        piece_end = min(reporting_period("month", year, month, cutoff=cutoff).end, end)
        pieces.append((day, piece_end))
        day = piece_end + ONE_DAY
    return pieces


def groups(stats: dict) -> dict[str, dict]:
    """Every counts object of a statistics document, by its place."""
    out = {"all": stats["dossiers"]["all"]}
    for group in ("by_level", "by_unit", "by_field"):
        for name, counts in stats["dossiers"][group].items():
            out[f"{group}.{name}"] = counts
    return out


def assert_chained(unit, pieces: list[tuple[dt.date, dt.date]]) -> None:
    """carried_over(next) == pending + paused at the end of the previous, in every group."""
    stats = [period_statistics(unit, start, end) for start, end in pieces]
    for before, after in itertools.pairwise(stats):
        left, right = groups(before), groups(after)
        for place in left.keys() | right.keys():
            end_state = left.get(place, {})
            expected = end_state.get("pending", 0) + end_state.get("paused", 0)
            carried = right.get(place, {}).get("carried_over", 0)
            assert carried == expected, (place, before["period"], after["period"])


def test_monthly_split_follows_the_reporting_months():
    assert monthly_split(dt.date(2022, 12, 15), dt.date(2023, 3, 10)) == [
        (dt.date(2022, 12, 15), dt.date(2023, 1, 14)),
        (dt.date(2023, 1, 15), dt.date(2023, 2, 14)),
        (dt.date(2023, 2, 15), dt.date(2023, 3, 10)),
    ]
    assert monthly_split(dt.date(2023, 3, 1), dt.date(2023, 3, 1)) == [
        (dt.date(2023, 3, 1), dt.date(2023, 3, 1))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "unit", "start", "end"), CASES)
def test_fixture_months_chain_and_add_up_to_the_whole_period(
    fixtures_dir, folder, unit, start, end
):
    load_folder(fixtures_dir / folder)
    from cchc.org.models import Unit

    root = Unit.objects.get(code=unit)
    start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    pieces = monthly_split(start, end)
    assert len(pieces) >= 3
    # The month before the period and the one after it chain too.
    assert_chained(root, [(start - dt.timedelta(days=31), start - ONE_DAY), *pieces])
    assert_chained(root, [*pieces, (end + ONE_DAY, end + dt.timedelta(days=40))])

    whole = period_statistics(root, start, end)
    parts = [period_statistics(root, s, e) for s, e in pieces]
    for place, counts in groups(whole).items():
        for key in ("received_in_period", "online", "resolved", "early", "on_time", "rejected"):
            assert sum(groups(p).get(place, {}).get(key, 0) for p in parts) == counts[key], (
                place,
                key,
            )
        first, last = groups(parts[0]).get(place, {}), groups(parts[-1]).get(place, {})
        assert first.get("carried_over", 0) == counts["carried_over"]
        for key in ("pending", "pending_not_due", "pending_overdue", "paused"):
            assert last.get(key, 0) == counts[key], (place, key)
