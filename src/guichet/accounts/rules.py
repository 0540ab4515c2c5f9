"""Who may open which application for whom (domain.md: two-step access). Pure policy."""

from __future__ import annotations

from dataclasses import dataclass

# Contracts online is opened only by the vendor's agents, never by a customer admin.
AGENT_ONLY_APPLICATIONS = frozenset({"contracts"})

# Applications offered only in some countries. Buy Tech is "currently available only to Belgian
# organisations" (the vendor's Buy Tech FAQ): elsewhere it is not in any menu, list or form, and
# its pages answer 404 like a page that does not exist.
APPLICATION_COUNTRIES = {"buytech": frozenset({"BE"})}


def application_offered(application: str, country: str) -> bool:
    countries = APPLICATION_COUNTRIES.get(application)
    return countries is None or country in countries


# Version of the consent wording shown at registration; bump it when the text changes.
CONSENT_WORDING_VERSION = "2026-11"


@dataclass(frozen=True)
class Actor:
    kind: str  # "customer" | "agent" | "admin"
    country: str = ""  # agents: the country they serve
    role_in_org: str = ""  # customers: "admin" | "member" | "" (not a member)


def serves(actor: Actor, org_country: str) -> bool:
    """The vendor staff's jurisdiction: administrators serve every organisation, agents their own country's."""
    return actor.kind == "admin" or (actor.kind == "agent" and bool(actor.country) and actor.country == org_country)


def can_grant(actor: Actor, *, org_country: str, application: str) -> bool:
    """May `actor` grant (or refuse, or revoke) `application` in an organisation of `org_country`?"""
    if actor.kind in ("admin", "agent"):
        return serves(actor, org_country)
    if actor.kind == "customer":
        return actor.role_in_org == "admin" and application not in AGENT_ONLY_APPLICATIONS
    return False
