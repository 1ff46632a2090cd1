"""The rules of `validate_stats` (exchange-format.md §3) over a statistics document.

Any part may be missing (figures typed from a paper report). An identity is checked when its
total and at least one term are present; a missing term is then taken as 0. A rate is checked
at the precision it was printed with (82 means 81.5-82.5), reading numbers as decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

Number = int | Decimal

# (total, terms) of each identity over a counts object.
COUNT_IDENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received_total", ("carried_over", "received_in_period")),
    ("received_in_period", ("online", "direct_postal")),
    ("resolved", ("early", "on_time", "late")),
    ("resolved_in_time", ("early", "on_time")),
    ("received_total", ("resolved", "rejected", "withdrawn", "pending", "paused")),
    ("pending", ("pending_not_due", "pending_overdue")),
)
COUNT_KEYS = (
    "received_total",
    "carried_over",
    "received_in_period",
    "online",
    "direct_postal",
    "online_eligible",
    "resolved",
    "early",
    "on_time",
    "late",
    "resolved_in_time",
    "rejected",
    "withdrawn",
    "pending",
    "pending_not_due",
    "pending_overdue",
    "paused",
)


def _num(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            return None
    return None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def check_identity(place: str, data: dict, total: str, terms: Iterable[str]) -> Iterator[str]:
    terms = tuple(terms)
    if _num(data.get(total)) is None:
        return
    present = [t for t in terms if _num(data.get(t)) is not None]
    if not present:
        return
    whole = _num(data[total])
    parts = sum((_num(data[t]) for t in present), Decimal(0))
    if whole == parts:
        return
    missing = [t for t in terms if t not in present]
    rhs = " + ".join(f"{t} {_fmt(_num(data[t]))}" for t in present)
    if missing:
        rhs += " (" + ", ".join(f"+0 {t}" for t in missing) + ")"
    diff = whole - parts
    tail = f"{_fmt(diff)} unaccounted" if diff > 0 else f"{_fmt(-diff)} counted twice or too many"
    yield f"{place}: {total} {_fmt(whole)} != {rhs}; {tail}"


def check_not_more(place: str, data: dict, small: str, big: str) -> Iterator[str]:
    a, b = _num(data.get(small)), _num(data.get(big))
    if a is not None and b is not None and a > b:
        yield f"{place}: {small} {_fmt(a)} > {big} {_fmt(b)}"


def check_rate(
    place: str, data: dict, key: str, numerator: str | tuple[str, ...], denominator: str
) -> Iterator[str]:
    if key not in data:
        return
    printed = _num(data.get(key))
    names = (numerator,) if isinstance(numerator, str) else numerator
    if isinstance(numerator, tuple) and "resolved_in_time" in data:
        names = ("resolved_in_time",)
    values = [_num(data.get(n)) for n in names]
    den = _num(data.get(denominator))
    if den is None or any(v is None for v in values):
        return
    num = sum(values, Decimal(0))
    label = " + ".join(names)
    if den == 0:
        if printed not in (None, Decimal(0)):
            yield f"{place}: {key} {_fmt(printed)} but {denominator} is 0 (rate undefined)"
        return
    actual = num * 100 / den
    if printed is None:
        yield f"{place}: {key} is null but {label} {_fmt(num)} / {denominator} {_fmt(den)} = {actual:.2f}%"
        return
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
    if abs(actual - printed) > tolerance:
        yield (
            f"{place}: {key} {_fmt(printed)} != {label} {_fmt(num)} / {denominator} {_fmt(den)}"
            f" = {actual:.{max(places, 2)}f}%"
        )


def check_counts(place: str, data: dict) -> Iterator[str]:
    if not isinstance(data, dict):
        return
    for total, terms in COUNT_IDENTITIES:
        yield from check_identity(place, data, total, terms)
    yield from check_rate(place, data, "on_time_rate", ("early", "on_time"), "resolved")
    yield from check_rate(place, data, "online_rate", "online", "online_eligible")
    yield from check_not_more(place, data, "online", "online_eligible")


def check_parts(place: str, whole: dict, parts: dict) -> Iterator[str]:
    """Every count of `whole` equals the sum over `parts`, where every part gives it."""
    if not isinstance(whole, dict) or not isinstance(parts, dict) or not parts:
        return
    for key in COUNT_KEYS:
        if _num(whole.get(key)) is None:
            continue
        values = [_num(p.get(key)) if isinstance(p, dict) else None for p in parts.values()]
        if any(v is None for v in values):
            continue
        total = sum(values, Decimal(0))
        if total != _num(whole[key]):
            yield f"{place}: sum of {key} {_fmt(total)} != dossiers.all.{key} {_fmt(_num(whole[key]))}"


def check_online_block(place: str, block: dict) -> Iterator[str]:
    if not isinstance(block, dict):
        return
    yield from check_not_more(
        place, block, "procedures_with_online_dossiers", "procedures_with_dossiers"
    )
    yield from check_not_more(place, block, "procedures_with_dossiers", "procedures")
    if _num(block.get("procedures_with_dossiers")) is None:
        yield from check_not_more(place, block, "procedures_with_online_dossiers", "procedures")
    yield from check_not_more(place, block, "online_dossiers", "dossiers")
    yield from check_rate(place, block, "online_rate", "online_dossiers", "dossiers")


def check_agrees(place_a: str, a, place_b: str, b) -> Iterator[str]:
    a, b = _num(a), _num(b)
    if a is not None and b is not None and a != b:
        yield f"{place_a} {_fmt(a)} != {place_b} {_fmt(b)}"


def validate(doc: dict) -> list[str]:
    """Every broken rule of `doc`, one human-readable line each."""
    problems: list[str] = []
    dossiers = doc.get("dossiers") if isinstance(doc.get("dossiers"), dict) else {}
    everything = dossiers.get("all") if isinstance(dossiers.get("all"), dict) else None
    if everything is not None:
        problems += check_counts("dossiers.all", everything)
    for group in ("by_level", "by_unit", "by_field"):
        entries = dossiers.get(group)
        if not isinstance(entries, dict):
            continue
        for name, counts in entries.items():
            problems += check_counts(f"dossiers.{group}.{name}", counts)
        if everything is not None:
            problems += check_parts(f"dossiers.{group}", everything, entries)

    digit = doc.get("digitization")
    if isinstance(digit, dict):
        place = "digitization"
        problems += check_identity(place, digit, "received_in_period", ("input_any", "input_none"))
        problems += check_not_more(place, digit, "input_full", "input_any")
        problems += check_identity(
            place, digit, "resolved", ("result_digitized", "result_not_digitized")
        )
        problems += check_rate(place, digit, "input_full_rate", "input_full", "received_in_period")
        problems += check_rate(place, digit, "result_rate", "result_digitized", "resolved")
        if everything is not None:
            for key in ("resolved", "received_in_period"):
                problems += check_agrees(
                    f"dossiers.all.{key}",
                    everything.get(key),
                    f"digitization.{key}",
                    digit.get(key),
                )

    online = doc.get("online_services")
    if isinstance(online, dict):
        for level in ("partial", "full"):
            problems += check_online_block(f"online_services.{level}", online.get(level))
        by_level = online.get("by_level")
        if isinstance(by_level, dict):
            for name, blocks in by_level.items():
                if isinstance(blocks, dict):
                    for level in ("partial", "full"):
                        problems += check_online_block(
                            f"online_services.by_level.{name}.{level}", blocks.get(level)
                        )
    return problems
