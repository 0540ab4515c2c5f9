"""The production gunicorn settings (`-c python:guichet.ops.gunicorn`): each worker warms up, then
freezes what it holds out of the garbage collector's full collections (decision 0019)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection
from django.template import engines
from django.utils.translation import trans_real
from gunicorn.app.base import Application

from guichet.ops import warmup
from guichet.support.models import Request


class _Portal(Application):  # gunicorn's own loader of a `-c` settings module
    def init(self, parser: object, opts: object, args: object) -> None:
        return None

    def load(self) -> None:
        return None

    def load_config(self) -> None:
        for name, value in self.load_config_from_module_name_or_filename("python:guichet.ops.gunicorn").items():
            if name in self.cfg.settings:
                self.cfg.set(name.lower(), value)


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process goes on collecting as before


def _cached(engine_name: str) -> set[str]:
    loader = engines[engine_name].engine.template_loaders[0]  # type: ignore[attr-defined]
    return set(loader.get_template_cache)


def test_gunicorn_runs_the_warm_up_then_freezes(unfrozen: None) -> None:
    cfg = _Portal().cfg
    engines["django"].engine.template_loaders[0].reset()  # type: ignore[attr-defined]
    trans_real._translations.pop("nl", None)
    assert gc.get_freeze_count() == 0

    cfg.post_worker_init(worker=None)

    assert gc.get_freeze_count() > 100_000  # the application, not a handful of objects
    assert {"base.html", "help/home.html", "support/list.html"} <= _cached("django")
    assert "nl" in trans_real._translations


@pytest.mark.django_db(transaction=True)  # the connection closed, then opened by the warm-up
def test_the_warm_up_loads_what_first_requests_would() -> None:
    connection.close()
    Request._meta._expire_cache()

    loaded = warmup.warm_up()

    # Every module of the portal (views, API schemas, tasks), each language, the holidays of each
    # country and Canadian province; without a broker (the tests') nothing of Celery's to publish.
    assert loaded["modules"] > 250
    assert loaded["languages"] == len(settings.LANGUAGES)
    assert loaded["calendars"] == 3 + 13
    assert loaded["publishing"] == 0
    # Each model's field maps, the database connection and the cache's, ready for the first request.
    assert loaded["models"] == len(apps.get_models(include_auto_created=True))
    assert "fields_map" in Request._meta.__dict__
    assert loaded["database"] == loaded["cache"] == 1
    assert connection.connection is not None
    assert loaded["broker"] == 0


@pytest.mark.django_db(transaction=True)  # the connection closed, then refused
def test_a_database_away_at_start_leaves_the_first_request_to_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise OperationalError("connection refused")

    connection.close()
    monkeypatch.setattr(connection, "get_new_connection", refused)

    loaded = warmup.warm_up()

    assert loaded["database"] == 0
    assert loaded["cache"] == 1
    assert loaded["templates"] > 300  # the rest of the warm-up done all the same
    assert connection.connection is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an option of PostgreSQL's connections")
def test_a_database_that_does_not_answer_fails_the_connection_within_seconds() -> None:
    # Not the system's TCP timeout (minutes): a starting worker would outlive gunicorn's timeout in
    # its warm-up, and be killed and started again, without ever serving.
    assert connection.get_connection_params()["connect_timeout"] == 5


def test_every_template_of_the_portal_compiles() -> None:
    ours = [
        path
        for engine in engines.all()
        for directory in engine.template_dirs
        if Path(directory).is_relative_to(settings.PACKAGE_DIR)
        for path in Path(directory).rglob("*.*")
    ]
    # A template that does not compile would fail the warm-up (logged, then the first visitor pays).
    assert warmup.compile_templates() == len(ours) > 300
