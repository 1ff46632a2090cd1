"""Loading the unit tree: from units.csv and from the official `vietnam-provinces` data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.csvfiles import read_table, row_is_ragged

from .constants import DEFAULT_LEVELS
from .models import PATH_SEP, Unit, UnitLevel


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def level_named(name: str) -> UnitLevel:
    label, rank = DEFAULT_LEVELS.get(name, (name, 9))
    return UnitLevel.objects.get_or_create(name=name, defaults={"label": str(label), "rank": rank})[
        0
    ]


def upsert_unit(
    code: str, name: str, level: UnitLevel, parent: Unit | None, report: LoadReport, **extra
) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, name=name, level=level, parent=parent, **extra)
        unit.save()
        report.created += 1
        return unit
    if unit.parent_id != (parent.pk if parent else None) and unit.dossiers.exists():
        # Units are never moved in place once they carry history: a restructure is a merger.
        report.errors.append(
            _(
                "Đơn vị %(code)s đã có hồ sơ; không chuyển sang đơn vị cấp trên khác (hãy ghi nhận sáp nhập)."
            )
            % {"code": code}
        )
        return unit
    changed = (unit.name, unit.level_id, unit.parent_id) != (
        name,
        level.pk,
        parent.pk if parent else None,
    )
    for key, value in extra.items():
        changed |= getattr(unit, key) != value
        setattr(unit, key, value)
    if changed:
        unit.name, unit.level, unit.parent = name, level, parent
        unit.save()
        if unit.children.exists():
            _repath_subtree(unit)
        report.updated += 1
    else:
        report.unchanged += 1
    return unit


def _repath_subtree(root: Unit) -> None:
    for child in root.children.all():
        child.save()
        _repath_subtree(child)


@transaction.atomic
def import_units_csv(data: bytes) -> LoadReport:
    """Load units.csv (code,name,level,parent_code); parents may come after their children."""
    report = LoadReport()
    _header, rows = read_table(data, ("code", "name", "level", "parent_code"))
    pending: list[tuple[int, dict]] = []
    for line, raw in rows:
        if row_is_ragged(raw):
            report.errors.append(_("dòng %(l)d: số cột không khớp tiêu đề") % {"l": line})
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        problem = None
        if not row["code"] or not row["name"] or not row["level"]:
            problem = _("thiếu mã, tên hoặc cấp")
        elif PATH_SEP in row["code"]:
            problem = _("mã đơn vị không được chứa '/'")
        if problem:
            report.errors.append(_("dòng %(l)d: %(p)s") % {"l": line, "p": problem})
            continue
        pending.append((line, row))
    known = set(Unit.objects.values_list("code", flat=True))
    while pending:
        progressed = False
        rest = []
        for line, row in pending:
            parent_code = row["parent_code"]
            if parent_code and parent_code not in known:
                rest.append((line, row))
                continue
            parent = Unit.objects.get(code=parent_code) if parent_code else None
            upsert_unit(row["code"], row["name"], level_named(row["level"]), parent, report)
            known.add(row["code"])
            progressed = True
        if not progressed:
            for line, row in rest:
                report.errors.append(
                    _("dòng %(l)d, cột parent_code: không có đơn vị cấp trên mã %(c)r")
                    % {"l": line, "c": row["parent_code"]}
                )
            break
        pending = rest
    if report.errors:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def load_official_units(with_communes: bool = True) -> LoadReport:
    """Today's 2-tier official tree (since 1 July 2025): 34 provinces and 3,321 communes, with
    their official codes, from the `vietnam-provinces` package."""
    from vietnam_provinces import Province, Ward

    report = LoadReport()
    province_level = level_named("province")
    commune_level = level_named("commune")
    provinces = {}
    for p in Province.iter_all():
        code = f"{int(p.code.value):02d}"
        provinces[p.code] = upsert_unit(
            code, p.name, province_level, None, report, official_code=code
        )
    if with_communes:
        for w in Ward.iter_all():
            code = f"{int(w.code.value):05d}"
            upsert_unit(
                code, w.name, commune_level, provinces[w.province_code], report, official_code=code
            )
    return report
