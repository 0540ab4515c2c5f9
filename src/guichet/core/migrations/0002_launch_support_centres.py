"""The three launch support centres (domain.md). Administrators edit them afterwards."""

from datetime import time

from django.db import migrations

CENTRES = [
    {
        "country": "BE",
        "timezone": "Europe/Brussels",
        "languages": "fr,nl",
        "phone": "+3223392345",
        "national_phone": "0 810 276 810",
        "opens_at": time(8, 30),
        "closes_at": time(17, 0),
        "notice_address": "Customer Support Online Team\nAvenue du Bourget 42\n1130 Brussels",
        "support_email": "support.be@guichet.example",
        "servicepac_email": "servicepac.be@guichet.example",
        "licence_email": "support.be@guichet.example",
        "lead_agent_email": "lead.be@guichet.example",
    },
    {
        "country": "CA",
        "timezone": "America/Toronto",
        "holiday_subdivision": "QC",
        "languages": "fr,en",
        "phone": "+18668802765",
        "technical_phone": "+18004267378",
        "opens_at": time(8, 0),
        "closes_at": time(17, 0),
        "notice_address": "Customer Support Online Team\n1250 René-Lévesque Blvd West\nMontréal, Quebec H3B 4W8",
        "support_email": "support.ca@guichet.example",
        "servicepac_email": "support.ca@guichet.example",
        "licence_email": "support.ca@guichet.example",
        "lead_agent_email": "lead.ca@guichet.example",
    },
    {
        "country": "RO",
        "timezone": "Europe/Bucharest",
        "languages": "ro",
        "phone": "+40214058100",
        "fax": "+40214058101",
        "opens_at": time(9, 0),
        "closes_at": time(17, 30),
        "notice_address": "Bucharest Business Park\n1A Bucuresti-Ploiesti National Road\n013681 Bucharest 1",
        "support_email": "support.ro@guichet.example",
        "servicepac_email": "support.ro@guichet.example",
        "licence_email": "licente.ro@guichet.example",
        "lead_agent_email": "lead.ro@guichet.example",
    },
]


def seed(apps, schema_editor):
    SupportCentre = apps.get_model("core", "SupportCentre")
    for centre in CENTRES:
        SupportCentre.objects.update_or_create(country=centre["country"], defaults=centre)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
