"""Which organisations a member of the vendor's staff serves: one rule for every console.

Administrators serve every organisation; an agent serves the organisations of their own
country; nobody else serves any (a customer account that reaches a console query gets nothing).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import PermissionDenied

from . import rules
from .errors import Code
from .models import Organisation, User


def serves_country(staff: User, country: str) -> bool:
    kind = "admin" if staff.is_administrator else "agent" if staff.is_agent else "customer"
    return rules.serves(rules.Actor(kind=kind, country=staff.country), country)


def may_serve(staff: User, organisation: Organisation) -> bool:
    return serves_country(staff, organisation.country)


def served_by(staff: User, organisation_field: str = "organisation") -> Q:
    """Rows whose `organisation_field` (a path to an Organisation, "" for organisations themselves)
    is an organisation `staff` serves."""
    if staff.is_administrator:
        return Q()
    if staff.is_agent and staff.country:
        return Q(**{f"{organisation_field}__country" if organisation_field else "country": staff.country})
    return Q(pk__in=[])


def scope(staff: User) -> str:
    """A name for the organisations `staff` serves, the same for everyone who serves the same ones
    (what the console home's kept figures are shared by: core/home.py)."""
    if staff.is_administrator:
        return "all"
    if staff.is_agent and staff.country:
        return f"country:{staff.country}"
    return "none"


def ensure_serves(staff: User, organisation: Organisation) -> None:
    """For actions: another country's customer is refused in words the agent understands."""
    if not may_serve(staff, organisation):
        raise PermissionDenied(_("This customer belongs to another country's team."), code=Code.OTHER_COUNTRY)
