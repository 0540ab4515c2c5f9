"""A signed-in customer's memberships and grants, read once and kept in the cache until one changes.

Every customer page needs them (the active organisation, its switcher, the menu, the tenant scope):
two queries per page otherwise. The entry is kept under the version of the accounts application's
data (core/data_versions.py), which every write to one of its tables replaces, whoever makes it (a
save, a queryset's update or delete, a bulk write, raw SQL), at once and again when the transaction
commits: a page never reads a revoked grant or a membership that is gone. The entry also expires
after ACCESS_CACHE_SECONDS, so entries of people who stopped signing in do not pile up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache

from guichet.core import data_versions
from guichet.core.tenancy import across_organisations

from . import rules

if TYPE_CHECKING:
    from .models import Membership, Organisation, User

ACCESS_CACHE_SECONDS = 600
PREFETCHED = "_kept_access"  # the attribute session_user.kept_user leaves on a user it read
READS = ("accounts",)  # memberships, grants and organisations are all accounts' tables

data_versions.watch(lambda: READS)


def access_key(version: str, user_id: object) -> str:
    return f"guichet:access:{version}:{user_id}"


def access_of(user: User) -> tuple[list[Membership], dict[int, frozenset[str]]]:
    """The user's memberships (organisation joined, by its name) and their grants per organisation id."""
    from . import selectors
    from .models import ApplicationGrant

    # Read with the user's row, under the same version, at the start of this request
    # (session_user.kept_user): taken once, so a later call after a write reads the version again.
    entry = getattr(user, PREFETCHED, None)
    if entry is not None:
        delattr(user, PREFETCHED)
        return entry
    version = data_versions.current(READS)["accounts"]
    key = access_key(version, user.pk)
    entry = cache.get(key)
    if entry is None:
        memberships = list(selectors.memberships_of(user))
        grants: dict[int, set[str]] = {}
        with across_organisations():  # the user's own grants, in each of their organisations
            for organisation_id, application in ApplicationGrant.objects.filter(user=user).values_list(
                "organisation_id", "application"
            ):
                grants.setdefault(organisation_id, set()).add(application)
        entry = (memberships, {org: frozenset(apps) for org, apps in grants.items()})
        cache.set(key, entry, ACCESS_CACHE_SECONDS)
    return entry


def offered(grants: dict[int, frozenset[str]], organisation: Organisation) -> set[str]:
    """The granted applications `organisation`'s country offers: a grant for one it does not offer
    (Buy Tech outside Belgium) opens nothing."""
    return {app for app in grants.get(organisation.pk, ()) if rules.application_offered(app, organisation.country)}
