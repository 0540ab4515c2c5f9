"""Issue 15: customer questions, how customers ask what an article answers (searched, never shown).

Adds `ArticleTranslation.questions` and fills it for the shipped Dutch articles from the bundled
content, only where it is still empty (a translation whose questions an administrator already
wrote keeps them). Filling bumps `updated_at`, so `guichet build_search_index` (the deploy step)
rebuilds the index and embeds the new questions.
"""

from django.db import migrations, models
from django.utils import timezone


def _shipped():
    from guichet.help.content import bundled_topics

    return {
        topic.slug: topic.translations["nl"].questions
        for topic in bundled_topics()
        if "nl" in topic.translations and topic.translations["nl"].questions
    }


def fill(apps, schema_editor):
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    for slug, questions in _shipped().items():
        ArticleTranslation.objects.filter(article__slug=slug, language="nl", questions="").update(
            questions=questions, updated_at=timezone.now()
        )


def empty(apps, schema_editor):
    ArticleTranslation = apps.get_model("help", "ArticleTranslation")
    for slug, questions in _shipped().items():
        ArticleTranslation.objects.filter(article__slug=slug, language="nl", questions=questions).update(
            questions="", updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("help", "0008_flemish_keywords")]

    operations = [
        migrations.AddField(
            model_name="articletranslation",
            name="questions",
            field=models.TextField(
                blank=True,
                help_text="One per line: how customers ask what this article answers. Searched, never shown.",
                verbose_name="customer questions",
            ),
        ),
        migrations.RunPython(fill, empty),
    ]
