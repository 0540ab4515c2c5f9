"""The access matrix's world: built once per test module, rolled back at its end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import ensure_support_centres
from tests.security.matrix import Matrix, World, build_world


@contextmanager
def world_built_by(
    builders: Iterable[Callable[[World], None]],
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """The matrix's people plus what `builders` add, in a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")),
        transaction.atomic(),
    ):
        ensure_support_centres()
        built = build_world()
        for build in builders:
            build(built)
        yield built
        transaction.set_rollback(True)


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
    builders = [matrix.build] if matrix is not None and matrix.build is not None else []
    with world_built_by(builders, django_db_blocker, tmp_path_factory) as built:
        yield built
