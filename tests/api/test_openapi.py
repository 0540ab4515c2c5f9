"""The OpenAPI description: one schema per name, and the answers each operation can give documented."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pydantic

from guichet.config.api import api


def _models_in(annotation: Any, found: set[type[pydantic.BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def _operations() -> list[Any]:
    return [
        operation
        for router_prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]


def test_every_schema_has_a_name_of_its_own() -> None:
    """Two classes of one name in different contexts once made the description show only the last."""
    found: set[type[pydantic.BaseModel]] = set()
    for operation in _operations():
        for model in [*operation.models, *operation.response_models.values()]:
            _models_in(model, found)
    components = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    by_name: defaultdict[str, set[str]] = defaultdict(set)
    for model in found:
        if model.__name__ in components:
            by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert not {name: classes for name, classes in by_name.items() if len(classes) > 1}


def test_every_operation_documents_its_refusals() -> None:
    """An operation with a login documents 401; one that takes input documents 422 (Ninja's validation)."""
    undocumented = []
    for path, methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items():
        for method, operation in methods.items():
            documented = {str(code) for code in operation["responses"]}
            takes_input = operation.get("parameters") or operation.get("requestBody")
            if operation.get("security") and "401" not in documented:
                undocumented.append(f"{method.upper()} {path}: 401")
            if takes_input and "422" not in documented:
                undocumented.append(f"{method.upper()} {path}: 422")
    assert not undocumented, undocumented
