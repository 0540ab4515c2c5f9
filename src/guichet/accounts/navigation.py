"""Where each application lives: the landing page of the context that serves it."""

from __future__ import annotations

from django.urls import reverse

# Each context that serves an application registers its landing URL name here; every
# application has one (tests/accounts/test_access.py checks it).
ENTRY_POINTS = {
    "requests": "support:list",
    "contracts": "contracts:list",
    "orders": "orders:list",
    "invoices": "billing:invoices",
    "statements": "billing:statement",
    "inventory": "inventory:list",
    "buytech": "buytech:home",
}


def application_url(application: str) -> str:
    return reverse(ENTRY_POINTS[application])
