"""Turns the period statistics (exchange-format.md §2) into the home page's tables.

The per-unit table rolls the subtree up to the direct subordinate units of the chosen unit,
so a province shows its districts (each with its communes) and a district shows its own
one-stop shop and its communes: the layout of the seed reports, at any depth of the tree.
Each row carries the query parameters that select its dossiers (`scope`), so every figure
links to the drill-down list (drilldown.Part reads them back).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cchc.catalog.constants import ONLINE_LEVELS_OFFERED, OnlineLevel
from cchc.org.constants import DEFAULT_LEVELS
from cchc.org.models import PATH_SEP, Unit, UnitLevel
from cchc.stats.figures import DOSSIER_FIGURES, DOSSIERS, write_block
from cchc.stats.selectors import COUNT_KEYS


@dataclass
class Row:
    label: str
    counts: dict
    unit: Unit | None = None
    note: str = ""
    total: bool = False
    scope: dict[str, str] = field(default_factory=dict)
    key: str = ""  # what the row is in the statistics: a level, field, unit code, online level


@dataclass(frozen=True)
class Term:
    key: str
    own_span: bool  # it has no column of its own: its cell here carries its data-key


@dataclass(frozen=True)
class PageColumn:
    """A column of the page's dossier tables: a figure of the catalogue (cchc.stats.figures),
    its header and the group header above it. A rate shows its two terms as a fraction."""

    key: str
    header: Promise
    group: Promise | str = ""
    strong: bool = False  # a total
    flag: bool = False  # marked when not zero (late, overdue)
    fraction: tuple[Term, ...] = ()  # a rate's numerator and denominator

    @property
    def is_rate(self) -> bool:
        return DOSSIER_FIGURES[self.key].is_rate

    @property
    def explained(self) -> Promise | str:
        return DOSSIER_FIGURES[self.key].explained


def _columns(*columns: PageColumn) -> tuple[PageColumn, ...]:
    """The columns, each rate with its terms (as the catalogue declares them)."""
    keys = {c.key for c in columns}
    return tuple(
        replace(c, fraction=tuple(Term(t, t not in keys) for t in DOSSIER_FIGURES[c.key].terms))
        if c.is_rate
        else c
        for c in columns
    )


RECEIVED, RESOLVED, PENDING = (
    gettext_lazy("Tiếp nhận trong kỳ"),
    gettext_lazy("Đã giải quyết"),
    gettext_lazy("Đang giải quyết"),
)
TOTAL = gettext_lazy("Tổng")
DOSSIER_COLUMNS = _columns(
    PageColumn("received_total", gettext_lazy("Tổng số tiếp nhận")),
    PageColumn("carried_over", gettext_lazy("Kỳ trước chuyển sang")),
    PageColumn("received_in_period", TOTAL, RECEIVED),
    PageColumn("online", gettext_lazy("Trực tuyến"), RECEIVED),
    PageColumn("direct_postal", gettext_lazy("Trực tiếp, bưu chính"), RECEIVED),
    PageColumn("resolved", TOTAL, RESOLVED, strong=True),
    PageColumn("early", gettext_lazy("Trước hạn"), RESOLVED),
    PageColumn("on_time", gettext_lazy("Đúng hạn"), RESOLVED),
    PageColumn("late", gettext_lazy("Quá hạn"), RESOLVED, flag=True),
    PageColumn("rejected", gettext_lazy("Từ chối, trả lại")),
    PageColumn("withdrawn", gettext_lazy("Rút, hủy")),
    PageColumn("pending", TOTAL, PENDING, strong=True),
    PageColumn("pending_not_due", gettext_lazy("Chưa đến hạn"), PENDING),
    PageColumn(
        "pending_overdue",
        pgettext_lazy("hồ sơ đang giải quyết", "Quá hạn"),
        PENDING,
        flag=True,
    ),
    PageColumn("paused", gettext_lazy("Tạm dừng, chờ bổ sung")),
    PageColumn("on_time_rate", gettext_lazy("Tỷ lệ đúng hạn")),
    PageColumn("online_rate", gettext_lazy("Tỷ lệ trực tuyến")),
)


def header_rows(
    columns: tuple[PageColumn, ...] = DOSSIER_COLUMNS,
) -> tuple[list[dict], list[PageColumn]]:
    """The two header rows: a column without a group spans both; a group spans its columns
    on the first row, and they are named on the second."""
    top: list[dict] = []
    below: list[PageColumn] = []
    for column in columns:
        if not column.group:
            top.append({"label": column.header, "span": 0, "column": column})
        elif top and top[-1]["span"] and top[-1]["label"] == column.group:
            top[-1]["span"] += 1
            below.append(column)
        else:
            top.append({"label": column.group, "span": 1, "column": None})
            below.append(column)
    return top, below


@dataclass
class Tables:
    overall: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_field: list[Row] = field(default_factory=list)
    digitization: dict = field(default_factory=dict)
    fees: dict = field(default_factory=dict)
    satisfaction: dict = field(default_factory=dict)
    online: list[Row] = field(default_factory=list)


def level_label(level: UnitLevel) -> str:
    """The level's translated name when it is one of the official levels, else its data label."""
    default = DEFAULT_LEVELS.get(level.name)
    return str(default[0]) if default else str(level)


def roll_up(parts: list[dict]) -> dict:
    """Counts of several rows added together, with their rates recomputed."""
    return write_block(DOSSIERS, DOSSIER_FIGURES.sum_of(parts, COUNT_KEYS))


def build_tables(stats: dict, unit: Unit, subtree: list[Unit]) -> Tables:
    """`subtree`: the units of `unit`'s subtree (with their level), `unit` first."""
    dossiers = stats["dossiers"]
    tables = Tables()
    tables.overall.append(Row(_("Tổng cộng"), dossiers["all"], total=True, key="all"))

    levels = {u.level.name: u.level for u in subtree}
    if len(dossiers["by_level"]) > 1:
        for name in sorted(dossiers["by_level"], key=lambda n: (levels[n].rank, n)):
            tables.overall.append(
                Row(
                    level_label(levels[name]),
                    dossiers["by_level"][name],
                    scope={"level": name},
                    key=name,
                )
            )

    children = [u for u in subtree if u.parent_id == unit.pk]
    if children:
        groups: dict[str, list[dict]] = {
            code: [] for code in [unit.code, *(c.code for c in children)]
        }
        for member in subtree:
            codes = member.path.strip(PATH_SEP).split(PATH_SEP)
            key = codes[unit.depth + 1] if member.pk != unit.pk else unit.code
            groups[key].append(dossiers["by_unit"][member.code])
        tables.by_unit.append(
            Row(
                unit.name,
                roll_up(groups[unit.code]),
                note=_("Bộ phận Một cửa của đơn vị"),
                scope={"own": "1"},
                key=unit.code,
            )
        )
        with_children = {u.parent_id for u in subtree}
        for child in children:
            note = _("gồm cả đơn vị trực thuộc") if child.pk in with_children else ""
            tables.by_unit.append(
                Row(
                    child.name,
                    roll_up(groups[child.code]),
                    child,
                    note,
                    scope={"unit": child.code},
                    key=child.code,
                )
            )
        tables.by_unit.append(Row(_("Tổng cộng"), dossiers["all"], total=True, key="all"))

    for name, counts in dossiers["by_field"].items():
        tables.by_field.append(Row(name, counts, scope={"field": name}, key=name))
    if tables.by_field:
        tables.by_field.append(Row(_("Tổng cộng"), dossiers["all"], total=True, key="all"))

    digitization = stats["digitization"]
    tables.digitization = {
        **digitization,
        "input_partial": DOSSIER_FIGURES["input_partial"].value(digitization),
    }
    tables.fees = stats.get("fees", {})
    tables.satisfaction = stats.get("satisfaction", {})

    online = stats["online_services"]
    for level in ONLINE_LEVELS_OFFERED:
        tables.online.append(
            Row(
                str(OnlineLevel(level).label),
                online[level],
                scope={"online_level": level},
                key=level,
            )
        )
    by_level = online.get("by_level", {})
    if len(by_level) > 1:
        for name in sorted(by_level, key=lambda n: (levels[n].rank, n)):
            for level in ONLINE_LEVELS_OFFERED:
                tables.online.append(
                    Row(
                        f"{level_label(levels[name])}: {OnlineLevel(level).label}",
                        by_level[name][level],
                        scope={"level": name, "online_level": level},
                        key=f"{name}.{level}",
                    )
                )
    return tables
