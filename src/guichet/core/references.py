"""Suggestions for reference fields: the organisation's own contract, invoice and order numbers,
machine types and serials, offered under a free-text field with a <datalist>.

A form low in the layers (support's request form) asks for numbers that contexts beside or above
it own (orders, inventory, contracts, billing): it may not import them. So the kernel keeps this
small port; each owning context registers, per field name, a function from an organisation to its
values in its `AppConfig.ready()`, and the form asks here. A field nobody registered gets none.

The values are suggestions only: the field stays free text and is validated as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.accounts.models import Organisation

# A datalist longer than this helps nobody: typing narrows it anyway.
MAX_SUGGESTIONS = 500

Source = Callable[["Organisation"], Iterable[str]]

_sources: dict[str, Source] = {}


def register(field: str, source: Source) -> None:
    """`source(organisation)` gives that organisation's own values of `field`, and nobody else's."""
    _sources[field] = source


def suggestions(organisation: Organisation, field: str) -> list[str]:
    source = _sources.get(field)
    if source is None:
        return []
    values: list[str] = []
    seen: set[str] = set()  # not `value in values`: 500 values made that 125,000 comparisons
    for value in source(organisation):
        if value and value not in seen:
            seen.add(value)
            values.append(value)
        if len(values) >= MAX_SUGGESTIONS:
            break
    return values
