"""Tenant isolation: every tenant query names its organisation, or fails loudly.

Tenant models use `TenantManager`, a django-scopes manager keyed on
`organisation`. Outside `scope(organisation=...)` their querysets raise
`ScopeError`, so a view or task that forgot the organisation cannot leak
another customer's rows. Agent-side code that legitimately looks across
organisations does so inside `across_organisations()`, which reads as the
exception it is.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = ["TenantManager", "across_organisations", "scope", "tenant_scope"]


def TenantManager() -> Any:
    return ScopedManager(organisation="organisation")


def tenant_scope(organisation: object) -> AbstractContextManager[None]:
    return scope(organisation=organisation)


across_organisations = scopes_disabled
