"""Where each application lives: its own pages once its context is installed, else its entry page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

# Each context that serves an application registers its landing URL name here.
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
    name = ENTRY_POINTS.get(application)
    if name:
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    return reverse("portal:application", kwargs={"application": application})
