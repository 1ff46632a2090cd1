"""The catalogue of the period statistics' figures: each one declared once, here.

A figure is either *counted* (a condition on a dossier, counted by the database in the one
grouped query of cchc.stats.selectors) or *derived* from other figures: a sum, a difference or
a rate. Where it appears in the contract's JSON (exchange-format.md §2) is part of its entry
(`blocks`; `json_key` when the contract names it otherwise). Everything else reads this
catalogue: the grouped query (`count_conditions`), the derived figures of every counts object
and block (`Catalogue.complete`, `write_block`), the identities and bounds that
`validate_stats` checks (cchc.stats.validation), the drill-down lists (`condition_of`), the
roll-up of a subtree, the trends, the columns of the documents' tables (cchc.reports.period_report.tables)
and the sentences of the written report.

Adding a figure is one entry below (and, where wanted, a column in a table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED
from cchc.dossiers.constants import Channel, Digitization, Outcome, Satisfaction, Timeliness
from cchc.workcalendar.calendar import VN_TZ

from .rates import rate


class Kind(StrEnum):
    COUNT = "count"  # counted from the dossiers
    SUM = "sum"  # the sum of `terms`
    DIFFERENCE = "difference"  # terms[0] - terms[1]
    RATE = "rate"  # terms[0] / terms[1] in percent (cchc.stats.rates.rate)


# The blocks of the contract's statistics JSON. DOSSIERS is every counts object
# (dossiers.all and each by_level / by_unit / by_field entry).
DOSSIERS, DIGITIZATION, FEES, SATISFACTION = "dossiers", "digitization", "fees", "satisfaction"
ONLINE_SERVICES = "online_services"  # each online level's block, overall and per level


@dataclass(frozen=True)
class Basis:
    """What the counts' conditions share for a period [start, end]: over a queryset of
    dossiers that count in the period, annotated by annotate_state_at(end)."""

    start: dt.date
    end: dt.date

    @cached_property
    def in_period(self) -> Q:
        return Q(received_date__gte=self.start)

    @cached_property
    def resolved(self) -> Q:
        return Q(outcome=Outcome.RESOLVED, ended_date__lte=self.end)

    @cached_property
    def still_open(self) -> Q:
        return Q(ended_date__isnull=True) | Q(ended_date__gt=self.end)

    @cached_property
    def pending(self) -> Q:
        return self.still_open & Q(paused_at_end=False)

    @cached_property
    def returned(self) -> Q:
        """Resolved, and the result handed over by the end. What is recorded at the hand-over
        (its digitised copy, fees paid online, the rating) counts once it was; a dossier
        imported without a return moment counts as returned, one the one-stop tracks
        (return_tracked) not before its hand-over."""
        day_after_end = dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ
        )
        return self.resolved & (
            Q(returned_at__lt=day_after_end) | Q(returned_at__isnull=True, return_tracked=False)
        )

    def ended_as(self, outcome: Outcome) -> Q:
        return Q(outcome=outcome, ended_date__lte=self.end)


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise  # what it is, as a list's title or a legend says it
    kind: Kind = Kind.COUNT
    terms: tuple[str, ...] = ()  # SUM: the addends; DIFFERENCE, RATE: (first, second)
    condition: Callable[[Basis], Q] | None = None  # COUNT: which dossiers it counts
    # COUNT: the figures it is the sum of; validation also reads it off them when it is left
    # out (a paper report that gives only the parts).
    parts: tuple[str, ...] = ()
    # COUNT: other sums it equals, checked but never used to fill it in.
    equals: tuple[tuple[str, ...], ...] = ()
    # Never more than the first of these that is given (the next ones stand in for it).
    at_most: tuple[str, ...] = ()
    # Never more than this figure of dossiers.all (a block's figure against the counts).
    at_most_counted: str = ""
    blocks: tuple[str, ...] = ()  # where the contract's JSON writes it
    json_key: str = ""  # its name there, when not `key`
    explained: Promise | str = ""  # RATE: how it is computed, in words
    # ONLINE_SERVICES: added up over the levels of the tree (procedures are sets, not sums).
    additive: bool = True
    # ONLINE_SERVICES: over both online levels, never more than this figure of the counts.
    within_counted: str = ""

    @property
    def derived(self) -> bool:
        return self.kind is not Kind.COUNT

    @property
    def is_rate(self) -> bool:
        return self.kind is Kind.RATE

    @property
    def contract_key(self) -> str:
        return self.json_key or self.key

    def value(self, values: Mapping) -> int | float | None:
        """This derived figure from the others in `values` (a missing one counts 0)."""

        def n(key: str) -> int:
            return int(values.get(key) or 0)

        match self.kind:
            case Kind.SUM:
                return sum(n(t) for t in self.terms)
            case Kind.DIFFERENCE:
                return n(self.terms[0]) - n(self.terms[1])
            case Kind.RATE:
                return rate(n(self.terms[0]), n(self.terms[1]))
        raise ValueError(f"{self.key} is counted, not derived")


class Catalogue:
    """Figures by key, in the order they are declared (the order of every counts vector)."""

    def __init__(self, *figures: Figure):
        self.figures = {f.key: f for f in figures}
        if len(self.figures) != len(figures):
            raise ValueError("a figure is declared twice")
        seen: set[str] = set()
        for figure in figures:
            for key in (*figure.terms, *figure.parts, *figure.at_most):
                if key not in self.figures:
                    raise ValueError(f"{figure.key} names {key}, which is not declared")
            for key in figure.terms:
                if self.figures[key].derived and key not in seen:
                    raise ValueError(f"{figure.key} is declared before {key}, which it reads")
            seen.add(figure.key)

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def __contains__(self, key: str) -> bool:
        return key in self.figures

    def __iter__(self):
        return iter(self.figures.values())

    @cached_property
    def counted(self) -> tuple[str, ...]:
        return tuple(f.key for f in self if not f.derived)

    @cached_property
    def rates(self) -> tuple[Figure, ...]:
        return tuple(f for f in self if f.is_rate)

    def in_block(self, block: str) -> tuple[Figure, ...]:
        return tuple(f for f in self if block in f.blocks)

    def keys_in(self, block: str, *, rates: bool = True) -> tuple[str, ...]:
        """The contract's names of the block's figures (without its rates if not `rates`)."""
        return tuple(f.contract_key for f in self.in_block(block) if rates or not f.is_rate)

    def complete(self, values: Mapping) -> dict:
        """`values` with the derived figures it lacks, computed from the others in the order
        they are declared (a missing term counts 0); a figure given is kept as given, so a
        document drawn from figures that do not add up shows them as they are."""
        out = dict(values)
        for figure in self:
            if figure.derived and out.get(figure.key) is None:
                out[figure.key] = figure.value(out)
        return out

    def sum_of(self, parts: Iterable[Mapping], keys: Iterable[str]) -> dict[str, int]:
        """The figures `keys` added up over `parts` (each a complete counts object)."""
        parts = list(parts)
        return {key: sum(int(p[key]) for p in parts) for key in keys}

    def expand(self, key: str, available: Iterable[str]) -> tuple[str, ...]:
        """The figures among `available` whose sum `key` is: itself if available, else its
        parts or terms, expanded in turn."""
        available = tuple(available)
        if key in available:
            return (key,)
        figure = self[key]
        terms = figure.parts or (figure.terms if figure.kind is Kind.SUM else ())
        if not terms:
            raise ValueError(f"{key} is not a sum of {available}")
        return tuple(k for t in terms for k in self.expand(t, available))

    def sum_identities(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(total, terms) of every sum the figures make: parts, sums and what they equal."""
        out: list[tuple[str, tuple[str, ...]]] = []
        for figure in self:
            if figure.kind is Kind.SUM:
                out.append((figure.key, figure.terms))
            if figure.parts:
                out.append((figure.key, figure.parts))
            out += [(figure.key, terms) for terms in figure.equals]
        return tuple(out)

    def fill_ins(self) -> dict[str, tuple[str, ...]]:
        """A figure left out but whose parts are all given is their sum (validation)."""
        out = {f.key: f.parts for f in self if f.parts}
        out.update({f.key: f.terms for f in self if f.kind is Kind.SUM})
        return {key: out[key] for key in self.figures if key in out}


def count(key, label, condition, **kwargs) -> Figure:
    return Figure(key, label, Kind.COUNT, condition=condition, **kwargs)


def total(key, label, *terms, **kwargs) -> Figure:
    return Figure(key, label, Kind.SUM, terms=terms, **kwargs)


def difference(key, label, first, second, **kwargs) -> Figure:
    return Figure(key, label, Kind.DIFFERENCE, terms=(first, second), **kwargs)


def rate_of(key, label, numerator, denominator, explained="", **kwargs) -> Figure:
    return Figure(
        key, label, Kind.RATE, terms=(numerator, denominator), explained=explained, **kwargs
    )


IN_DOSSIERS = (DOSSIERS,)
RECEIPT_DIGITIZED = (Digitization.PARTIAL, Digitization.FULL)

# The figures of the dossiers, counted per unit and field. The counted ones, in this order,
# are the vector that the grouped query returns and that the stored counts keep.
DOSSIER_FIGURES = Catalogue(
    count(
        "received_total",
        _("Hồ sơ tiếp nhận (tổng số)"),
        lambda b: Q(),
        equals=(
            ("carried_over", "received_in_period"),
            ("resolved", "rejected", "withdrawn", "pending", "paused"),
        ),
        blocks=IN_DOSSIERS,
    ),
    count(
        "carried_over",
        _("Hồ sơ kỳ trước chuyển sang"),
        lambda b: Q(received_date__lt=b.start),
        blocks=IN_DOSSIERS,
    ),
    count(
        "received_in_period",
        _("Hồ sơ tiếp nhận trong kỳ"),
        lambda b: b.in_period,
        parts=("online", "direct_postal"),
        blocks=(DOSSIERS, DIGITIZATION),
    ),
    count(
        "online",
        _("Hồ sơ tiếp nhận trực tuyến"),
        lambda b: b.in_period & Q(channel=Channel.ONLINE),
        at_most=("online_eligible",),
        blocks=IN_DOSSIERS,
    ),
    count(
        "direct_postal",
        _("Hồ sơ tiếp nhận trực tiếp, qua bưu chính"),
        lambda b: b.in_period & ~Q(channel=Channel.ONLINE),
        blocks=IN_DOSSIERS,
    ),
    count(
        "online_eligible",
        _("Hồ sơ của TTHC có cung cấp trực tuyến"),
        lambda b: (
            b.in_period & (Q(online_level__in=ONLINE_LEVELS_OFFERED) | Q(channel=Channel.ONLINE))
        ),
        at_most=("received_in_period",),
        blocks=IN_DOSSIERS,
    ),
    count(
        "resolved",
        _("Hồ sơ đã giải quyết"),
        lambda b: b.resolved,
        parts=("early", "on_time", "late"),
        blocks=(DOSSIERS, DIGITIZATION),
    ),
    count(
        "early",
        _("Hồ sơ giải quyết trước hạn"),
        lambda b: b.resolved & Q(timeliness=Timeliness.EARLY),
        blocks=IN_DOSSIERS,
    ),
    count(
        "on_time",
        _("Hồ sơ giải quyết đúng hạn"),
        lambda b: b.resolved & Q(timeliness=Timeliness.ON_TIME),
        blocks=IN_DOSSIERS,
    ),
    count(
        "late",
        _("Hồ sơ giải quyết quá hạn"),
        lambda b: b.resolved & Q(timeliness=Timeliness.LATE),
        blocks=IN_DOSSIERS,
    ),
    total(
        "resolved_in_time",
        _("Hồ sơ giải quyết trước hạn và đúng hạn"),
        "early",
        "on_time",
        blocks=IN_DOSSIERS,
    ),
    count(
        "rejected",
        _("Hồ sơ từ chối, trả lại"),
        lambda b: b.ended_as(Outcome.REJECTED),
        blocks=IN_DOSSIERS,
    ),
    count(
        "withdrawn",
        _("Hồ sơ rút, hủy"),
        lambda b: b.ended_as(Outcome.WITHDRAWN),
        blocks=IN_DOSSIERS,
    ),
    total(
        "pending",
        _("Hồ sơ đang giải quyết"),
        "pending_not_due",
        "pending_overdue",
        blocks=IN_DOSSIERS,
    ),
    count(
        "pending_not_due",
        _("Hồ sơ đang giải quyết, chưa đến hạn"),
        lambda b: b.pending & Q(not_due_at_end=True),
        blocks=IN_DOSSIERS,
    ),
    count(
        "pending_overdue",
        _("Hồ sơ đang giải quyết, đã quá hạn"),
        lambda b: b.pending & Q(not_due_at_end=False),
        blocks=IN_DOSSIERS,
    ),
    count(
        "paused",
        _("Hồ sơ tạm dừng, chờ bổ sung"),
        # ever_paused is implied; said outright, it tells the planner how few they are.
        lambda b: b.still_open & Q(ever_paused=True, paused_at_end=True),
        blocks=IN_DOSSIERS,
    ),
    count(
        "input_any",
        _("Hồ sơ có số hóa thành phần khi tiếp nhận"),
        lambda b: b.in_period & Q(input_digitization__in=RECEIPT_DIGITIZED),
        blocks=(DIGITIZATION,),
    ),
    count(
        "input_full",
        _("Hồ sơ số hóa toàn bộ thành phần khi tiếp nhận"),
        lambda b: b.in_period & Q(input_digitization=Digitization.FULL),
        # Without input_any, the dossiers received stand in for it.
        at_most=("input_any", "received_in_period"),
        blocks=(DIGITIZATION,),
    ),
    count(
        "result_digitized",
        _("Hồ sơ đã số hóa kết quả"),
        lambda b: b.returned & Q(result_digitized=True),
        blocks=(DIGITIZATION,),
    ),
    count(
        "paid_online",
        _("Hồ sơ thanh toán phí, lệ phí trực tuyến"),
        lambda b: b.returned & Q(paid_online=True),
        at_most=("with_fee",),
        blocks=(FEES,),
    ),
    count(
        "with_fee",
        _("Hồ sơ đã giải quyết có phí, lệ phí"),
        # A dossier paid online had a fee even when its amount was not recorded.
        lambda b: b.returned & (Q(fee__gt=0) | Q(paid_online=True)),
        at_most_counted="resolved",
        blocks=(FEES,),
        json_key="resolved_with_fee",
    ),
    count(
        "rated",
        _("Hồ sơ được đánh giá mức độ hài lòng khi trả kết quả"),
        # Satisfaction is rated when the result is handed over.
        lambda b: b.returned & ~Q(satisfaction=""),
        equals=(("satisfied", "normal", "not_satisfied"),),
        at_most_counted="resolved",
        blocks=(SATISFACTION,),
    ),
    count(
        "satisfied",
        _("Hồ sơ người nộp đánh giá hài lòng"),
        lambda b: b.returned & Q(satisfaction=Satisfaction.SATISFIED),
        blocks=(SATISFACTION,),
    ),
    count(
        "normal",
        _("Hồ sơ người nộp đánh giá bình thường"),
        lambda b: b.returned & Q(satisfaction=Satisfaction.NORMAL),
        blocks=(SATISFACTION,),
    ),
    count(
        "not_satisfied",
        _("Hồ sơ người nộp đánh giá không hài lòng"),
        lambda b: b.returned & Q(satisfaction=Satisfaction.NOT_SATISFIED),
        blocks=(SATISFACTION,),
    ),
    rate_of(
        "on_time_rate",
        _("Tỷ lệ giải quyết đúng hạn"),
        "resolved_in_time",
        "resolved",
        _("(trước hạn + đúng hạn) / đã giải quyết"),
        blocks=IN_DOSSIERS,
    ),
    rate_of(
        "online_rate",
        _("Tỷ lệ hồ sơ trực tuyến"),
        "online",
        "online_eligible",
        _("trực tuyến / hồ sơ của TTHC có cung cấp trực tuyến"),
        blocks=IN_DOSSIERS,
    ),
    difference(
        "input_none",
        _("Hồ sơ chưa số hóa thành phần khi tiếp nhận"),
        "received_in_period",
        "input_any",
        blocks=(DIGITIZATION,),
    ),
    # Shown on the pages, not written by the contract.
    difference(
        "input_partial",
        _("Hồ sơ số hóa một phần thành phần khi tiếp nhận"),
        "input_any",
        "input_full",
    ),
    rate_of(
        "input_full_rate",
        _("Tỷ lệ số hóa hồ sơ khi tiếp nhận"),
        "input_full",
        "received_in_period",
        _("số hóa toàn bộ thành phần / tiếp nhận trong kỳ"),
        blocks=(DIGITIZATION,),
    ),
    difference(
        "result_not_digitized",
        _("Hồ sơ đã giải quyết, chưa số hóa kết quả"),
        "resolved",
        "result_digitized",
        blocks=(DIGITIZATION,),
    ),
    rate_of(
        "result_rate",
        _("Tỷ lệ số hóa kết quả"),
        "result_digitized",
        "resolved",
        _("kết quả đã số hóa / đã giải quyết"),
        blocks=(DIGITIZATION,),
    ),
    rate_of(
        "paid_online_rate",
        _("Tỷ lệ thanh toán phí, lệ phí trực tuyến"),
        "paid_online",
        "with_fee",
        _("thanh toán trực tuyến / đã giải quyết có phí, lệ phí"),
        blocks=(FEES,),
    ),
    rate_of(
        "satisfied_rate",
        _("Tỷ lệ hài lòng"),
        "satisfied",
        "rated",
        _("hài lòng / được đánh giá"),
        blocks=(SATISFACTION,),
    ),
)

IN_ONLINE = (ONLINE_SERVICES,)
# The figures of each online level's services (counted from the catalogue and the dossiers
# received at that level by cchc.stats.selectors.online_services, not by the grouped query).
ONLINE_SERVICE_FIGURES = Catalogue(
    Figure(
        "procedures",
        _("Thủ tục hành chính cung cấp dịch vụ công trực tuyến"),
        additive=False,
        blocks=IN_ONLINE,
    ),
    Figure(
        "procedures_with_dossiers",
        _("Thủ tục hành chính phát sinh hồ sơ"),
        at_most=("procedures",),
        additive=False,
        blocks=IN_ONLINE,
    ),
    Figure(
        "procedures_with_online_dossiers",
        _("Thủ tục hành chính phát sinh hồ sơ trực tuyến"),
        # Without procedures_with_dossiers, the procedures offered stand in for it.
        at_most=("procedures_with_dossiers", "procedures"),
        additive=False,
        blocks=IN_ONLINE,
    ),
    Figure(
        "dossiers",
        _("Hồ sơ tiếp nhận trong kỳ của thủ tục cung cấp trực tuyến"),
        within_counted="online_eligible",
        blocks=IN_ONLINE,
    ),
    Figure(
        "online_dossiers",
        _("Hồ sơ tiếp nhận trực tuyến của thủ tục cung cấp trực tuyến"),
        at_most=("dossiers",),
        within_counted="online",
        blocks=IN_ONLINE,
    ),
    rate_of(
        "online_rate",
        _("Tỷ lệ hồ sơ trực tuyến"),
        "online_dossiers",
        "dossiers",
        _("hồ sơ trực tuyến / hồ sơ"),
        blocks=IN_ONLINE,
    ),
    # The documents' table shows it; the contract does not write it.
    rate_of(
        "procedures_online_rate",
        _("Tỷ lệ thủ tục phát sinh hồ sơ trực tuyến"),
        "procedures_with_online_dossiers",
        "procedures",
        _("thủ tục phát sinh hồ sơ trực tuyến / thủ tục cung cấp"),
    ),
)

# The contract's blocks and the catalogue each one's figures come from.
BLOCK_CATALOGUES = {
    DOSSIERS: DOSSIER_FIGURES,
    DIGITIZATION: DOSSIER_FIGURES,
    FEES: DOSSIER_FIGURES,
    SATISFACTION: DOSSIER_FIGURES,
    ONLINE_SERVICES: ONLINE_SERVICE_FIGURES,
}


def count_conditions(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The condition of every counted figure, in the catalogue's order, over a queryset of the
    period's dossiers annotated by annotate_state_at(end)."""
    basis = Basis(start, end)
    return {f.key: f.condition(basis) for f in DOSSIER_FIGURES if not f.derived}


def condition_of(key: str, conditions: Mapping[str, Q]) -> Q:
    """The condition of any figure of the dossiers that is not a rate: its own when counted,
    else made of its terms' (a sum of disjoint counts is their union; a difference of a count
    and a count within it, the first without the second)."""
    if key in conditions:
        return conditions[key]
    figure = DOSSIER_FIGURES[key]
    first, *rest = (condition_of(t, conditions) for t in figure.terms)
    match figure.kind:
        case Kind.SUM:
            for other in rest:
                first = first | other
            return first
        case Kind.DIFFERENCE:
            return first & ~rest[0]
    raise ValueError(f"{key} is a rate: it has no dossiers of its own")


def drillable() -> tuple[Figure, ...]:
    """The figures of the dossiers that are dossiers (a list can show them): all but rates."""
    return tuple(f for f in DOSSIER_FIGURES if not f.is_rate)


def write_block(block: str, values: Mapping) -> dict:
    """The contract's object of `block` from the values of its catalogue's figures (counted
    ones given, derived ones computed where missing), under the contract's names."""
    catalogue = BLOCK_CATALOGUES[block]
    figures = catalogue.in_block(block)
    values = catalogue.complete(values)
    return {f.contract_key: values[f.key] for f in figures}
