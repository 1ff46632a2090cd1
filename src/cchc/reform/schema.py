"""A form set compiled for computing and checking: rows by (form, code), formulas parsed and put
in dependency order, rules parsed. Built from the database in three queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .constants import NUMERIC_TYPES, ValueType
from .expressions import Expression, ExpressionError, RowKey, compile_expression
from .models import NOT_REPORTED, Form, FormRow, FormSet, ValidationRule


@dataclass(frozen=True)
class RowDef:
    key: RowKey
    pk: int | None
    label: str
    value_type: str
    decimals: int = 0
    formula: Expression | None = None
    missing_values: str = "skip_if_any"
    source: str = ""
    scope: str = ""
    reported_by: frozenset[str] = frozenset()  # empty: every level
    choices: frozenset[Decimal] = frozenset()

    @property
    def numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES

    @property
    def computed(self) -> bool:
        return self.formula is not None or bool(self.source)

    def reported_at(self, level_name: str | None) -> bool:
        if NOT_REPORTED in self.reported_by:
            return False
        return not self.reported_by or level_name is None or level_name in self.reported_by

    @property
    def label_short(self) -> str:
        return f"{_('Biểu')} {self.key[0]}, {self.key[1]}"


@dataclass(frozen=True)
class RuleDef:
    code: str
    form: int
    left: Expression
    operator: str
    right: Expression
    message: str
    importance: str
    missing_values: str


@dataclass
class Schema:
    rows: dict[RowKey, RowDef]
    rules: list[RuleDef]
    formula_order: list[RowKey] = field(default_factory=list)

    def row(self, key: RowKey) -> RowDef:
        return self.rows[key]


def _reported_by(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def build_schema(rows: list[RowDef], rules: list[RuleDef]) -> Schema:
    """Check every reference and order the formulas so that each comes after the rows it reads.

    Raises ExpressionError on a reference to a row that does not exist, to a row that takes
    no value, or on a cycle of formulas.
    """
    by_key = {row.key: row for row in rows}

    def check_refs(expr: Expression, where: str) -> None:
        for ref in expr.refs:
            target = by_key.get(ref)
            if target is None:
                raise ExpressionError(
                    _("%(where)s: chỉ tiêu [%(form)s:%(code)s] không có trong bộ biểu mẫu.")
                    % {"where": where, "form": ref[0], "code": ref[1]}
                )
            if not target.numeric:
                raise ExpressionError(
                    _("%(where)s: chỉ tiêu [%(form)s:%(code)s] không phải là số.")
                    % {"where": where, "form": ref[0], "code": ref[1]}
                )

    for row in rows:
        if row.formula is not None:
            check_refs(row.formula, _("Công thức của %(row)s") % {"row": row.label_short})
    for rule in rules:
        check_refs(rule.left, rule.code)
        check_refs(rule.right, rule.code)

    order: list[RowKey] = []
    state: dict[RowKey, int] = {}  # 1: being visited, 2: done

    def visit(key: RowKey, path: list[RowKey]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            cycle = " → ".join(f"[{f}:{c}]" for f, c in [*path, key])
            raise ExpressionError(_("Công thức vòng quanh: %(cycle)s") % {"cycle": cycle})
        state[key] = 1
        formula = by_key[key].formula
        for ref in formula.refs if formula else ():
            if by_key[ref].formula is not None:
                visit(ref, [*path, key])
        state[key] = 2
        order.append(key)

    for row in rows:
        if row.formula is not None:
            visit(row.key, [])
    return Schema(rows=by_key, rules=rules, formula_order=order)


def load_schema(form_set: FormSet) -> Schema:
    forms = dict(Form.objects.filter(form_set=form_set).values_list("pk", "number"))
    rows = []
    for row in FormRow.objects.filter(form__form_set=form_set).order_by("form__number", "order"):
        number = forms[row.form_id]
        rows.append(
            RowDef(
                key=(number, row.code),
                pk=row.pk,
                label=row.label,
                value_type=row.value_type,
                decimals=row.decimals,
                formula=compile_expression(row.formula, number) if row.formula else None,
                missing_values=row.missing_values,
                source=row.source,
                scope=row.scope,
                reported_by=_reported_by(row.reported_by),
                choices=frozenset(row.choice_values())
                if row.value_type == ValueType.CHOICE
                else frozenset(),
            )
        )
    rules = [
        RuleDef(
            code=rule.code,
            form=forms[rule.form_id],
            left=compile_expression(rule.left, forms[rule.form_id]),
            operator=rule.operator,
            right=compile_expression(rule.right, forms[rule.form_id]),
            message=rule.message,
            importance=rule.importance,
            missing_values=rule.missing_values,
        )
        for rule in ValidationRule.objects.filter(form_set=form_set).order_by(
            "form__number", "order"
        )
    ]
    return build_schema(rows, rules)
