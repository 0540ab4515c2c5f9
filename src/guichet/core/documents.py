"""HTML templates to PDF (WeasyPrint), in the reader's language.

Every document the portal hands out (contract copies, notices, invoices,
statements, labels) is a Django template extending `documents/base.html`,
rendered here with the language switched for the whole render, so dates,
numbers and every translated string match the organisation, not the visitor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def render_html(template_name: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "document_language": language})


def render_pdf(template_name: str, context: dict[str, Any], *, language: str) -> bytes:
    """The PDF bytes of `template_name` rendered in `language`; identical input gives the same text."""
    html = render_html(template_name, context, language=language)
    # base_url lets templates reference the project's static files by relative path.
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert pdf is not None
    return pdf
