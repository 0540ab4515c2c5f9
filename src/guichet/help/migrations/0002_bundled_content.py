"""Load the help articles the product ships with (help/content/), so a fresh install has them."""

from django.db import migrations


def load(apps, schema_editor):
    from guichet.help.content import bundled_topics

    Article = apps.get_model("help", "Article")
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    for topic in bundled_topics():
        article, _ = Article.objects.get_or_create(
            slug=topic.slug,
            defaults={"category": topic.category, "countries": topic.countries, "position": topic.position},
        )
        for language, text in topic.translations.items():
            ArticleTranslation.objects.get_or_create(
                article=article,
                language=language,
                defaults={"title": text.title, "body": text.body, "keywords": text.keywords},
            )


class Migration(migrations.Migration):
    dependencies = [("help", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
