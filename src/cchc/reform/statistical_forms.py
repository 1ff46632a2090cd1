"""The statistical forms 1–7 of the periodic CCHC report (bộ biểu mẫu thống kê): loading a year's
set from its JSON description (src/cchc/reform/data/form_set_*.json). Not Django forms or formsets
(forms.py); the models are StatisticalFormSet and StatisticalForm (FormSet, Form).

The document: {"year", "version", "name", "source", "forms": [{"number", "title", "area",
"rows": [...], "rules": [...]}]}. A row: "number" (printed STT, may be empty), "code" (defaults
to the number; required for an unnumbered row), "label", "unit", "type" (count, percent,
number, choice, text, none), optional "choices", "decimals", "note", "reported_by", "formula",
"missing", "source", "scope". A rule: "code", "left", "op", "right", "message", optional
"importance" and "missing". The printed notes "Cấp huyện báo", "Cấp sở báo" and "Không báo"
set the row's reporting level unless "reported_by" says otherwise.

The whole document is checked (every reference, source and formula cycle) before anything is
written; loading is all or nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.utils.translation import gettext as _

from .constants import Area, Importance, MissingValues, Operator, ValueType
from .expressions import ExpressionError, compile_expression
from .models import NOT_REPORTED
from .schema import RowDef, RuleDef, build_schema
from .sources import SourceError, check_source

DATA_DIR = Path(__file__).resolve().parent / "data"
NOTE_LEVELS = {
    "Cấp huyện báo": "district",
    "Cấp sở báo": "province",
    "Không báo": NOT_REPORTED,
}
PERCENT_DECIMALS = 2


class FormSetError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadResult:
    form_set: Any
    forms: int = 0
    rows: int = 0
    rules: int = 0
    replaced: bool = False
    problems: list[str] = field(default_factory=list)


def read_document(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormSetError(
            [_("Không đọc được tệp %(path)s: %(err)s") % {"path": path, "err": exc}]
        ) from exc


def _row_spec(form_number: int, raw: dict, problems: list[str]) -> dict | None:
    where = _("Biểu %(form)s, chỉ tiêu %(row)s") % {
        "form": form_number,
        "row": raw.get("code") or raw.get("number") or "?",
    }
    number = str(raw.get("number", "")).strip().rstrip(".")
    code = str(raw.get("code") or number).strip()
    value_type = raw.get("type", ValueType.COUNT)
    missing = raw.get("missing", MissingValues.SKIP_IF_ANY)
    spec = {
        "number": number,
        "code": code,
        "label": " ".join(str(raw.get("label", "")).split()),
        "unit": str(raw.get("unit", "")).strip(),
        "value_type": value_type,
        "choices": raw.get("choices", []),
        "decimals": raw.get("decimals", PERCENT_DECIMALS if value_type == ValueType.PERCENT else 0),
        "note": str(raw.get("note", "")).strip(),
        "formula": str(raw.get("formula", "")).strip(),
        "missing_values": missing,
        "source": str(raw.get("source", "")).strip(),
        "scope": str(raw.get("scope", "")).strip(),
    }
    spec["reported_by"] = raw.get("reported_by", NOTE_LEVELS.get(spec["note"], ""))
    errors = []
    if not code:
        errors.append(_("chỉ tiêu không số thứ tự cần có mã (code)"))
    if not spec["label"]:
        errors.append(_("thiếu tên chỉ tiêu"))
    if value_type not in ValueType.values:
        errors.append(_("kiểu số liệu không hợp lệ: %(t)s") % {"t": value_type})
    if missing not in MissingValues.values:
        errors.append(_("cách xử lý số thiếu không hợp lệ: %(m)s") % {"m": missing})
    if value_type == ValueType.CHOICE and not spec["choices"]:
        errors.append(_("chỉ tiêu lựa chọn cần danh sách lựa chọn"))
    for choice in spec["choices"]:
        if not isinstance(choice, dict) or "value" not in choice or "label" not in choice:
            errors.append(_('lựa chọn phải có dạng {"value": 1, "label": "Có"}'))
            break
    if not isinstance(spec["decimals"], int) or not 0 <= spec["decimals"] <= 4:
        errors.append(_("số chữ số thập phân phải từ 0 đến 4"))
    if spec["formula"] and spec["source"]:
        errors.append(_("không thể vừa có công thức vừa có nguồn"))
    if (spec["formula"] or spec["source"]) and value_type not in (
        ValueType.COUNT,
        ValueType.PERCENT,
        ValueType.NUMBER,
    ):
        errors.append(_("chỉ chỉ tiêu số mới có công thức hoặc nguồn"))
    if spec["source"]:
        try:
            check_source(spec["source"], spec["scope"])
        except SourceError as exc:
            errors.append(str(exc))
    if errors:
        problems.extend(f"{where}: {e}" for e in errors)
        return None
    return spec


def _rule_spec(form_number: int, raw: dict, problems: list[str]) -> dict | None:
    spec = {
        "code": str(raw.get("code", "")).strip(),
        "left": str(raw.get("left", "")).strip(),
        "operator": raw.get("op", ""),
        "right": str(raw.get("right", "")).strip(),
        "message": str(raw.get("message", "")).strip(),
        "importance": raw.get("importance", Importance.HIGH),
        "missing_values": raw.get("missing", MissingValues.SKIP_IF_ANY),
    }
    where = _("Biểu %(form)s, quy tắc %(code)s") % {
        "form": form_number,
        "code": spec["code"] or "?",
    }
    errors = []
    if not spec["code"]:
        errors.append(_("thiếu mã quy tắc"))
    if spec["operator"] not in Operator.values:
        errors.append(_("phép so sánh không hợp lệ: %(op)s") % {"op": spec["operator"]})
    if spec["importance"] not in Importance.values:
        errors.append(_("mức độ không hợp lệ: %(i)s") % {"i": spec["importance"]})
    if spec["missing_values"] not in MissingValues.values:
        errors.append(_("cách xử lý số thiếu không hợp lệ"))
    if not spec["message"]:
        errors.append(_("thiếu thông báo"))
    if errors:
        problems.extend(f"{where}: {e}" for e in errors)
        return None
    return spec


def parse_document(doc: dict) -> dict:
    """The document checked and normalised; raises FormSetError listing every problem."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise FormSetError([_("Tệp bộ biểu mẫu phải là một đối tượng JSON.")])
    year, version = doc.get("year"), doc.get("version", 1)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(_("Năm áp dụng không hợp lệ: %(y)r") % {"y": year})
    if not isinstance(version, int) or version < 1:
        problems.append(_("Phiên bản không hợp lệ: %(v)r") % {"v": version})
    if not doc.get("name"):
        problems.append(_("Thiếu tên bộ biểu mẫu."))
    forms = []
    numbers = set()
    row_defs: list[RowDef] = []
    rule_defs: list[RuleDef] = []
    for raw_form in doc.get("forms") or []:
        number = raw_form.get("number")
        if not isinstance(number, int) or number in numbers:
            problems.append(_("Số biểu không hợp lệ hoặc trùng: %(n)r") % {"n": number})
            continue
        numbers.add(number)
        area = raw_form.get("area", "")
        if area and area not in Area.values:
            problems.append(
                _("Biểu %(n)s: lĩnh vực không hợp lệ: %(a)s") % {"n": number, "a": area}
            )
        rows = [_row_spec(number, raw, problems) for raw in raw_form.get("rows") or []]
        rules = [_rule_spec(number, raw, problems) for raw in raw_form.get("rules") or []]
        rows = [r for r in rows if r is not None]
        rules = [r for r in rules if r is not None]
        codes = [r["code"] for r in rows]
        for code in {c for c in codes if codes.count(c) > 1}:
            problems.append(_("Biểu %(n)s: mã chỉ tiêu trùng: %(c)s") % {"n": number, "c": code})
        for row in rows:
            try:
                formula = compile_expression(row["formula"], number) if row["formula"] else None
            except ExpressionError as exc:
                problems.append(str(exc))
                continue
            row_defs.append(
                RowDef(
                    key=(number, row["code"]),
                    pk=None,
                    label=row["label"],
                    value_type=row["value_type"],
                    formula=formula,
                )
            )
        for rule in rules:
            try:
                left = compile_expression(rule["left"], number)
                right = compile_expression(rule["right"], number)
            except ExpressionError as exc:
                problems.append(f"{rule['code']}: {exc}")
                continue
            rule_defs.append(
                RuleDef(
                    rule["code"], number, left, rule["operator"], right, rule["message"], "", ""
                )
            )
        forms.append(
            {
                "number": number,
                "title": str(raw_form.get("title", "")).strip(),
                "area": area,
                "rows": rows,
                "rules": rules,
            }
        )
    rule_codes = [r.code for r in rule_defs]
    for code in {c for c in rule_codes if rule_codes.count(c) > 1}:
        problems.append(_("Mã quy tắc trùng: %(c)s") % {"c": code})
    if not forms:
        problems.append(_("Bộ biểu mẫu không có biểu nào."))
    if not problems:
        try:
            build_schema(row_defs, rule_defs)
        except ExpressionError as exc:
            problems.append(str(exc))
    if problems:
        raise FormSetError(problems)
    return {
        "year": year,
        "version": version,
        "name": str(doc["name"]).strip(),
        "source": str(doc.get("source", "")).strip(),
        "forms": forms,
    }


def load_form_set(doc: dict, *, replace: bool = False, apps=global_apps) -> LoadResult:
    """Create the form set described by `doc` (all or nothing).

    An existing set of the same year and version is replaced only when `replace` is given and
    no report uses it: a set that reports were filled in is never rewritten (load a new version).
    `apps` lets a data migration pass its historical models.
    """
    data = parse_document(doc)
    FormSet = apps.get_model("reform", "FormSet")
    Form = apps.get_model("reform", "Form")
    FormRow = apps.get_model("reform", "FormRow")
    ValidationRule = apps.get_model("reform", "ValidationRule")
    FormReport = apps.get_model("reform", "FormReport")
    with transaction.atomic():
        existing = FormSet.objects.filter(year=data["year"], version=data["version"]).first()
        replaced = False
        if existing is not None:
            if not replace:
                raise FormSetError(
                    [
                        _("Bộ biểu mẫu năm %(y)s phiên bản %(v)s đã có; dùng --replace để thay.")
                        % {"y": data["year"], "v": data["version"]}
                    ]
                )
            if FormReport.objects.filter(form_set=existing).exists():
                raise FormSetError(
                    [
                        _(
                            "Bộ biểu mẫu năm %(y)s phiên bản %(v)s đã được dùng để báo cáo; "
                            "hãy nạp thành phiên bản mới."
                        )
                        % {"y": data["year"], "v": data["version"]}
                    ]
                )
            existing.delete()
            replaced = True
        form_set = FormSet.objects.create(
            year=data["year"], version=data["version"], name=data["name"], source=data["source"]
        )
        result = LoadResult(form_set=form_set, replaced=replaced)
        for form_data in data["forms"]:
            form = Form.objects.create(
                form_set=form_set,
                number=form_data["number"],
                title=form_data["title"],
                area=form_data["area"],
            )
            FormRow.objects.bulk_create(
                FormRow(form=form, order=i, **row) for i, row in enumerate(form_data["rows"], 1)
            )
            ValidationRule.objects.bulk_create(
                ValidationRule(form_set=form_set, form=form, order=i, **rule)
                for i, rule in enumerate(form_data["rules"], 1)
            )
            result.forms += 1
            result.rows += len(form_data["rows"])
            result.rules += len(form_data["rules"])
    return result
