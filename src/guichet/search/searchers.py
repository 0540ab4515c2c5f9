"""Who a search is for, from the request: the kernel's Searcher, built once for pages and API."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

from guichet.accounts import jurisdiction, rules
from guichet.accounts.models import Organisation, User
from guichet.core.search import Searcher


def for_customer(organisation: Organisation, granted: Iterable[str]) -> Searcher:
    """The organisation, with the applications this person holds there and its country offers."""
    offered = frozenset(a for a in granted if rules.application_offered(a, organisation.country))
    return Searcher(language=get_language() or "en", organisation=organisation, applications=offered)


def for_staff(staff: User) -> Searcher:
    return Searcher(language=get_language() or "en", staff=staff, jurisdiction=jurisdiction.scope(staff))
