"""Buy Tech API."""

from __future__ import annotations

from ninja import Router

from guichet.core.api import AUTH

router = Router(tags=["buytech"], auth=AUTH)
