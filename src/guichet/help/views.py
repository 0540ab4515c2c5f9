"""Help-centre pages: home, search (as you type), articles with feedback, contact, suggestions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guichet.core.context_processors import COUNTRY_COOKIE, COUNTRY_COOKIE_AGE, centre_status, reader_country
from guichet.core.countries import centre_emails, centre_phones, get_centre, links_for
from guichet.core.models import Country

from . import selectors, services
from .forms import FeedbackForm
from .rendering import opening_hours
from .text import fold

MAX_QUERY = 200


def _language() -> str:
    return translation.get_language() or "en"


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY]


def home(request: HttpRequest) -> HttpResponse:
    country = reader_country(request)
    return render(
        request,
        "help/home.html",
        {
            "categories": selectors.categories_for(country, _language()),
            "country": country,
            "countries": Country.choices,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    country = reader_country(request)
    results = selectors.search_articles(query, language=_language(), country=country) if query else []
    # Typing-as-you-go fragments are not logged; a submitted search is.
    if query and not request.htmx:  # type: ignore[attr-defined]
        services.search_logged(
            query=query,
            normalised=fold(query),
            language=_language(),
            country=country,
            results=len(results),
            source="page",
        )
    template = "help/partials/results.html" if request.htmx else "help/search.html"  # type: ignore[attr-defined]
    return render(request, template, {"q": query, "results": results})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    country = reader_country(request)
    view = selectors.get_article_for(slug, language=_language(), country=country)
    return render(
        request,
        "help/article.html",
        {
            "view": view,
            "related": selectors.related_to(view, country=country, language=_language()),
            "form": FeedbackForm(),
        },
    )


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.get_published_article(slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "help/partials/feedback.html", {"form": form, "slug": slug}, status=400)
    services.feedback_give(
        request=request,
        article=article,
        language=_language(),
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    return render(request, "help/partials/feedback.html", {"thanks": True, "slug": slug})


def contact(request: HttpRequest) -> HttpResponse:
    """Whom to call and when, for the reader's country (or the one they pick), and a question form."""
    chosen = request.GET.get("country", "")
    if chosen:
        if chosen not in Country.values:
            return render(request, "400.html", status=400)
        request.session["country"] = chosen
    country = chosen or reader_country(request)
    centre = get_centre(country)
    organisation = getattr(request, "organisation", None)
    subdivision = organisation.province if organisation is not None and organisation.country == country else None
    response = render(
        request,
        "help/contact.html",
        {
            "contact_centre": centre,
            "phones": centre_phones(centre),
            "emails": centre_emails(centre),
            "hours": opening_hours(centre, _language()),
            "links": links_for(country, _language()),
            "status": centre_status(centre, subdivision or None) if centre.hours_published else None,
            "countries": Country.choices,
        },
    )
    if chosen:
        response.set_cookie(COUNTRY_COOKIE, chosen, max_age=COUNTRY_COOKIE_AGE, samesite="Lax")
    return response


def check_answers(request: HttpRequest) -> HttpResponse:
    """ "Have you checked these answers?": shown before a customer contacts support."""
    query = _query(request)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    results = (
        selectors.search_articles(query, language=_language(), country=reader_country(request), limit=5)
        if query
        else []
    )
    return render(request, "help/check_answers.html", {"q": query, "results": results, "next": next_url})


def suggest(request: HttpRequest) -> HttpResponse:
    """htmx fragment for a request form: the 3 best articles for what has been typed so far."""
    query = _query(request)
    results = (
        selectors.search_articles(query, language=_language(), country=reader_country(request), limit=3)
        if len(query) >= 3
        else []
    )
    return render(request, "help/partials/suggestions.html", {"q": query, "results": results})


def suggestion(request: HttpRequest, slug: str) -> HttpResponse:
    """A suggested article opened from a contact or request form: recorded, then shown."""
    article = selectors.get_published_article(slug)
    services.suggestion_opened(request=request, article=article, query=_query(request))
    return HttpResponseRedirect(selectors.article_url(slug, _language()))
