"""The access matrix's world: built once per test module, rolled back at its end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import ensure_support_centres
from tests.security.matrix import Matrix, World, build_world


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """Built once for the module's tests (0.2 s a time, for requests of a tenth of that); each
    test runs in a savepoint of this transaction, so what one test changes, the next never sees."""
    matrix: Matrix | None = getattr(request.module, "MATRIX", None)
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")),
        transaction.atomic(),
    ):
        ensure_support_centres()
        built = build_world()
        if matrix is not None and matrix.build is not None:
            matrix.build(built)
        yield built
        transaction.set_rollback(True)
