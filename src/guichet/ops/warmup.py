"""What a web process loads before its first request (gunicorn's `post_worker_init`, ops/gunicorn.py).

Django and the libraries load lazily: the URLconf with every view module and API schema on the first
request (3.2 s of CPU on the bench machine), each template the first time a page renders it, each
language's catalogue and babel's locale data, the holidays of each country the first time a
deadline is computed, Celery's publishing side with the first task sent (the first request created
through the API: 175 ms of CPU more than the next). Left to traffic, each first use lands in some
visitor's request, once per worker; loaded here, none does, and what they create is frozen with the
rest of the process (`gc.freeze()`).

Then the worker's connections, which its first requests opened before: the database's (kept for
CONN_MAX_AGE, as a request's would be), the cache's pool and the broker's producer, and each model's
field maps, which the first query through a model builds. A worker runs this after the fork, so
nothing is shared with another process. Each connection is tried once with its short timeout and
its failure only logged: a worker still starts while the database, cache or broker is away, and its
first request connects, as before.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import phonenumbers
from celery import current_app  # the portal's (config/celery.py), as ops/probes.py uses it
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

import guichet
from guichet.core.calendar import PROVINCE_ZONES, is_public_holiday
from guichet.core.countries import phone
from guichet.core.models import Country
from guichet.core.money import CURRENCY_OF_COUNTRY, format_money, locale_for
from guichet.core.rows import moment
from guichet.ops.probes import BROKER_TIMEOUT_SECONDS

log = logging.getLogger(__name__)

# Run by hand or by the worker's other entry points, never by a web request.
_NOT_SERVED = frozenset({"migrations", "management", "__main__"})


def import_modules() -> int:
    """Import every module of the portal a web process may use; return how many."""
    count = 0
    for module in pkgutil.walk_packages(guichet.__path__, "guichet."):
        if _NOT_SERVED.isdisjoint(module.name.split(".")):
            importlib.import_module(module.name)
            count += 1
    return count


def _template_names(directory: Path) -> Iterator[str]:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path.relative_to(directory).as_posix()


def compile_templates() -> int:
    """Compile each of the portal's own templates (not the libraries': allauth ships templates for
    parts it does not run here) into its engine's cache; return how many."""
    compiled = 0
    ours = Path(settings.PACKAGE_DIR)
    for engine in engines.all():
        for directory in engine.template_dirs:
            if not Path(directory).is_relative_to(ours):
                continue
            for name in _template_names(Path(directory)):
                try:
                    engine.get_template(name)
                except UnicodeDecodeError:
                    continue  # not a template (an image beside them)
                compiled += 1
    return compiled


def _namespaces(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLResolver]]:
    for namespace, (_prefix, included) in resolver.namespace_dict.items():
        yield f"{prefix}{namespace}", included
        yield from _namespaces(included, f"{prefix}{namespace}:")


def _languages() -> int:
    """The URLs, catalogue, money and date formats of each language, in each country's variant."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (populated per language: the prefixes differ)
            # Each namespace's names are reversed through a resolver of their own per language and
            # namespace, built and filled at its first reverse (34 ms of a worker's first page).
            for namespace, included in _namespaces(resolver):
                name = next((key for key in included.reverse_dict if isinstance(key, str)), None)
                if name is not None:
                    with suppress(NoReverseMatch):  # its arguments are not given: the table is built
                        reverse(f"{namespace}:{name}")
            for country, currency in CURRENCY_OF_COUNTRY.items():
                format_money(Decimal("1147.00"), currency, locale_for(code, country))
            moment(date(2026, 12, 6), "long")
            moment(timezone.make_aware(datetime(2026, 12, 6, 9, 30)), "short")
    return len(settings.LANGUAGES)


def _calendars() -> int:
    """Each country's (and Canadian province's) public holidays of this year."""
    today = timezone.now().date()
    places = [(country, None) for country in Country.values] + [("CA", province) for province in PROVINCE_ZONES]
    for country, subdivision in places:
        is_public_holiday(country, subdivision, today)
    return len(places)


def _phones() -> int:
    """Each country's telephone metadata and patterns (the footer shows the support centre's
    numbers): phonenumbers' own example number of the country, formatted as a centre's would be."""
    for country in Country.values:
        example = phonenumbers.example_number(country)
        if example is not None:
            phone(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164), country)
    return len(Country.values)


def _publishing() -> bool:
    """Celery's publishing side and the broker's transport, without connecting; False without a broker."""
    if current_app.conf.task_always_eager:
        return False
    # Its producer machinery, the tasks bound to the app, the result backend and the events the
    # first task sent would import.
    current_app.amqp  # noqa: B018
    current_app.tasks  # noqa: B018
    current_app.backend  # noqa: B018
    current_app.events.Dispatcher  # noqa: B018
    with current_app.connection_for_write() as connection:
        connection.transport  # noqa: B018 (the transport's module; a connection opens on first use only)
    return True


def _models() -> int:
    """Each model's field maps (forward and reverse: every model's relations are walked once for
    the first), which the ORM builds the first time a query names a field."""
    models = apps.get_models(include_auto_created=True)
    for model in models:
        model._meta.fields_map  # noqa: B018
        model._meta.get_fields()
        model._meta.concrete_fields  # noqa: B018
    return len(models)


def _database() -> bool:
    """The worker's database connection, as its first request would open it (server version, type
    handlers, time zone), kept for CONN_MAX_AGE; and in its server process, the catalogue entries
    of every table and index, which a new connection's first queries would load as they plan."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}
    )
    quoted = (connection.ops.quote_name(table) for table in tables)  # the models' own names
    every_table = " UNION ALL ".join(f"SELECT 1 FROM {table}" for table in quoted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{connection.ops.explain_query_prefix()} {every_table}")  # planned, not run
    return True


def _cache() -> bool:
    """A connection in the cache's pool: a miss when Redis is away (core/shared_cache.py)."""
    cache.get("guichet:warm-up")
    return True


def _broker() -> bool:
    """A producer connected to the broker, left in Celery's pool for the first task sent."""
    if current_app.conf.task_always_eager:
        return False
    with current_app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        producer.connection.default_channel  # noqa: B018
    return True


def _connect(name: str, step: Callable[[], bool]) -> int:
    try:
        return int(step())
    except Exception:  # away: the first request connects, as without a warm-up
        log.warning("warm-up: no %s connection", name, exc_info=True)
        return 0


_CONNECTIONS = (("database", _database), ("cache", _cache), ("broker", _broker))


def warm_up() -> dict[str, int]:
    """Load what the first requests would, open the worker's connections; return what was done."""
    return {
        "modules": import_modules(),
        "languages": _languages(),
        "calendars": _calendars(),
        "phones": _phones(),
        "publishing": int(_publishing()),
        "templates": compile_templates(),
        "models": _models(),
        **{name: _connect(name, step) for name, step in _CONNECTIONS},
    }
