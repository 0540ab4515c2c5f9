"""The customer home's content: who is looking (a core.home.Viewer), what waits for them, the figures.

The page (views/portal.py) and `GET /api/v1/attention` (api.py) read it here, so both list the
same items.
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet.core import home
from guichet.core.calendar import today_for

from .models import Application, Membership, User
from .navigation import application_url


def viewer_of(user: User, membership: Membership, granted: set[str]) -> home.Viewer:
    organisation = membership.organisation
    return home.Viewer(
        user=user,
        organisation=organisation,
        applications=frozenset(granted),
        is_admin=membership.is_admin,
        is_signatory=membership.is_signatory,
        today=today_for(organisation),
    )


@dataclass(frozen=True)
class HomeContent:
    attention: list[home.AttentionItem]
    figures: list[home.ApplicationFigures]


def home_content(viewer: home.Viewer) -> HomeContent:
    applications = [(app, str(label), application_url(app)) for app, label in Application.choices]
    return HomeContent(attention=home.attention_for(viewer), figures=home.figures_for(viewer, applications))
