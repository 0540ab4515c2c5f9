"""Orders' figures for the home (core/home.py): orders on their way (placed, not yet all delivered)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from guichet.core.home import AttentionItem, Figure, Viewer

from . import rules
from .models import Order

APPLICATION = "orders"


class OrdersHome:
    """Orders on their way."""

    reads = ("orders",)

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        return []  # an order asks nothing of the customer once placed

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        if APPLICATION not in viewer.applications:
            return {}
        count = Order.objects.filter(organisation=viewer.organisation, status__in=rules.OPEN_ORDER_STATUSES).count()
        return {
            APPLICATION: [
                Figure(
                    label=ngettext("order on its way", "orders on their way", count),
                    value=str(count),
                    url=reverse("orders:list") + "?status=open",
                )
            ]
        }
