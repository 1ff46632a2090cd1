"""Loading the unit tree: from units.csv and from the official `vietnam-provinces` data.

Both loads are all or nothing. The tree may have any depth (levels are data): the 3-tier tree
of 2023–2024 and the 2-tier one since 1 July 2025 load alike. A unit whose subtree already
carries dossiers is never moved to another parent: a restructure is recorded as a merger, so
that old figures keep rolling up where they were counted.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.commands import ImportReport
from cchc.csvfiles import RowError, open_table

from .constants import DEFAULT_LEVELS
from .models import PATH_SEP, Unit, UnitLevel

UNIT_COLUMNS = ("code", "name", "level", "parent_code")
_LEVEL_NAME = re.compile(r"[-a-zA-Z0-9_]+")


# What an import of units did.
LoadReport = ImportReport


def level_named(name: str) -> UnitLevel:
    label, rank = DEFAULT_LEVELS.get(name, (name, 9))
    return UnitLevel.objects.get_or_create(name=name, defaults={"label": str(label), "rank": rank})[
        0
    ]


class UnitMoveRefused(Exception):
    """A unit cannot go under the parent asked for; the message says why."""


class _TreeWriter:
    """Creates and updates units, keeping the materialised paths of moved subtrees right."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.units = {u.code: u for u in Unit.objects.all()}
        self.levels: dict[str, UnitLevel] = {}

    def level(self, name: str) -> UnitLevel:
        if name not in self.levels:
            self.levels[name] = level_named(name)
        return self.levels[name]

    def upsert(self, code: str, name: str, level: str, parent_code: str, **extra) -> None:
        """Raises UnitMoveRefused when the unit would change parent and must not."""
        parent = self.units[parent_code] if parent_code else None
        level_obj = self.level(level)
        unit = self.units.get(code)
        if unit is None:
            unit = Unit(code=code, name=name, level=level_obj, parent=parent, **extra)
            unit.save()
            self.units[code] = unit
            self.report.created += 1
            return
        moved = unit.parent_id != (parent.pk if parent else None)
        if moved:
            self._check_move(unit, parent)
        changed = moved or (unit.name, unit.level_id) != (name, level_obj.pk)
        changed |= any(getattr(unit, key) != value for key, value in extra.items())
        if not changed:
            self.report.unchanged += 1
            return
        unit.name, unit.level, unit.parent = name, level_obj, parent
        for key, value in extra.items():
            setattr(unit, key, value)
        old_path = unit.path
        unit.save()
        if moved:
            self._repath_below(unit, old_path)
        self.report.updated += 1

    def _check_move(self, unit: Unit, parent: Unit | None) -> None:
        if parent is not None and parent.path.startswith(unit.path):
            raise UnitMoveRefused(
                _("không thể đặt đơn vị %(code)s dưới %(parent)s, là đơn vị cấp dưới của nó")
                % {"code": unit.code, "parent": parent.code}
            )
        if Unit.objects.filter(path__startswith=unit.path, dossiers__isnull=False).exists():
            raise UnitMoveRefused(
                _(
                    "đơn vị %(code)s (hoặc đơn vị cấp dưới của nó) đã có hồ sơ nên không chuyển "
                    "sang đơn vị cấp trên khác; hãy ghi nhận việc sáp nhập thay vì sửa cây"
                )
                % {"code": unit.code}
            )

    def _repath_below(self, root: Unit, old_path: str) -> None:
        """Rewrites the paths and depths of the units under a moved unit."""
        below = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=root.pk))
        shift = root.path.count(PATH_SEP) - old_path.count(PATH_SEP)
        for unit in below:
            unit.path = root.path + unit.path[len(old_path) :]
            unit.depth += shift
        Unit.objects.bulk_update(below, ["path", "depth"], batch_size=500)
        for unit in below:
            self.units[unit.code] = unit


@transaction.atomic
def import_units_csv(data: bytes) -> LoadReport:
    """Load units.csv (code,name,level,parent_code); parents may come after their children.
    Loaded whole or not at all; raises CsvFileError when the file cannot be read."""
    report = LoadReport()
    table = open_table(data, UNIT_COLUMNS)
    report.warnings += table.unknown_columns_warnings(UNIT_COLUMNS)
    errors: list[RowError] = []
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for line, row in table.full_rows(errors):
        problems = _unit_row_problems(line, row)
        if problems:
            errors.extend(problems)
            continue
        earlier = rows.get(row["code"])
        if earlier is None:
            rows[row["code"]] = (line, row)
        elif earlier[1] != row:
            errors.append(
                RowError(
                    line,
                    "code",
                    _("mã đơn vị %(code)r đã có ở dòng %(other)d với dữ liệu khác")
                    % {"code": row["code"], "other": earlier[0]},
                )
            )
    writer = _TreeWriter(report)
    order, tree_errors = _parents_first(rows, writer.units)
    errors.extend(tree_errors)
    if not errors:
        for code in order:
            line, row = rows[code]
            try:
                writer.upsert(code, row["name"], row["level"], row["parent_code"])
            except UnitMoveRefused as exc:
                errors.append(RowError(line, "parent_code", str(exc)))
    if errors:
        errors.sort(key=lambda e: e.line)
        report.errors = [str(e) for e in errors]
        transaction.set_rollback(True)
    return report


def _unit_row_problems(line: int, row: dict[str, str]) -> list[RowError]:
    problems = []
    for column in ("code", "name", "level"):
        if not row[column]:
            problems.append(RowError(line, column, _("thiếu giá trị bắt buộc")))
    code = row["code"]
    if PATH_SEP in code:
        problems.append(RowError(line, "code", _("mã đơn vị không được chứa '/'")))
    if len(code) > 64:
        problems.append(RowError(line, "code", _("mã đơn vị dài quá 64 ký tự")))
    if len(row["name"]) > 255:
        problems.append(RowError(line, "name", _("tên đơn vị dài quá 255 ký tự")))
    level = row["level"]
    if level and (len(level) > 32 or not _LEVEL_NAME.fullmatch(level)):
        problems.append(
            RowError(
                line,
                "level",
                _(
                    "tên cấp %(level)r không hợp lệ: tối đa 32 chữ cái không dấu, chữ số, '-' "
                    "hoặc '_' (ví dụ province, district, commune)"
                )
                % {"level": level},
            )
        )
    if code and row["parent_code"] == code:
        problems.append(
            RowError(line, "parent_code", _("đơn vị không thể là cấp trên của chính nó"))
        )
    return problems


def _parents_first(
    rows: dict[str, tuple[int, dict[str, str]]], stored: dict[str, Unit]
) -> tuple[list[str], list[RowError]]:
    """The codes of the file, each after its parent when the parent is in the file too, and
    the errors of parents that exist nowhere or of parents that form a loop."""
    order: list[str] = []
    errors: list[RowError] = []
    state: dict[str, str] = {}  # code -> "visiting" | "done" | "bad"
    for start in rows:
        chain: list[str] = []
        code = start
        while code in rows and code not in state:
            state[code] = "visiting"
            chain.append(code)
            code = rows[code][1]["parent_code"]
        if not code or state.get(code) == "done" or (code not in rows and code in stored):
            outcome = "done"
        elif state.get(code) == "visiting":
            loop = [*chain[chain.index(code) :], code]
            for member in loop[:-1]:
                errors.append(
                    RowError(
                        rows[member][0],
                        "parent_code",
                        _("các đơn vị làm cấp trên của nhau thành vòng: %(loop)s")
                        % {"loop": " → ".join(loop)},
                    )
                )
            outcome = "bad"
        else:  # a parent in neither the file nor the database, or below such a parent
            if state.get(code) != "bad":
                line = rows[chain[-1]][0]
                errors.append(
                    RowError(
                        line,
                        "parent_code",
                        _("không có đơn vị cấp trên mã %(code)r (trong tệp hay trong hệ thống)")
                        % {"code": code},
                    )
                )
            outcome = "bad"
        for member in reversed(chain):
            state[member] = outcome
            if outcome == "done":
                order.append(member)
    return order, errors


@transaction.atomic
def load_official_units(with_communes: bool = True) -> LoadReport:
    """Today's 2-tier official tree (since 1 July 2025): 34 provinces and 3,321 communes, with
    their official codes, from the `vietnam-provinces` package. All or nothing."""
    from vietnam_provinces import Province, Ward

    report = LoadReport()
    writer = _TreeWriter(report)
    errors = []
    province_codes = {}
    for p in Province.iter_all():
        code = f"{int(p.code.value):02d}"
        province_codes[p.code] = code
        try:
            writer.upsert(code, p.name, "province", "", official_code=code)
        except UnitMoveRefused as exc:
            errors.append(str(exc))
    if with_communes:
        for w in Ward.iter_all():
            code = f"{int(w.code.value):05d}"
            try:
                writer.upsert(
                    code, w.name, "commune", province_codes[w.province_code], official_code=code
                )
            except UnitMoveRefused as exc:
                errors.append(str(exc))
    if errors:
        report.errors = errors
        transaction.set_rollback(True)
    return report
