"""Issue 14: the shipped articles that stated a vendor fact wrongly are replaced on existing installs.

Texts an administrator edited are overwritten for these articles only: what they said was
wrong (a phone, an address, who authorises Contracts online, when licence copies are destroyed,
button names that do not exist). New articles (the Canadian support plan) are added.
"""

from django.db import migrations
from django.utils import timezone

CORRECTED = (
    "contact-support",
    "customer-support-plan",
    "submit-request-online",
    "register-identity",
    "contracts-online-access",
    "contract-copy",
    "terminate-software-licence",
    "terminate-maintenance-contract",
    "contract-question-unanswered",
    "activate-servicepac",
    "servicepac-information",
    "repair-service",
    "report-machine-transfer",
    "appliance-cross-border-move",
    "appliance-support",
    "software-keys",
    "passport-advantage-products",
    "technical-support-portal",
    "recycle-product",
    "inventory-question-unanswered",
    "payment-methods",
    "renew-maintenance-contract",
    "add-cancel-services",
    "invoice-dispute",
    "invoice-copy",
    "buytech-quota",
    "buytech-what-is",
    "buytech-eligibility",
    "buytech-cancel-order",
    "buytech-returns",
    "buytech-warranty",
    "buytech-cancelled-after-payment",
    "buytech-when-delivered",
)


def corrector(corrected):
    """The migration step that replaces the shipped texts of `corrected` (later corrections reuse it)."""
    return lambda apps, schema_editor: correct(apps, schema_editor, corrected)


def correct(apps, schema_editor, corrected=CORRECTED):
    from guichet.help.content import bundled_topics

    Article = apps.get_model("help", "Article")
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    now = timezone.now()
    for topic in bundled_topics():
        # A new topic shifts the reading order of those after it.
        Article.objects.filter(slug=topic.slug).update(position=topic.position)
        if topic.slug not in corrected:
            continue
        article, _ = Article.objects.update_or_create(
            slug=topic.slug,
            defaults={
                "category": topic.category,
                "countries": topic.countries,
                "position": topic.position,
                "updated_at": now,
            },
        )
        for language, text in topic.translations.items():
            ArticleTranslation.objects.update_or_create(
                article=article,
                language=language,
                defaults={"title": text.title, "body": text.body, "keywords": text.keywords, "updated_at": now},
            )


class Migration(migrations.Migration):
    dependencies = [("help", "0002_bundled_content"), ("core", "0006_launch_facts_from_the_seeds")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
