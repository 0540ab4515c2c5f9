"""A signed-in customer's memberships and grants, read once and kept in the cache until one changes.

Every customer page needs them (the active organisation, its switcher, the menu, the tenant scope):
two queries per page otherwise. The entry is keyed on a generation that every write to a
membership, a grant or an organisation replaces (signals for saves and deletes, the querysets'
own `update()` and bulk writes), at once and again when the transaction commits, so a page read
during the write cannot keep the old answer under the new key. The entry also expires after
ACCESS_CACHE_SECONDS, a bound for what no Python code sees (a raw SQL edit).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import models, transaction

from guichet.core.tenancy import across_organisations

if TYPE_CHECKING:
    from .models import Membership, User

GENERATION_KEY = "guichet:access-generation"
ACCESS_CACHE_SECONDS = 600


def forget_access() -> None:
    """A membership, a grant or an organisation changed: every cached entry is dropped.

    Called after the write; inside a transaction once more when it commits (on_commit runs at
    once in autocommit).
    """

    def replace() -> None:
        cache.set(GENERATION_KEY, time.time_ns(), None)

    replace()
    transaction.on_commit(replace)


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return int(value)


def access_of(user: User) -> tuple[list[Membership], dict[int, frozenset[str]]]:
    """The user's memberships (organisation joined, by its name) and their grants per organisation id."""
    from . import selectors
    from .models import ApplicationGrant

    key = f"guichet:access:{_generation()}:{user.pk}"
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


class ForgetsAccessQuerySet(models.QuerySet):
    """Writes that bypass the model's signals still drop the cached memberships."""

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        forget_access()  # after the write: in autocommit it is committed by now
        return count

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        created = super().bulk_create(*args, **kwargs)
        forget_access()
        return created

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        count = super().bulk_update(*args, **kwargs)
        forget_access()
        return count
