"""HTML templates to PDF (WeasyPrint), in the reader's language.

Every document the portal hands out (contract copies, notices, invoices,
statements, labels) is a Django template extending `documents/base.html`,
rendered here with the language switched for the whole render, so dates,
numbers and every translated string match the reader: the person who downloads
it reads it in their own language (`reader_language`); a notice addressed to the
vendor stays in the organisation's language, as it was filed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def reader_language(requested: str, reader: Any, organisation_language: str) -> str:
    """The language of a document someone downloads: the one they ask for (`?lang=`, e.g. the
    organisation's), else their own preferred language, else the organisation's."""
    known = {code for code, _name in settings.LANGUAGES}
    for language in (requested, getattr(reader, "language", ""), organisation_language):
        if language in known:
            return language
    return settings.LANGUAGE_CODE


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
