"""The API tests' world: the access matrix's people and every context's objects, and a token."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator

import pytest

import tests.security
from guichet.accounts.models import ApiToken
from tests.security.conftest import world_built_by
from tests.security.matrix import World


def _builders() -> list[Callable[[World], None]]:
    """Every context's matrix builder, so each operation has real objects to find."""
    found = []
    for module in pkgutil.iter_modules(tests.security.__path__):
        if module.name.startswith("test_matrix_"):
            matrix = getattr(importlib.import_module(f"tests.security.{module.name}"), "MATRIX", None)
            if matrix is not None and matrix.build is not None:
                found.append(matrix.build)
    return found


@pytest.fixture(scope="module")
def world(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """Built once per module in a transaction rolled back at its end."""
    with world_built_by(_builders(), django_db_blocker, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def token(world: World, django_db_blocker: pytest.FixtureRequest) -> str:
    """A bearer token of org_a's customer admin, who holds every application."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return ApiToken.issue(world.users["customer_a"])
