"""Issue 15: the help centre in Dutch — the Dutch text of every bundled topic, and the Dutch
label of the vendor pointer the Belgian articles name (SOCIALware's FAQ).

Only what is missing is added: a Dutch text an administrator already wrote stays as it is.
"""

from django.db import migrations
from django.utils import timezone

LINK_LABELS = [("BE", "buytech_partner_faq", "Veelgestelde vragen van SOCIALware")]


def add_dutch(apps, schema_editor):
    from guichet.help.content import bundled_topics

    Article = apps.get_model("help", "Article")
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    SupportLink = apps.get_model("core", "SupportLink")
    SupportLinkTranslation = apps.get_model("core", "SupportLinkTranslation")
    now = timezone.now()
    for topic in bundled_topics():
        text = topic.translations.get("nl")
        article = Article.objects.filter(slug=topic.slug).first()
        if text is None or article is None:  # a topic removed in the admin is not brought back
            continue
        ArticleTranslation.objects.get_or_create(
            article=article,
            language="nl",
            defaults={"title": text.title, "body": text.body, "keywords": text.keywords, "updated_at": now},
        )
    for country, kind, label in LINK_LABELS:
        for link in SupportLink.objects.filter(country=country, kind=kind):
            SupportLinkTranslation.objects.get_or_create(link=link, language="nl", defaults={"label": label})


def remove_dutch(apps, schema_editor):
    apps.get_model("help", "ArticleTranslation").objects.filter(language="nl").delete()
    SupportLinkTranslation = apps.get_model("core", "SupportLinkTranslation")
    for country, kind, _label in LINK_LABELS:
        SupportLinkTranslation.objects.filter(link__country=country, link__kind=kind, language="nl").delete()


class Migration(migrations.Migration):
    dependencies = [("help", "0004_nl_language"), ("core", "0006_launch_facts_from_the_seeds")]
    operations = [migrations.RunPython(add_dutch, remove_dutch)]
