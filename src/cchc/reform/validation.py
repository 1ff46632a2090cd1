"""Checking a report's values: each value fits its row, and every validation rule holds.

Rules are DHIS2-style (left side, operator, right side over rows). A rate written as a row's
value is compared at the precision it was written with: 82 means anything from 81.5 to 82.5,
5,2 anything from 5.15 to 5.25. A side is skipped as its rule's missing-value strategy says,
and a rule whose side divides by zero is not applicable (a rate of nothing is not wrong).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.reports.numbers import decimal as vn_decimal

from .constants import Importance, Operator, ValueType
from .expressions import Expression, RowKey
from .schema import RuleDef, Schema

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Violation:
    code: str
    form: int
    message: str
    importance: str
    rows: tuple[RowKey, ...]
    detail: str = ""

    def __str__(self) -> str:
        text = _("Biểu %(form)s: %(message)s") % {"form": self.form, "message": self.message}
        return f"{text} ({self.detail})" if self.detail else text

    @property
    def blocks_submission(self) -> bool:
        return self.importance == Importance.HIGH


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _tolerance(schema: Schema, expr: Expression, value: Decimal) -> Decimal:
    """Half a unit of the last printed digit when the side is a single rate row's value."""
    key = expr.single_ref
    if key is None or schema.rows[key].value_type != ValueType.PERCENT:
        return Decimal(0)
    return Decimal(5).scaleb(-_places(value) - 1)


def _holds(op: str, left: Decimal, tl: Decimal, right: Decimal, tr: Decimal) -> bool:
    """Whether the relation can hold for some true values within the printed precisions."""
    slack = tl + tr
    match op:
        case Operator.EQ:
            return abs(left - right) <= slack
        case Operator.NE:
            return abs(left - right) > slack
        case Operator.LE:
            return left - slack <= right
        case Operator.LT:
            return left - slack < right
        case Operator.GE:
            return left + slack >= right
        case Operator.GT:
            return left + slack > right
    raise ValueError(op)


def _show(value: Decimal) -> str:
    return vn_decimal(value, max(_places(value), 2))


def check_rule(
    schema: Schema, rule: RuleDef, values: Mapping[RowKey, Decimal | None]
) -> Violation | None:
    left = rule.left.evaluate(values, rule.missing_values)
    right = rule.right.evaluate(values, rule.missing_values)
    if left is None or right is None:
        return None
    tl, tr = _tolerance(schema, rule.left, left), _tolerance(schema, rule.right, right)
    if _holds(rule.operator, left, tl, right, tr):
        return None
    symbol = Operator(rule.operator).label
    detail = _("%(l)s = %(lv)s, %(r)s = %(rv)s: không thỏa %(op)s") % {
        "l": rule.left.text,
        "lv": _show(left),
        "r": rule.right.text,
        "rv": _show(right),
        "op": symbol,
    }
    rows = tuple(dict.fromkeys((*rule.left.refs, *rule.right.refs)))
    return Violation(rule.code, rule.form, rule.message, rule.importance, rows, detail)


def check_row_values(schema: Schema, values: Mapping[RowKey, Decimal | None]) -> list[Violation]:
    """Counts are whole and not negative, rates lie within 0-100, a choice is one of its codes.
    A formula's result is not checked: the rules over the rows it reads say what is wrong."""
    out = []
    for key, value in values.items():
        row = schema.rows.get(key)
        if value is None or row is None or row.formula is not None:
            continue
        message = None
        if row.value_type == ValueType.COUNT and (value < 0 or value != value.to_integral()):
            message = _("chỉ tiêu %(code)s phải là số nguyên không âm")
        elif row.value_type == ValueType.PERCENT and not 0 <= value <= HUNDRED:
            message = _("tỷ lệ %(code)s phải từ 0 đến 100")
        elif row.value_type == ValueType.CHOICE and value not in row.choices:
            message = _("chỉ tiêu %(code)s phải là một trong các mã: %(codes)s")
        elif row.value_type == ValueType.NUMBER and value < 0:
            message = _("chỉ tiêu %(code)s không được âm")
        if message:
            codes = ", ".join(format(c, "f") for c in sorted(row.choices))
            out.append(
                Violation(
                    code=f"{row.value_type}:{key[0]}:{key[1]}",
                    form=key[0],
                    message=message % {"code": key[1], "codes": codes},
                    importance=Importance.HIGH,
                    rows=(key,),
                    detail=_show(value),
                )
            )
    return out


def check_values(schema: Schema, values: Mapping[RowKey, Decimal | None]) -> list[Violation]:
    """Every broken row constraint and rule, in the forms' order."""
    found = check_row_values(schema, values)
    for rule in schema.rules:
        violation = check_rule(schema, rule, values)
        if violation is not None:
            found.append(violation)
    return found
