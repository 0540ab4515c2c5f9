"""The request as our middleware leaves it, for type checking views."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Membership, Organisation, User


class PortalRequest(HttpRequest):
    """A request of a signed-in person (the access guards ran before the view)."""

    user: User
    organisation: Organisation | None
    membership: Membership | None
    memberships: list[Membership]
    granted_applications: set[str]


class CustomerRequest(PortalRequest):
    """A customer with an active organisation (`customer_required` ran)."""

    organisation: Organisation
    membership: Membership
