"""Atomic attempt budgets (rate limits) shared by every server process: counted in the database.

A budget is `limit` attempts per fixed window of `seconds`, per key (a scope such as
"track-ip" and an identity such as an address or a dossier code). Each attempt is one
`UPDATE ... SET count = count + 1` (or the window's first INSERT) and the count is read back in
the same transaction, so simultaneous attempts never share a number: of 50 at once with a
budget of 10, exactly 10 are allowed. A process-local cache would count per process, and the
file cache's incr is a read and a write that lose counts under concurrency.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter


@dataclass(frozen=True)
class Verdict:
    allowed: bool  # within the budget, this attempt included
    used: int  # attempts counted in the window so far, this one included
    retry_after: int  # seconds until the window closes (for a Retry-After header)
    scope: str  # the scope counted, e.g. "track-ip"


def _key(scope: str, identity: str) -> str:
    # Hashed: any text (NUL, very long values) makes a short, safe key.
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{scope[:50]}:{digest}"


def _window(seconds: int, now: dt.datetime) -> tuple[int, dt.datetime]:
    number = math.floor(now.timestamp() / seconds)
    end = dt.datetime.fromtimestamp((number + 1) * seconds, tz=dt.UTC)
    return number, end


def take(
    scope: str, identity: str, *, limit: int, seconds: int, now: dt.datetime | None = None
) -> Verdict:
    """Count one attempt of `identity` in `scope`; allowed while at most `limit` in the window."""
    now = now or timezone.now()
    key = _key(scope, identity)
    number, end = _window(seconds, now)
    counters = AttemptCounter.objects.filter(key=key, window=number)
    opened = False
    with transaction.atomic():
        # The UPDATE locks the row (the database on SQLite) until this block commits.
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    AttemptCounter.objects.create(key=key, window=number, count=1, expires_at=end)
                opened = True
            except IntegrityError:
                # Another attempt opened the window first: count after it.
                counters.update(count=F("count") + 1)
        used = counters.values_list("count", flat=True).get()
    if opened:
        # A new window: forget the counters whose windows have closed (after the count's
        # transaction, so that no lock is held meanwhile).
        AttemptCounter.objects.filter(expires_at__lt=now).delete()
    retry_after = max(1, math.ceil((end - now).total_seconds()))
    return Verdict(allowed=used <= limit, used=used, retry_after=retry_after, scope=scope)


def used(scope: str, identity: str, *, seconds: int, now: dt.datetime | None = None) -> int:
    """Attempts counted in the current window, without counting one."""
    number, _end = _window(seconds, now or timezone.now())
    row = AttemptCounter.objects.filter(key=_key(scope, identity), window=number).first()
    return row.count if row is not None else 0


def clear(scope: str, identity: str) -> None:
    """Forget the attempts of `identity` in `scope` (e.g. after a successful login)."""
    AttemptCounter.objects.filter(key=_key(scope, identity)).delete()
