"""What a web process loads before its first request (gunicorn's `post_worker_init`, ops/gunicorn.py).

Django and the libraries load lazily: the URLconf with every view module and API schema on the first
request (3.2 s of CPU on the bench machine), each template the first time a page renders it, each
language's catalogue and babel's locale data, the holidays of each country the first time a
deadline is computed, Celery's publishing side with the first task sent (the first request created
through the API: 175 ms of CPU more than the next). Left to traffic, each first use lands in some
visitor's request, once per worker; loaded here, none does, and what they create is frozen with the
rest of the process (`gc.freeze()`). Nothing here opens a connection (database, cache or broker):
a worker starts while they are away, as before.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from celery import current_app  # the portal's (config/celery.py), as ops/probes.py uses it
from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import timezone, translation

import guichet
from guichet.core.calendar import PROVINCE_ZONES, is_public_holiday
from guichet.core.models import Country
from guichet.core.money import CURRENCY_OF_COUNTRY, format_money, locale_for
from guichet.core.rows import moment

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


def _languages() -> int:
    """The URLs, catalogue, money and date formats of each language, in each country's variant."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (populated per language: the prefixes differ)
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


def warm_up() -> dict[str, int]:
    """Load what the first requests would; return what was loaded."""
    return {
        "modules": import_modules(),
        "languages": _languages(),
        "calendars": _calendars(),
        "publishing": int(_publishing()),
        "templates": compile_templates(),
    }
