"""Turns the period statistics (exchange-format.md §2) into the home page's tables.

The per-unit table rolls the subtree up to the direct subordinate units of the chosen unit,
so a province shows its districts (each with its communes) and a district shows its own
one-stop shop and its communes: the layout of the seed reports, at any depth of the tree.
Each row carries the query parameters that select its dossiers (`scope`), so every figure
links to the drill-down list (drilldown.Part reads them back).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
