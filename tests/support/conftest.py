"""Shared helpers for the requests pages: files kept in a temporary media root, requests made quickly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from guichet.support.models import Request

# A real (tiny) PDF: the header, one object, a trailer; what the content sniffer looks at.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded files go to a throw-away folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_request() -> Callable[..., Request]:
    def make(organisation: Organisation, user: User, **overrides: Any) -> Request:
        data: dict[str, Any] = {
            "type": "invoices",
            "subject": "Copie de facture",
            "description": "Merci de renvoyer la facture de mars.",
            "details": {"invoice_number": "INV-2026-1"},
            "contact": {"name": user.get_full_name(), "email": user.email},
        }
        data.update(overrides)
        with tenant_scope(organisation):
            return services.request_submit(actor=user, organisation=organisation, **data)

    return make
