"""The customer home's content: who is looking (a core.home.Viewer), what waits for them, the figures.

The page (views/portal.py) and `GET /api/v1/attention` (api.py) read it here, so both list the
same items.
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet.core import home
from guichet.core.calendar import today_for
from guichet.core.rows import moment

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
class AttentionRow:
    """One item as its Jinja2 row prints it (accounts/jinja2/accounts/home_attention_rows.html)."""

    kind: str
    label: str
    url: str
    number: str
    title: str
    due_iso: str
    due_text: str


@dataclass(frozen=True)
class HomeContent:
    attention: list[home.AttentionItem]
    figures: list[home.ApplicationFigures]

    @property
    def attention_rows(self) -> list[AttentionRow]:
        return [
            AttentionRow(
                kind=item.kind,
                label=item.label,
                url=item.url,
                number=item.number,
                title=item.title,
                due_iso=item.due.isoformat() if item.due else "",
                due_text=moment(item.due) if item.due else "",  # as the `when` filter prints it
            )
            for item in self.attention
        ]


def home_content(viewer: home.Viewer) -> HomeContent:
    applications = [(app, str(label), application_url(app)) for app, label in Application.choices]
    return HomeContent(attention=home.attention_for(viewer), figures=home.figures_for(viewer, applications))
