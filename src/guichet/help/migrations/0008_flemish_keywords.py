"""Issue 15: Flemish words customers type, added to the Dutch keywords of sixteen shipped articles.

Only a keyword line still as shipped is extended (matched on its shipped text): one an
administrator edited stays as it is. Saving a translation bumps its `updated_at`, so the help
search index is rebuilt by `guichet build_search_index` (the deploy step), which re-embeds these
sixteen Dutch translations only.
"""

from django.db import migrations
from django.utils import timezone

ADDED = {
    "activate-servicepac": "activatie, in gebruik nemen",
    "add-cancel-services": "extra dienst, dienst bijzetten, dienst annuleren, service toevoegen, machine opnemen in het contract",
    "appliance-cross-border-move": "overbrengen, filiaal in het buitenland, vestiging in het buitenland",
    "buytech-after-order": "verwerking",
    "buytech-cancel-order": "annulatie",
    "buytech-eligibility": "meedoen, deelnemen, deelname",
    "buytech-returns": "terugzenden, terugzending",
    "buytech-when-delivered": "levertermijn, wanneer leveren jullie",
    "contract-copy": "contract kwijt, contract opnieuw opvragen, afschrift, exemplaar van het contract",
    "delivery-address": "ander kantoor, andere vestiging, ander adres, filiaal",
    "inventory-question-unanswered": "machinepark, installed base",
    "maintenance-contract-questions": "bestek, prijsopgave, kostenraming, prijsaanvraag",
    "order-status-tracking": "bestelling opvolgen, order opvolgen",
    "payment-methods": "betaaltermijn, binnen hoeveel dagen betalen, uiterste betaaldatum",
    "register-identity": "login aanmaken, firma registreren, bedrijf registreren",
    "submit-request-online": "vraag ingestuurd, opvolging, behandeling, stand van zaken, vraag opvolgen",
}


def _texts():
    from guichet.help.content import bundled_topics

    return {topic.slug: topic.translations["nl"].keywords for topic in bundled_topics() if topic.slug in ADDED}


def extend(apps, schema_editor):
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    for slug, keywords in _texts().items():
        shipped_before = keywords.removesuffix(f", {ADDED[slug]}")
        ArticleTranslation.objects.filter(article__slug=slug, language="nl", keywords=shipped_before).update(
            keywords=keywords, updated_at=timezone.now()
        )


def shorten(apps, schema_editor):
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    for slug, keywords in _texts().items():
        ArticleTranslation.objects.filter(article__slug=slug, language="nl", keywords=keywords).update(
            keywords=keywords.removesuffix(f", {ADDED[slug]}"), updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("help", "0007_search_index_snapshot")]
    operations = [migrations.RunPython(extend, shorten)]
