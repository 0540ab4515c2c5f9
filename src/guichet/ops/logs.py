"""Structured logs: one JSON object a line, on stderr, for the portal's own lines and every library's.

Every line carries the request id (core/request_id.py) of the request or task it belongs to.
Personal data stays out: e-mail addresses are masked in whatever a line says (an SMTP error
quoting a recipient, say), and the request line names the view, not the path (which can hold a
password-reset key), and gives the client's address only when LOG_CLIENT_IP is set.
Imported by settings, before Django is set up: nothing here touches models.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

import structlog

from guichet.core import request_id

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MASK = "<email>"


def add_request_id(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    current = request_id.current()
    if current:
        event.setdefault("request_id", current)
    return event


def mask_emails(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in event.items():
        if isinstance(value, str) and "@" in value:
            event[key] = _EMAIL.sub(EMAIL_MASK, value)
    return event


_SHARED: list[Any] = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
    add_request_id,
]


def _renderer(fmt: str) -> Any:
    if fmt == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer(sort_keys=False)


def logging_config(*, level: str, request_level: str, fmt: str) -> dict[str, Any]:
    """Django's LOGGING, and structlog set to hand its lines to the same handler."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _SHARED,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    mask_emails,
                    _renderer(fmt),
                ],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # The request lines have their own level, so they are written while the rest stays at WARNING.
        "loggers": {"guichet.request": {"level": request_level}},
    }
