"""Article Markdown → safe HTML, with per-country facts filled in at display time."""

from __future__ import annotations

import re

import markdown
import nh3
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.core.countries import get_centre, links_for, phone
from guichet.core.models import Country, LinkKind, SupportCentre
from guichet.core.templatetags.locale_ui import hour

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ARTICLE_LINK = re.compile(r"\]\(article:([a-z0-9-]+)\)")
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br", "code", "blockquote", "mark"}


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _link(text: str, href: str) -> str:
    return f"[{text}]({href})"


def _phone_link(number: str, country: str) -> str:
    formatted = phone(number, country)
    return _link(formatted.display, formatted.tel_href) if formatted else ""


def _mail_link(address: str) -> str:
    return _link(address, f"mailto:{address}") if address else ""


def opening_hours(centre: SupportCentre, language: str) -> str:
    """ "Monday to Friday, 08:30-17:00 (local time)", or "" where the vendor publishes no hours."""
    if not centre.hours_published:
        return ""
    with translation.override(language):
        return _("Monday to Friday, %(opens)s–%(closes)s (local time)") % {  # noqa: RUF001
            "opens": hour(centre.opens_at),
            "closes": hour(centre.closes_at),
        }


def placeholder_values(country: str, language: str) -> dict[str, str]:
    """The Markdown each placeholder becomes for a reader of `country` reading in `language`.

    An empty value means the support centre has no such fact: `fill_placeholders` then
    drops every line that names it, rather than showing a gap or an invented value.
    """
    centre = get_centre(country)
    hours = opening_hours(centre, language)
    main = _phone_link(centre.phone, country)
    with translation.override(language):
        country_name = str(Country(country).label)
    values = {
        "country": country_name,
        "phone": main,
        # The hours already end in "(local time)": a comma, not brackets around brackets.
        "phone_hours": f"{main}, {hours}" if hours else main,
        "technical_phone": _phone_link(centre.technical_phone, country),
        "repair_phone": _phone_link(centre.repair_phone, country),
        "national_phone": _phone_link(centre.national_phone, country),
        "fax": phone(centre.fax, country).display if centre.fax else "",  # type: ignore[union-attr]
        "hours": hours,
        "notice_address": ", ".join(centre.notice_lines),
        "support_email": _mail_link(centre.support_email),
        "servicepac_email": _mail_link(centre.servicepac_email),
        "licence_email": _mail_link(centre.licence_email),
        "buytech_email": _mail_link(centre.buytech_email),
        "contact_url": _url("help:contact", language),
        "new_request_url": _url("support:request_new", language),
        "question_url": _url("support:request_new", language) + "?type=general",
        # Sign-in first for a visitor: what covers a machine is the organisation's data.
        "coverage_lookup_url": _url("inventory:lookup", language),
        "relocation_notice_days": str(settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS),
        "relocation_evaluation_days": str(settings.RELOCATION_EVALUATE_BUSINESS_DAYS),
    }
    for kind in LinkKind.values:
        values[kind] = ""
    for pointer in links_for(country, language):
        values[pointer.kind] = _link(pointer.label, pointer.url) if pointer.url else pointer.label
    return values


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Fill each placeholder; a line naming a fact the centre does not have is left out whole.

    An unknown placeholder stays visible rather than silently vanishing.
    """
    kept = []
    for line in text.splitlines():
        names = PLACEHOLDER.findall(line)
        if any(name in values and not values[name] for name in names):
            continue
        kept.append(PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line))
    return "\n".join(kept)


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
