"""cchc.org.ratelimit: budgets of attempts per key and fixed window, counted in the database."""

import datetime as dt

from cchc.org import ratelimit
from cchc.org.models import AttemptCounter

NOON = dt.datetime(2026, 3, 2, 5, 0, 10, tzinfo=dt.UTC)


def test_a_budget_allows_limit_attempts_per_window(db):
    verdicts = [ratelimit.take("s", "a", limit=3, seconds=60, now=NOON) for _ in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert [v.used for v in verdicts] == [1, 2, 3, 4, 5]
    assert verdicts[0].retry_after == 50
    assert ratelimit.used("s", "a", seconds=60, now=NOON) == 5
    # Another identity, or another scope, has a budget of its own.
    assert ratelimit.take("s", "b", limit=3, seconds=60, now=NOON).used == 1
    assert ratelimit.take("t", "a", limit=3, seconds=60, now=NOON).used == 1


def test_the_next_window_starts_afresh_and_closed_windows_are_deleted(db):
    for _ in range(4):
        ratelimit.take("s", "a", limit=3, seconds=60, now=NOON)
    later = NOON + dt.timedelta(seconds=60)
    assert ratelimit.take("s", "a", limit=3, seconds=60, now=later).allowed
    assert AttemptCounter.objects.count() == 1


def test_clear_forgets_an_identity(db):
    ratelimit.take("s", "a", limit=1, seconds=60, now=NOON)
    ratelimit.clear("s", "a")
    assert ratelimit.used("s", "a", seconds=60, now=NOON) == 0


def test_any_text_makes_a_key(db):
    weird = "\x00" + "x" * 5000
    assert ratelimit.take("s", weird, limit=1, seconds=60).allowed
    assert len(AttemptCounter.objects.get().key) <= 100
