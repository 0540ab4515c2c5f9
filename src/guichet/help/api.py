"""Help-centre API: search, articles, contact facts, suggestions for request forms."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from guichet.core.api import ErrorOut
from guichet.core.calendar import calendar_for
from guichet.core.countries import centre_emails, centre_phones, get_centre, links_for
from guichet.core.models import Country

from . import selectors, services

router = Router(tags=["help"])


class HelpLanguage(StrEnum):
    """The languages help articles are written in; another value is a 422 naming the allowed ones."""

    EN = "en"
    FR = "fr"
    RO = "ro"
    NL = "nl"


ERRORS: dict[int, type[Schema]] = {422: ErrorOut}


class ResultOut(Schema):
    slug: str
    title: str
    score: float
    url: str


@router.get("help/search", response={200: list[ResultOut], **ERRORS}, auth=None)
def search(
    request: HttpRequest,
    q: str,
    lang: HelpLanguage = HelpLanguage.EN,
    country: Country = Country.BE,
) -> list[dict[str, object]]:
    """Articles answering `q`, best first (the same ranking as `guichet help_search`)."""
    results = selectors.search_articles(q[:200], language=lang, country=country)
    return [r.as_json() for r in results]


@router.get("help/suggestions", response={200: list[ResultOut], **ERRORS}, auth=None)
def suggestions(
    request: HttpRequest,
    q: str,
    lang: HelpLanguage = HelpLanguage.EN,
    country: Country = Country.BE,
) -> list[dict[str, object]]:
    """The 3 best articles for what a customer has typed so far in a request form."""
    return [r.as_json() for r in selectors.search_articles(q[:500], language=lang, country=country, limit=3)]


class OpenedIn(Schema):
    q: str = ""


@router.post("help/suggestions/{slug}/opened", response={204: None, 404: ErrorOut, **ERRORS}, auth=None)
def suggestion_opened(request: HttpRequest, slug: str, payload: OpenedIn) -> tuple[int, None]:
    """Record that a suggestion was opened (a deflection unless a request follows)."""
    services.suggestion_opened(request=request, article=selectors.get_published_article(slug), query=payload.q)
    return 204, None


class ArticleOut(Schema):
    slug: str
    category: str
    title: str
    language: str
    fallback: bool
    html: str
    updated_at: datetime


@router.get("help/articles/{slug}", response={200: ArticleOut, 404: ErrorOut, **ERRORS}, auth=None)
def article(
    request: HttpRequest, slug: str, lang: HelpLanguage = HelpLanguage.EN, country: Country = Country.BE
) -> dict[str, object]:
    view = selectors.get_article_for(slug, language=lang, country=country)
    return {
        "slug": view.article.slug,
        "category": view.article.category,
        "title": view.translation.title,
        "language": view.translation.language,
        "fallback": view.is_fallback,
        "html": view.html,
        "updated_at": view.article.updated_at,
    }


class PhoneOut(Schema):
    kind: str
    display: str
    e164: str


class EmailOut(Schema):
    kind: str
    address: str


class LinkOut(Schema):
    kind: str
    label: str
    url: str


class CentreContactOut(Schema):
    country: str
    phones: list[PhoneOut]
    emails: list[EmailOut]
    links: list[LinkOut]
    timezone: str
    opens_at: str | None
    closes_at: str | None
    open_now: bool | None
    closes_at_today: datetime | None
    next_opening: datetime | None
    notice_address: str
    email: str


@router.get("help/contact", response={200: CentreContactOut, **ERRORS}, auth=None)
def contact(request: HttpRequest, country: Country, lang: HelpLanguage = HelpLanguage.EN) -> dict[str, object]:
    """The support centre's facts. A fact the vendor does not publish is absent (empty list, null, "")."""
    centre = get_centre(country)
    hours: dict[str, object] = {
        "opens_at": None,
        "closes_at": None,
        "open_now": None,
        "closes_at_today": None,
        "next_opening": None,
    }
    if centre.hours_published:
        calendar = calendar_for(country)
        now = timezone.now()
        is_open = calendar.is_open(now)
        hours = {
            "opens_at": centre.opens_at.strftime("%H:%M"),
            "closes_at": centre.closes_at.strftime("%H:%M"),
            "open_now": is_open,
            "closes_at_today": calendar.closing_time(now),
            "next_opening": None if is_open else calendar.next_opening(now),
        }
    return {
        "country": country,
        "phones": [
            {"kind": kind, "display": number.display, "e164": number.e164} for kind, number in centre_phones(centre)
        ],
        "emails": [{"kind": kind, "address": address} for kind, address in centre_emails(centre)],
        "links": [{"kind": link.kind, "label": link.label, "url": link.url} for link in links_for(country, lang)],
        "timezone": centre.timezone,
        **hours,
        "notice_address": centre.notice_address,
        "email": centre.support_email,
    }
