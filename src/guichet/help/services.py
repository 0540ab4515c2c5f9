"""Writes of the help centre: content loading, feedback, search logs, deflection marks."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.core import audit

from .content import bundled_topics
from .models import Article, ArticleTranslation, Feedback, SearchLog, SuggestionOpen


@transaction.atomic
def load_bundled_content(*, overwrite: bool = False) -> int:
    """Create the shipped articles; with `overwrite`, also reset texts edited since. Returns rows written."""
    written = 0
    for topic in bundled_topics():
        article, created = Article.objects.get_or_create(
            slug=topic.slug,
            defaults={"category": topic.category, "countries": topic.countries, "position": topic.position},
        )
        if created or overwrite:
            Article.objects.filter(pk=article.pk).update(
                category=topic.category, countries=topic.countries, position=topic.position
            )
        for language, text in topic.translations.items():
            fields = {"title": text.title, "body": text.body, "keywords": text.keywords, "questions": text.questions}
            if overwrite:
                _, was_written = ArticleTranslation.objects.update_or_create(
                    article=article, language=language, defaults=fields
                )
                written += 1
            else:
                _, was_written = ArticleTranslation.objects.get_or_create(
                    article=article, language=language, defaults=fields
                )
                written += was_written
        written += created
    return written


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@transaction.atomic
def feedback_give(
    *, request: HttpRequest, article: Article, language: str, helpful: bool, comment: str = ""
) -> Feedback:
    """Record (or change) this reader's answer for the article."""
    feedback, _created = Feedback.objects.update_or_create(
        article=article,
        session_key=_session_key(request),
        defaults={"helpful": helpful, "comment": comment.strip()[:1000], "language": language},
    )
    return feedback


def search_logged(*, query: str, normalised: str, language: str, country: str, results: int, source: str) -> None:
    if normalised:
        SearchLog.objects.create(
            query=query[:200],
            normalised=normalised[:200],
            language=language,
            country=country,
            results=results,
            source=source,
        )


# In the session of a reader who opened a suggestion: only their new requests look for its rows.
OPENED_SUGGESTIONS = "guichet_help_opened"


def suggestion_opened(*, request: HttpRequest, article: Article, query: str) -> SuggestionOpen:
    user = request.user if request.user.is_authenticated else None
    opened = SuggestionOpen.objects.create(
        article=article, query=query[:500], session_key=_session_key(request), user=user
    )
    request.session[OPENED_SUGGESTIONS] = True
    return opened


def request_submitted_after_suggestions(*, request: HttpRequest) -> int:
    """The reader went on to contact us: their opened suggestions were not deflections.

    Only a session that opened one has rows to mark: any other new request (nearly all) sends no
    UPDATE, which cost ~0.5 ms of CPU per form creation (issue 17). A suggestion opened before
    sessions carried the mark (2026-12-07) is not marked by a later request of that session."""
    key = request.session.session_key
    if not key or not request.session.get(OPENED_SUGGESTIONS):
        return 0
    return SuggestionOpen.objects.filter(session_key=key, request_submitted_at__isnull=True).update(
        request_submitted_at=timezone.now()
    )


@transaction.atomic
def translation_saved(*, actor: object, translation: ArticleTranslation, request: HttpRequest | None) -> None:
    """Audit an administrator's edit and bump the article's update time (search index stamp)."""
    Article.objects.filter(pk=translation.article_id).update(updated_at=timezone.now())
    audit.record(
        "help.article_edited",
        actor=actor,  # type: ignore[arg-type]
        target=f"{translation.article.slug}:{translation.language}",
        request=request,
    )
