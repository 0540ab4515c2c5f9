"""The Dutch label of Belgium's vendor link (Belgium offers Dutch; Canada's and Romania's links keep English)."""

from django.db import migrations

DUTCH_LABELS = [("BE", "buytech_partner_faq", "Veelgestelde vragen van SOCIALware")]


def add(apps, schema_editor):
    SupportLink = apps.get_model("core", "SupportLink")
    SupportLinkTranslation = apps.get_model("core", "SupportLinkTranslation")
    for country, kind, label in DUTCH_LABELS:
        for link in SupportLink.objects.filter(country=country, kind=kind):
            SupportLinkTranslation.objects.update_or_create(link=link, language="nl", defaults={"label": label})


def remove(apps, schema_editor):
    SupportLinkTranslation = apps.get_model("core", "SupportLinkTranslation")
    SupportLinkTranslation.objects.filter(language="nl").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_nl_language")]

    operations = [migrations.RunPython(add, remove)]
