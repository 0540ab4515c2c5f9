"""The API tests' world: the access matrix's people and every context's objects, and a token."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

import tests.security
from guichet.accounts.models import ApiToken
from tests.conftest import ensure_support_centres
from tests.security.matrix import World, build_world


def _builders() -> list[object]:
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
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("api-media")),
        transaction.atomic(),
    ):
        ensure_support_centres()
        built = build_world()
        for build in _builders():
            build(built)  # type: ignore[operator]
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def token(world: World, django_db_blocker: pytest.FixtureRequest) -> str:
    """A bearer token of org_a's customer admin, who holds every application."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return ApiToken.issue(world.users["customer_a"])
