"""Article Markdown → safe HTML, with per-country facts filled in at display time."""

from __future__ import annotations

import re

import markdown
import nh3
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.core.countries import get_centre, phone
from guichet.core.models import Country

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ARTICLE_LINK = re.compile(r"\]\(article:([a-z0-9-]+)\)")
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br", "code", "blockquote", "mark"}


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _link(text: str, href: str) -> str:
    return f"[{text}]({href})"


def placeholder_values(country: str, language: str) -> dict[str, str]:
    """The Markdown each placeholder becomes for a reader of `country` reading in `language`."""
    centre = get_centre(country)
    main = phone(centre.phone, country)
    technical = phone(centre.technical_phone, country) or main
    assert main is not None and technical is not None
    with translation.override(language):
        hours = _("Monday to Friday, %(opens)s–%(closes)s (local time)") % {  # noqa: RUF001
            "opens": centre.opens_at.strftime("%H:%M"),
            "closes": centre.closes_at.strftime("%H:%M"),
        }
        country_name = str(Country(country).label)
    support = centre.support_email
    return {
        "country": country_name,
        "phone": _link(main.display, main.tel_href),
        "technical_phone": _link(technical.display, technical.tel_href),
        "hours": hours,
        "notice_address": ", ".join(line.strip() for line in centre.notice_address.splitlines() if line.strip()),
        "support_email": _link(support, f"mailto:{support}"),
        "servicepac_email": _link(centre.servicepac_email or support, f"mailto:{centre.servicepac_email or support}"),
        "licence_email": _link(centre.licence_email or support, f"mailto:{centre.licence_email or support}"),
        "contact_url": _url("help:contact", language),
        "new_request_url": _url("support:request_new", language),
        # Sign-in first for a visitor: what covers a machine is the organisation's data.
        "coverage_lookup_url": _url("inventory:lookup", language),
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    # An unknown placeholder stays visible rather than silently vanishing.
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_body(body: str, *, country: str, language: str) -> str:
    text = fill_placeholders(body, placeholder_values(country, language))
    text = ARTICLE_LINK.sub(lambda m: "](" + _url("help:article", language, slug=m.group(1)) + ")", text)
    html = markdown.markdown(text, extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    )


def plain_text(body: str, *, country: str | None = None, language: str = "en") -> str:
    """Body without Markdown syntax, for indexing and snippets."""
    if country:
        body = fill_placeholders(body, placeholder_values(country, language))
    body = PLACEHOLDER.sub(" ", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"[*_`#>]+", " ", body)
    return re.sub(r"\s+", " ", body).strip()
