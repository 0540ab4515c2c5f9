"""Shared fixtures: support centres, a clean cache, people in organisations, SMTP sink."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import AppConfig, apps
from django.core.cache import cache
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.db.models.signals import post_migrate
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from guichet.core.countries import forget_centres
from guichet.core.models import SupportCentre
from tests.accounts.factories import (
    OrganisationFactory,
    UserFactory,
    grant_all,
    make_agent,
    make_member,
)
from tests.smtp_sink import SmtpSink

# Help search runs lexical only unless a test asks for the embeddings (tests/help/test_semantic.py):
# embedding the articles takes about a minute in each test process, and one test is about them.
os.environ.setdefault("HELP_SEMANTIC_SEARCH", "off")

# Property tests judge answers, not speed: a loaded machine (CI, parallel workers) makes input
# generation and single examples slow without anything being wrong.
hypothesis_settings.register_profile("guichet", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("guichet")

# WhiteNoise (settings: WHITENOISE_USE_FINDERS) lists and stats every static file when its middleware
# is built: once per process in production, but once per test client here, where it was three
# quarters of a simple request's cost (about 500 files, Bootstrap's among them). Listed once per
# configuration instead: the same files, the same answers.
_finder_files: dict[tuple[object, ...], dict[str, object]] = {}
_add_files_from_finders = WhiteNoiseMiddleware.add_files_from_finders


def _add_files_from_finders_once(self: WhiteNoiseMiddleware) -> None:
    from django.conf import settings

    key = (
        self.static_prefix,
        self.max_age,
        self.allow_all_origins,
        self.charset,
        self.index_file,
        self.add_headers_function,
        repr(settings.STATICFILES_DIRS),
        repr(settings.STATICFILES_FINDERS),
        repr(getattr(settings, "WHITENOISE_IMMUTABLE_FILE_TEST", None)),
    )
    found = _finder_files.get(key)
    if found is None:
        files, self.files = self.files, {}
        try:
            _add_files_from_finders(self)
            found = _finder_files[key] = self.files
        finally:
            self.files = files
    self.files.update(found)


WhiteNoiseMiddleware.add_files_from_finders = _add_files_from_finders_once  # type: ignore[method-assign]

# A transactional test (live server, browser journeys, real workers, concurrency) ends with a flush of
# every table. On PostgreSQL Django flushes with one TRUNCATE of the 81 tables: new files for every
# table and index, the old ones dropped from shared buffers and unlinked at commit — 1 to 2.5 s per
# test on a loaded 2-core machine, about 12 % of the PostgreSQL run. Deleting the few rows a test
# left takes a tenth of that. The foreign keys Django creates are deferrable (checked at commit,
# when every table is empty), no table has a trigger, and a flush that resets sequences or cascades
# (available_apps, reset_sequences=True) still truncates.
_truncate_flush = PostgresOperations.sql_flush
_KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


def _delete_flush(
    self: PostgresOperations,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    if reset_sequences or allow_cascade or not tables:
        return _truncate_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    # The content types and permissions are kept: post_migrate would write the same rows again (no
    # test adds or removes one), about a third of what a flush costs now.
    tables = [table for table in tables if table not in _KEPT_BY_FLUSH]
    # One statement, one round trip (psycopg runs a parameterless string of several as one query).
    deletes = "".join(f"DELETE FROM {self.quote_name(table)};" for table in tables)  # noqa: S608 (Django's tables)
    return [f"SET CONSTRAINTS ALL DEFERRED;{deletes}"]


PostgresOperations.sql_flush = _delete_flush  # type: ignore[method-assign]

# Browser fixtures (one Chromium for the whole run), shared by tests/e2e and the contexts' page tests.
pytest_plugins = ["tests.browser"]

_centres_migration = importlib.import_module("guichet.core.migrations.0002_launch_support_centres")
_facts_migration = importlib.import_module("guichet.core.migrations.0006_launch_facts_from_the_seeds")


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    forget_centres()
    yield
    cache.clear()
    forget_centres()


@pytest.fixture(autouse=True)
def _english_until_asked() -> Iterator[None]:
    """Each test starts in English: a request's language must not leak into the next test."""
    translation.activate("en")
    yield
    translation.deactivate()


def ensure_support_centres() -> None:
    """The launch centres; re-created because transactional tests flush migration data. In one
    transaction: one commit, not one per row (about 40)."""
    with transaction.atomic():
        _ensure_support_centres()


def _ensure_support_centres() -> None:
    for centre in _centres_migration.CENTRES:
        SupportCentre.objects.update_or_create(country=centre["country"], defaults=centre)
    _facts_migration.seed(apps, None)


def _reseed_after_migrate_or_flush(sender: AppConfig, using: str = "default", **_: object) -> None:
    """The launch centres, committed, whenever the test database was migrated or flushed: a
    transactional test's flush ends with post_migrate. Once per flush, not once per test: re-creating
    them (about 90 queries) in every test cost a tenth of the suite's time."""
    if sender.label == "core" and using == "default":
        ensure_support_centres()


post_migrate.connect(_reseed_after_migrate_or_flush, dispatch_uid="tests.reseed_support_centres")


@pytest.fixture(autouse=True)
def support_centres(request: pytest.FixtureRequest) -> None:
    """Each database test starts with the launch centres. They are there already (committed after the
    migrations and after each flush, above); a flush that skipped post_migrate is caught here."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    if not SupportCentre.objects.exists():
        ensure_support_centres()


@pytest.fixture
def org_a(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(country="BE", name="Org A SA", language="fr")


@pytest.fixture
def org_b(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(country="RO", name="Org B SRL", language="ro")


@pytest.fixture
def customer_a(org_a):  # type: ignore[no-untyped-def]
    user = make_member(org_a, role="admin", email="a@example.com", language="fr")
    grant_all(user, org_a)
    return user


@pytest.fixture
def customer_b(org_b):  # type: ignore[no-untyped-def]
    user = make_member(org_b, role="admin", email="b@example.com", language="ro")
    grant_all(user, org_b)
    return user


@pytest.fixture
def customer_no_grant(org_a):  # type: ignore[no-untyped-def]
    return make_member(org_a, role="member", email="nogrant@example.com")


@pytest.fixture
def agent_be(db):  # type: ignore[no-untyped-def]
    return make_agent("BE", email="agent.be@example.com")


@pytest.fixture
def agent_ro(db):  # type: ignore[no-untyped-def]
    return make_agent("RO", email="agent.ro@example.com")


@pytest.fixture
def administrator(db):  # type: ignore[no-untyped-def]
    return make_agent("", email="admin@example.com", kind="admin")


@pytest.fixture
def user_factory():  # type: ignore[no-untyped-def]
    return UserFactory


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's mail goes through it."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        sink.stop()


# The longest single tests (minutes each on PostgreSQL), started first: xdist hands the tests out in
# collection order, so one of these near the end kept one worker busy while the other waited. Neither
# touches what other tests read. (tests/core/test_numbering_migration.py is not moved: run first on a
# fresh worker, it left the help articles missing for the tests after it, on SQLite.)
_LONGEST_FIRST = (
    "tests/api/test_schemathesis.py",
    "tests/reliability/test_database_restart.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser journeys and the API fuzzing run once, in CI's PostgreSQL run (docs/testing.md); the
    longest tests first (the rest keep their order, so a module's tests stay together)."""
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("schemathesis"):
            item.add_marker(pytest.mark.once)
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in _LONGEST_FIRST)


def pytest_unconfigure(config: pytest.Config) -> None:
    """SQLite tests run on a file (settings, so a worker subprocess can open it): remove it and its WAL."""
    from pathlib import Path

    from django.conf import settings

    if not settings.configured:
        return
    database = settings.DATABASES.get("default", {})
    name = (database.get("TEST") or {}).get("NAME")
    if database.get("ENGINE") != "django.db.backends.sqlite3" or not name or config.getoption("reuse_db", False):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
