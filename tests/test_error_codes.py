"""The machine codes of refusals are one enum (cchc.errors.ErrorCode), not strings scattered in
the code, and an answer carries the plain string: the codes are a contract with API callers."""

import ast
import json
import re
from pathlib import Path

from django.http import JsonResponse
from rest_framework.renderers import JSONRenderer

import cchc
from cchc.errors import ErrorCode

SOURCE = Path(cchc.__file__).parent
# Validation errors of Django forms and DRF serializers have codes of their own, never answered.
VALIDATION_ERRORS = {"ValidationError"}
# The stats app is being restructured on another branch; its two codes move to the enum there.


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def scattered_codes(tree: ast.AST) -> list[tuple[int, str]]:
    """Machine codes written as string literals: `code="…"` arguments, `code`/`default_code`
    attributes, `{"code": "…"}` answers, and the code of services' `_invalid(message, "…")`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) not in VALIDATION_ERRORS:
            for keyword in node.keywords:
                if keyword.arg == "code" and _literal(keyword.value) is not None:
                    found.append((node.lineno, _literal(keyword.value)))
            if _name(node.func) == "_invalid" and len(node.args) > 1 and _literal(node.args[1]):
                found.append((node.lineno, _literal(node.args[1])))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(t, "id", getattr(t, "attr", "")) for t in targets}
            if names & {"code", "default_code"} and _literal(node.value) is not None:
                found.append((node.lineno, _literal(node.value)))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _literal(key) == "code" and _literal(value) is not None:
                    found.append((node.lineno, _literal(value)))
    return found


def test_no_machine_code_is_written_as_a_string_outside_the_enum():
    scattered = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in relative or relative == "errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scattered += [f"{relative}:{line}: {code!r}" for line, code in scattered_codes(tree)]
    assert scattered == []


def test_the_check_finds_each_way_of_writing_a_code():
    source = """
raise BadRequest("x", code="a")
class E(Exception):
    code = "b"
    default_code = "c"
answer = {"code": "d", "detail": "…"}
_invalid("message", "e")
raise ValidationError("x", code="blank")
"""
    assert [code for _, code in scattered_codes(ast.parse(source))] == ["a", "b", "c", "d", "e"]


def test_codes_are_snake_case_english_and_distinct():
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in ErrorCode)
    assert len(set(ErrorCode)) == len(list(ErrorCode))


def test_an_answer_carries_the_plain_string():
    body = {"code": ErrorCode.STALE_DOSSIER, "detail": "…"}
    assert JSONRenderer().render(body) == b'{"code":"stale_dossier","detail":"\xe2\x80\xa6"}'
    assert json.loads(JsonResponse(body).content) == {"code": "stale_dossier", "detail": "…"}
    assert f"{ErrorCode.STALE_DOSSIER}: x" == "stale_dossier: x"
