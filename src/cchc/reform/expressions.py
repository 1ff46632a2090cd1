"""Safe arithmetic over form rows, for formulas ("[3.3.2] / [3.3.1] * 100") and rule sides.

A row is written in brackets: "[3.2.1]" is row 3.2.1 of the current form, "[3:1.4.2]" row 1.4.2
of form 3 (brackets because "3.3" would otherwise be ambiguous between a row and a number).
Allowed: decimal numbers, + - * /, parentheses, min(...) and max(...). The expression is parsed
with Python's `ast` and walked over a whitelist of node types, never eval()'d. Hand-written
because no library in the environment fits: `formulas` evaluates Excel cell formulas, not row
numbers, and the arithmetic must be exact decimals with DHIS2's missing-value strategies.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from functools import lru_cache

from django.utils.translation import gettext as _

from .constants import MissingValues

RowKey = tuple[int, str]  # (form number, row code)
REF = re.compile(r"\[\s*(?:(\d+)\s*:\s*)?([0-9a-z][0-9a-z.]*?)\s*\]")
FUNCTIONS = {"min": min, "max": max}
_NAME = "_r{}"


class ExpressionError(ValueError):
    """The expression is not valid; the message says why (in Vietnamese)."""


class _Undefined(Exception):
    """A division by zero, or a function of nothing: the value does not exist."""


@dataclass(frozen=True)
class Expression:
    text: str
    refs: tuple[RowKey, ...]
    tree: ast.Expression

    @property
    def single_ref(self) -> RowKey | None:
        """The row when the expression is just one row ("[3.3]"), else None."""
        body = self.tree.body
        if isinstance(body, ast.Name) and len(self.refs) == 1:
            return self.refs[0]
        return None

    def evaluate(
        self,
        values: Mapping[RowKey, Decimal | None],
        missing: str = MissingValues.SKIP_IF_ANY,
    ) -> Decimal | None:
        """The value, or None when it is skipped (missing values) or undefined (x / 0)."""
        given = [values.get(ref) for ref in self.refs]
        present = [v for v in given if v is not None]
        if missing == MissingValues.SKIP_IF_ANY and len(present) < len(given):
            return None
        if missing == MissingValues.SKIP_IF_ALL and given and not present:
            return None
        env = dict(enumerate(given))
        try:
            with localcontext() as ctx:
                ctx.prec = 28
                ctx.traps[DivisionByZero] = True
                ctx.traps[InvalidOperation] = True
                return _eval(self.tree.body, env)
        except (_Undefined, DivisionByZero, InvalidOperation):
            return None


def _eval(node: ast.AST, env: dict[int, Decimal | None]) -> Decimal | None:
    """Missing rows (None) are 0 in arithmetic and left out of min()/max()."""
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return env[int(node.id[2:])]
    if isinstance(node, ast.UnaryOp):
        value = _zero(_eval(node.operand, env))
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _zero(_eval(node.left, env)), _zero(_eval(node.right, env))
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise _Undefined
        return left / right
    if isinstance(node, ast.Call):
        args = [v for v in (_eval(arg, env) for arg in node.args) if v is not None]
        if not args:
            return None
        return FUNCTIONS[node.func.id](args)
    raise _Undefined  # unreachable: compile() admits nothing else


def _zero(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


_ALLOWED_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)


def _check(node: ast.AST, text: str, names: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(_("Công thức %(f)s chỉ được chứa số.") % {"f": text})
        return
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ExpressionError(
                _("Công thức %(f)s: chỉ tiêu phải viết trong ngoặc vuông, ví dụ [3.2.1].")
                % {"f": text}
            )
        return
    if isinstance(node, ast.BinOp | ast.UnaryOp) and isinstance(node.op, _ALLOWED_OPS):
        for child in (node.operand,) if isinstance(node, ast.UnaryOp) else (node.left, node.right):
            _check(child, text, names)
        return
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and node.args
        and not node.keywords
    ):
        for arg in node.args:
            _check(arg, text, names)
        return
    raise ExpressionError(
        _("Công thức %(f)s chỉ được dùng số, chỉ tiêu, + - * /, ngoặc đơn, min(), max().")
        % {"f": text}
    )


@lru_cache(maxsize=4096)
def compile_expression(text: str, form: int) -> Expression:
    """Parse `text`; a row without a form number belongs to `form`."""
    refs: list[RowKey] = []

    def name(match: re.Match) -> str:
        key = (int(match.group(1)) if match.group(1) else form, match.group(2))
        if key not in refs:
            refs.append(key)
        return _NAME.format(refs.index(key))

    source = REF.sub(name, text.strip())
    if not source:
        raise ExpressionError(_("Công thức trống."))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(_("Công thức %(f)s viết sai cú pháp.") % {"f": text}) from exc
    _check(tree.body, text, {_NAME.format(i) for i in range(len(refs))})
    return Expression(text=text, refs=tuple(refs), tree=tree)
