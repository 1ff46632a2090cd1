"""The rules of `validate_stats` (exchange-format.md §3) over a statistics document.

Any part may be missing (figures typed from a paper report). An identity is checked when its
total and at least one term are present; a missing term is then taken as 0, unless it can be
read off its own parts (pending = pending_not_due + pending_overdue). A rate is checked at the
precision it was printed with (82 means 81.5-82.5), reading numbers as decimals. Every rule is
read off the catalogue of figures (cchc.stats.figures): its sums, bounds and rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation

from .constants import COUNT_KEYS
from .figures import (
    BLOCK_CATALOGUES,
    DIGITIZATION,
    DOSSIERS,
    FEES,
    ONLINE_SERVICES,
    SATISFACTION,
    Figure,
    Kind,
)
from .rates import rate


class BlockRules:
    """The rules of one block of the contract, read off the catalogue of figures (under the
    contract's names): its counts, the sums it must make, the figures that are never more
    than another, its rates, and where it meets the counts of dossiers.all."""

    def __init__(self, block: str):
        catalogue = BLOCK_CATALOGUES[block]
        figures = catalogue.in_block(block)
        name = {f.key: f.contract_key for f in figures}
        self.block = block
        self.counts = tuple(name[f.key] for f in figures if not f.is_rate)
        self.identities: list[tuple[str, tuple[str, ...]]] = []
        self.at_most: list[tuple[str, tuple[str, ...]]] = []
        self.rates: list[tuple[str, str, str]] = []
        # (figure, the figure of dossiers.all it is never more than)
        self.at_most_counted: list[tuple[str, str]] = []
        # (figure, the figure of the counts its sum over the online levels stays within)
        self.within_counted: list[tuple[str, str]] = []
        # The figures that this block shares with the counts of dossiers.all.
        self.shared: list[str] = []
        for figure in figures:
            self._read(figure, name)
        self.parts = {
            name[key]: tuple(name[p] for p in parts)
            for key, parts in catalogue.fill_ins().items()
            if key in name and all(p in name for p in parts)
        }
        self.additive = tuple(name[f.key] for f in figures if f.additive and not f.is_rate)

    def _read(self, figure: Figure, name: dict[str, str]) -> None:
        key = name[figure.key]

        def named(keys) -> tuple[str, ...] | None:
            return tuple(name[k] for k in keys) if all(k in name for k in keys) else None

        sums = [*((figure.terms,) if figure.kind is Kind.SUM else ()), figure.parts]
        for terms in (*sums, *figure.equals):
            if terms and named(terms):
                self.identities.append((key, named(terms)))
        if figure.kind is Kind.DIFFERENCE and named(figure.terms):
            first, second = named(figure.terms)
            self.identities.append((first, (second, key)))
        if figure.kind is Kind.RATE and named(figure.terms):
            self.rates.append((key, *named(figure.terms)))
        bounds = tuple(name[b] for b in figure.at_most if b in name)
        if bounds:
            self.at_most.append((key, bounds))
        if figure.at_most_counted:
            self.at_most_counted.append((key, figure.at_most_counted))
        if figure.within_counted:
            self.within_counted.append((key, figure.within_counted))
        if self.block != DOSSIERS and DOSSIERS in figure.blocks:
            self.shared.append(key)


RULES = {block: BlockRules(block) for block in BLOCK_CATALOGUES}
_COUNTS = RULES[DOSSIERS]
# (total, terms) of each identity over a counts object.
COUNT_IDENTITIES = tuple(_COUNTS.identities)
# A count left out of a counts object but whose parts are all given is their sum.
COUNT_PARTS: dict[str, tuple[str, ...]] = _COUNTS.parts
# (rate, numerator, denominator) of a counts object.
COUNT_RATES = tuple(_COUNTS.rates)
ONLINE_LEVELS = ("partial", "full")
HUNDRED = Decimal(100)
NO_PARTS: dict[str, tuple[str, ...]] = {}


def _num(value) -> Decimal | None:
    """A figure as a decimal; None when absent, null or not a number ("84,2" and "84.2%" read)."""
    if type(value) is int:  # nearly every figure: the fast way first
        return Decimal(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().rstrip("%").strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


class _Label:
    """How a message names a figure ("resolved 12", "pending 3 [= a + b]"), written only when
    a message is: a page checks thousands of figures and nearly all of them agree."""

    __slots__ = ("key", "own", "value")

    def __init__(self, key: str, value: Decimal | None = None, own: tuple[str, ...] = ()):
        self.key, self.value, self.own = key, value, own

    def __str__(self) -> str:
        if self.value is None:
            return self.key
        if self.own:
            return f"{self.key} {_fmt(self.value)} [= {' + '.join(self.own)}]"
        return f"{self.key} {_fmt(self.value)}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _term(
    data: Mapping, key: str, parts: Mapping[str, tuple[str, ...]]
) -> tuple[Decimal | None, _Label]:
    """The value of `key` in `data` and how to name it in a message: the figure given, or the
    sum of its parts when it is missing and all of them are given."""
    value = _num(data.get(key))
    if value is not None:
        return value, _Label(key, value)
    own = parts.get(key, ())
    values = [_num(data.get(p)) for p in own]
    if own and all(v is not None for v in values):
        return sum(values, Decimal(0)), _Label(key, sum(values, Decimal(0)), own)
    return None, _Label(key)


def check_whole_numbers(place: str, data: Mapping, keys: Iterable[str]) -> Iterator[str]:
    """Counts are whole numbers, never negative."""
    for key in keys:
        if key not in data or data[key] is None:
            continue
        value = _num(data[key])
        if value is None:
            yield f"{place}: {key} {data[key]!r} is not a number"
        elif value < 0 or value != value.to_integral():
            yield f"{place}: {key} {_fmt(value)} is not a count (a whole number >= 0)"


def check_identity(
    place: str,
    data: Mapping,
    total: str,
    terms: Iterable[str],
    parts: Mapping[str, tuple[str, ...]] = NO_PARTS,
) -> Iterator[str]:
    """total = sum of terms, when the total and at least one term are present."""
    whole = _num(data.get(total))
    if whole is None:
        return
    found = [(t, *_term(data, t, parts)) for t in terms]
    present = [(value, label) for _t, value, label in found if value is not None]
    if not present:
        return
    summed = sum((value for value, _label in present), Decimal(0))
    if whole == summed:
        return
    rhs = " + ".join(str(label) for _value, label in present)
    missing = [t for t, value, _label in found if value is None]
    if missing:
        rhs += " (" + ", ".join(f"+0 {t}" for t in missing) + ")"
    diff = whole - summed
    tail = f"{_fmt(diff)} unaccounted" if diff > 0 else f"{_fmt(-diff)} counted twice or too many"
    yield f"{place}: {total} {_fmt(whole)} != {rhs}; {tail}"


def check_not_more(
    place: str,
    data: Mapping,
    small: str,
    big: str,
    parts: Mapping[str, tuple[str, ...]] = NO_PARTS,
) -> Iterator[str]:
    (a, a_label), (b, b_label) = _term(data, small, parts), _term(data, big, parts)
    if a is not None and b is not None and a > b:
        yield f"{place}: {a_label} > {b_label}"


def check_rate(
    place: str,
    data: Mapping,
    key: str,
    numerator: str,
    denominator: str,
    parts: Mapping[str, tuple[str, ...]] = NO_PARTS,
) -> Iterator[str]:
    """The printed rate equals numerator / denominator in percent, at its printed precision."""
    if key not in data:
        return
    printed = _num(data[key])
    if data[key] is not None and printed is None:
        yield f"{place}: {key} {data[key]!r} is not a number"
        return
    num, num_label = _term(data, numerator, parts)
    den, den_label = _term(data, denominator, parts)
    if num is None or den is None:
        if printed is not None and not 0 <= printed <= HUNDRED:
            yield f"{place}: {key} {_fmt(printed)} is not a percentage between 0 and 100"
        return
    if den == 0:
        if printed not in (None, Decimal(0)):
            yield f"{place}: {key} {_fmt(printed)} but {den_label} (rate undefined)"
        return
    actual = num * HUNDRED / den
    if printed is None:
        yield f"{place}: {key} is null but {num_label} / {den_label} = {actual:.2f}%"
        return
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
    if abs(actual - printed) > tolerance:
        yield (
            f"{place}: {key} {_fmt(printed)} != {num_label} / {den_label}"
            f" = {actual:.{max(places, 2)}f}%"
        )


_AGREE_KEYS = tuple(
    dict.fromkeys([*COUNT_KEYS, *(k for t, terms in COUNT_IDENTITIES for k in (t, *terms))])
)
_AGREE_BOUNDS = tuple((key, bounds[0]) for key, bounds in _COUNTS.at_most)


def _counts_agree(data: Mapping) -> bool:
    """True when a counts object certainly passes check_counts: every figure a whole number
    as the system counts them, every identity exact, every rate the one the statistics give.
    A province's page checks a thousand of them; anything else takes the long way."""
    try:
        if any(type(data[k]) is not int or data[k] < 0 for k in _AGREE_KEYS):
            return False
    except KeyError:
        return False
    for total, terms in COUNT_IDENTITIES:
        if data[total] != sum(data[t] for t in terms):
            return False
    for key, numerator, denominator in COUNT_RATES:
        if key in data and data[key] != rate(data[numerator], data[denominator]):
            return False
    return all(data[small] <= data[big] for small, big in _AGREE_BOUNDS)


def check_block(place: str, data: Mapping, rules: BlockRules) -> Iterator[str]:
    """Every rule of one block that reads only the block: whole counts, identities, the
    figures never more than another (the first bound given), rates."""
    parts = rules.parts
    yield from check_whole_numbers(place, data, rules.counts)
    for total, terms in rules.identities:
        yield from check_identity(place, data, total, terms, parts)
    for small, bounds in rules.at_most:
        for i, big in enumerate(bounds):
            # A bound left out: the next one stands in for it.
            if i + 1 < len(bounds) and _num(data.get(big)) is None:
                continue
            yield from check_not_more(place, data, small, big, parts)
            break
    for key, numerator, denominator in rules.rates:
        yield from check_rate(place, data, key, numerator, denominator, parts)


def check_counts(place: str, data: Mapping) -> Iterator[str]:
    """Every identity and rate of one counts object (dossiers.all or a by_* entry)."""
    if _counts_agree(data):
        return
    yield from check_block(place, data, _COUNTS)


def check_against_counts(place: str, data: Mapping, rules: BlockRules, everything: Mapping):
    """Where a block meets dossiers.all: a figure never more than a count, and the figures
    both give the same."""
    for key, bound in rules.at_most_counted:
        value, (limit, limit_label) = _num(data.get(key)), _term(everything, bound, COUNT_PARTS)
        if value is not None and limit is not None and value > limit:
            yield f"{place}: {key} {_fmt(value)} > dossiers.all.{limit_label}"
    for key in rules.shared:
        yield from check_agrees(
            f"dossiers.all.{key}",
            _term(everything, key, COUNT_PARTS)[0],
            f"{place}.{key}",
            data.get(key),
        )


def check_parts(
    place: str,
    whole_place: str,
    whole: Mapping,
    parts: Mapping,
    keys: Iterable[str],
    derived: Mapping[str, tuple[str, ...]] = NO_PARTS,
) -> Iterator[str]:
    """Every figure of `whole` equals its sum over `parts`; a part that leaves it out counts 0
    when at least one part gives it."""
    entries = {name: p for name, p in parts.items() if isinstance(p, Mapping)}
    for key in keys:
        given = whole.get(key)
        if type(given) is int:
            # The common case, whole numbers everywhere: added up as they are.
            values = [p.get(key) for p in entries.values()]
            if all(type(v) is int for v in values) and sum(values) == given:
                continue
        total = _term(whole, key, derived)[0]
        if total is None:
            continue
        values = {name: _term(p, key, derived)[0] for name, p in entries.items()}
        if all(v is None for v in values.values()):
            continue
        summed = sum((v for v in values.values() if v is not None), Decimal(0))
        if summed != total:
            missing = [name for name, v in values.items() if v is None]
            note = f" (+0 for {', '.join(missing)})" if missing else ""
            yield f"{place}: sum of {key} {_fmt(summed)}{note} != {whole_place}.{key} {_fmt(total)}"


def check_agrees(place_a: str, a, place_b: str, b) -> Iterator[str]:
    """The same count given in two places is the same number."""
    a, b = _num(a), _num(b)
    if a is not None and b is not None and a != b:
        yield f"{place_a} {_fmt(a)} != {place_b} {_fmt(b)}"


def _dict(value) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _validate_dossiers(dossiers: Mapping) -> Iterator[str]:
    everything = dossiers.get("all")
    if isinstance(everything, Mapping):
        yield from check_counts("dossiers.all", everything)
    for group in ("by_level", "by_unit", "by_field"):
        entries = _dict(dossiers.get(group))
        for name, counts in entries.items():
            if isinstance(counts, Mapping):
                yield from check_counts(f"dossiers.{group}.{name}", counts)
        if isinstance(everything, Mapping) and entries:
            yield from check_parts(
                f"dossiers.{group}", "dossiers.all", everything, entries, COUNT_KEYS, COUNT_PARTS
            )


def _validate_block(block: str, data: Mapping, everything: Mapping) -> Iterator[str]:
    """digitization, fees or satisfaction: its own rules, then against the counts."""
    rules = RULES[block]
    yield from check_block(block, data, rules)
    yield from check_against_counts(block, data, rules, everything)


ONLINE_RULES = RULES[ONLINE_SERVICES]


def _check_online_within_counts(
    place: str, blocks: Mapping, counts_place: str, counts: Mapping
) -> Iterator[str]:
    """Dossiers of procedures offered online are among the online-eligible ones, and their
    online dossiers among the online ones."""
    for key, bound in ONLINE_RULES.within_counted:
        values = [_num(_dict(blocks.get(lvl)).get(key)) for lvl in ONLINE_LEVELS]
        limit, limit_label = _term(counts, bound, COUNT_PARTS)
        if limit is None or all(v is None for v in values):
            continue
        summed = sum((v for v in values if v is not None), Decimal(0))
        if summed > limit:
            yield (f"{place}: partial + full {key} {_fmt(summed)} > {counts_place}.{limit_label}")


def _check_online_block(place: str, block: Mapping) -> Iterator[str]:
    yield from check_block(place, block, ONLINE_RULES)


def _validate_online(online: Mapping, dossiers: Mapping) -> Iterator[str]:
    for lvl in ONLINE_LEVELS:
        if isinstance(online.get(lvl), Mapping):
            yield from _check_online_block(f"online_services.{lvl}", online[lvl])
    everything = dossiers.get("all")
    if isinstance(everything, Mapping):
        yield from _check_online_within_counts(
            "online_services", online, "dossiers.all", everything
        )
    by_level = _dict(online.get("by_level"))
    dossiers_by_level = _dict(dossiers.get("by_level"))
    for name, blocks in by_level.items():
        if not isinstance(blocks, Mapping):
            continue
        for lvl in ONLINE_LEVELS:
            if isinstance(blocks.get(lvl), Mapping):
                yield from _check_online_block(
                    f"online_services.by_level.{name}.{lvl}", blocks[lvl]
                )
        if isinstance(dossiers_by_level.get(name), Mapping):
            yield from _check_online_within_counts(
                f"online_services.by_level.{name}",
                blocks,
                f"dossiers.by_level.{name}",
                dossiers_by_level[name],
            )
    for lvl in ONLINE_LEVELS:
        if isinstance(online.get(lvl), Mapping) and by_level:
            yield from check_parts(
                f"online_services.by_level.*.{lvl}",
                f"online_services.{lvl}",
                online[lvl],
                {name: _dict(blocks).get(lvl) for name, blocks in by_level.items()},
                ONLINE_RULES.additive,
            )


def validate(doc: Mapping) -> list[str]:
    """Every broken rule of `doc`, one human-readable line each."""
    dossiers = _dict(doc.get("dossiers"))
    everything = _dict(dossiers.get("all"))
    problems = list(_validate_dossiers(dossiers))
    for block in (DIGITIZATION, FEES, SATISFACTION):
        if isinstance(doc.get(block), Mapping):
            problems += _validate_block(block, doc[block], everything)
    if isinstance(doc.get("online_services"), Mapping):
        problems += _validate_online(doc["online_services"], dossiers)
    return problems
