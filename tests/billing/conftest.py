"""Billing helpers: invoices made through the service, media in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation
from guichet.billing import rules, services
from guichet.billing.models import Invoice
from guichet.core.tenancy import tenant_scope


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


LINES = [
    rules.LineIn("Maintenance 8286-42A, mars 2026", Decimal("1"), Decimal("1000.00")),
    rules.LineIn("Toner", Decimal("3"), Decimal("78.19")),
]


@pytest.fixture
def make_invoice() -> Callable[..., Invoice]:
    def make(organisation: Organisation, **overrides: Any) -> Invoice:
        data: dict[str, Any] = {"lines": LINES, "issue_date": date(2026, 3, 12)}
        data.update(overrides)
        with tenant_scope(organisation):
            return services.invoice_issue(actor=None, organisation=organisation, **data)

    return make
