"""Error codes are enum members (core's `Code` or a context's errors.Code), and the API schema lists them all."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from types import ModuleType

import pytest

import guichet
from guichet.core.contexts import contexts, error_codes
from guichet.core.errors import Code, DomainError

SOURCE = Path(guichet.__file__).parent
ENUMS: list[type[StrEnum]] = [Code, *(e for c in contexts() if (e := c.error_codes()) is not None)]


def _members() -> set[StrEnum]:
    return {member for enum in ENUMS for member in enum}


def _error_classes(cls: type[DomainError] = DomainError) -> Iterator[type[DomainError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _error_classes(sub)


def _modules() -> Iterator[tuple[ModuleType, ast.Module]]:
    """Every module of the portal (imported, so every error class exists) and its syntax tree."""
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        yield importlib.import_module(".".join(relative.parts)), ast.parse(path.read_text(), str(path))


def _is_dotted_name(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _raised_codes() -> Iterator[tuple[str, int, str, object]]:
    """(module, line, expression, value) of every `code=` given to a DomainError class."""
    for module, tree in _modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_dotted_name(node.func)):
                continue
            called = ast.unparse(node.func)
            try:
                target = eval(called, vars(module))  # noqa: S307 - a name or attribute from our own source
            except (NameError, AttributeError):
                continue  # a local name (a function's argument): not a class of ours
            if not (isinstance(target, type) and issubclass(target, DomainError)):
                continue
            for keyword in node.keywords:
                if keyword.arg == "code":
                    expression = ast.unparse(keyword.value)
                    yield module.__name__, node.lineno, expression, eval(expression, vars(module))  # noqa: S307


def test_every_context_declares_its_codes() -> None:
    assert len(ENUMS) == 1 + len(contexts())


def test_every_error_class_carries_a_member() -> None:
    members = _members()
    for _module in _modules():
        pass  # every error class is defined
    for cls in _error_classes():
        assert isinstance(cls.code, StrEnum) and cls.code in members, cls


def test_every_code_raised_anywhere_is_a_member() -> None:
    members = _members()
    raised = list(_raised_codes())
    assert len(raised) > 150  # the scan sees the raises (there were 136 free-form strings)
    wrong = [(m, line, e) for m, line, e, value in raised if not (isinstance(value, StrEnum) and value in members)]
    assert wrong == []


def test_a_member_is_its_value_on_the_wire() -> None:
    error = DomainError("No.", code=Code.INVALID_PAGE)
    assert error.code == "invalid_page" and f"{error.code}" == "invalid_page"


@pytest.mark.django_db
def test_the_openapi_error_schema_lists_every_code(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    code = schema["components"]["schemas"]["ErrorOut"]["properties"]["code"]
    assert code["type"] == "string"
    assert code["enum"] == error_codes() == sorted({m.value for m in _members()})
    assert {"invalid_page", "import_rejected", "machine_not_covered", "bad_signature"} <= set(code["enum"])
    answer = client.get("/api/v1/invoices?page=0")
    assert answer.status_code in (400, 401) and answer.json()["code"] in code["enum"]
