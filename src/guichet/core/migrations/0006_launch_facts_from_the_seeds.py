"""The support centres' facts as the vendor's source FAQs give them (shared/seeds/), verbatim.

The first launch data (0002) carried invented values: e-mail addresses under
guichet.example, a Canadian notice address and opening hours, a notice address
without the vendor's company name. This replaces every vendor fact with the
seeds' value, and empties the fields the seeds give nothing for (an empty field
hides its line everywhere). `lead_agent_email` is internal, not a vendor fact,
and is left as it is.

The pointers (`SupportLink`) are the pages the seeds name. Only two come with
an address in the seeds (the Canadian support plan's); the others keep their
name and no address until an administrator adds it.
"""

from datetime import time

from django.db import migrations

CENTRES = [
    {
        # 001 (Belgium): "+32 (0)2 339 23 45, du lundi au vendredi entre 08H30 et 17H00", "0 810 276 810".
        "country": "BE",
        "timezone": "Europe/Brussels",
        "languages": "fr,nl",
        "phone": "+3223392345",
        "technical_phone": "",
        "repair_phone": "",
        "national_phone": "0 810 276 810",
        "fax": "",
        "opens_at": time(8, 30),
        "closes_at": time(17, 0),
        "hours_published": True,
        "notice_address": "IBM Belgium\nCustomer Support Online Team\nAvenue du Bourget 42\n1130 Bruxelles",
        "support_email": "",
        "servicepac_email": "ePacbelx_support@be.ibm.com",
        "licence_email": "",
        # 000 (Buy Tech): payment instructions not received, cancelled after payment, warranty.
        "buytech_email": "garsepp@hu.ibm.com",
    },
    {
        # 002/003 (Canada): "1 866 880-2765"; repairs and technical consultations "1 800 426-7378".
        # No opening hours and no written-notice address in the seeds: none shown. The hours
        # below are the agents' working hours, which deadlines count, not published ones.
        "country": "CA",
        "timezone": "America/Toronto",
        "holiday_subdivision": "QC",
        "languages": "fr,en",
        "phone": "+18668802765",
        "technical_phone": "+18004267378",
        "repair_phone": "+18004267378",
        "national_phone": "",
        "fax": "",
        "opens_at": time(8, 0),
        "closes_at": time(17, 0),
        "hours_published": False,
        "notice_address": "",
        "support_email": "",
        "servicepac_email": "",
        "licence_email": "",
        "buytech_email": "",
    },
    {
        # 004 (Romania): "+40 (0) 21 405 8100 intre orele 09:00-17:30", "fax: +40 (0) 21 405 8101".
        "country": "RO",
        "timezone": "Europe/Bucharest",
        "languages": "ro",
        "phone": "+40214058100",
        "technical_phone": "",
        "repair_phone": "",
        "national_phone": "",
        "fax": "+40214058101",
        "opens_at": time(9, 0),
        "closes_at": time(17, 30),
        "hours_published": True,
        "notice_address": (
            "IBM Romania SRL\nBucharest Business Park\n1a Bucuresti-Ploiesti National Road, 013681, Bucharest 1\nRomania"
        ),
        "support_email": "",
        "servicepac_email": "",
        "licence_email": "admin@ro.ibm.com",
        "buytech_email": "",
    },
]

# (country, kind, url, {language: label}); labels name the page as the seed does.
LINKS = [
    (
        "BE",
        "buytech_partner_faq",
        "",
        {"en": "SOCIALware's FAQ", "fr": "FAQ de SOCIALware", "ro": "Întrebările frecvente ale SOCIALware"},
    ),
    (
        "CA",
        "operations_website",
        "http://www.ibm.com/support/operations",
        {
            "en": "Customer Support Operations website",
            "fr": "Site Web du Soutien des opérations clientèle",
            "ro": "Site-ul Customer Support Operations",
        },
    ),
    (
        "CA",
        "support_plan",
        "http://www.ibm.com/support/",
        {
            "en": "Customer support plan, latest version (search for “customer support plan”)",
            "fr": "Plan d'assistance à la clientèle, version la plus actuelle (cherchez « customer support plan »)",
            "ro": "Planul de asistență pentru clienți, cea mai recentă versiune (căutați „customer support plan”)",
        },
    ),
    (
        "CA",
        "servicepac_info",
        "",
        {
            "en": "ServicePac® information",
            "fr": "Information sur ServicePacMD (en anglais)",
            "ro": "Informații despre ServicePac® (în engleză)",
        },
    ),
    (
        "CA",
        "key_management",
        "",
        {
            "en": "Key Management Service Centre",
            "fr": "Centre de service de gestion des clés (en anglais)",
            "ro": "Centrul de servicii pentru gestionarea cheilor (în engleză)",
        },
    ),
    (
        "CA",
        "passport_advantage",
        "",
        {
            "en": "Passport Advantage website (US)",
            "fr": "Site Web Passport Advantage (ÉU)",
            "ro": "Site-ul Passport Advantage (SUA)",
        },
    ),
    (
        "CA",
        "support_portal",
        "",
        {"en": "Support portal (US)", "fr": "Portail d'assistance (ÉU)", "ro": "Portalul de asistență (SUA)"},
    ),
    (
        "CA",
        "recycling",
        "",
        {
            "en": "Product recycling and waste electrical and electronic equipment (WEEE) (US)",
            "fr": "Recyclage des produits et déchets d'équipement électrique et électronique (DEEE) (ÉU)",
            "ro": "Reciclarea produselor și deșeurile de echipamente electrice și electronice (DEEE) (SUA)",
        },
    ),
    (
        "CA",
        "appliance_handbook",
        "",
        {
            "en": "Appliance Support Handbook (US)",
            "fr": "Appliance Support Handbook (ÉU)",
            "ro": "Appliance Support Handbook (SUA)",
        },
    ),
]


def seed(apps, schema_editor):
    SupportCentre = apps.get_model("core", "SupportCentre")
    SupportLink = apps.get_model("core", "SupportLink")
    SupportLinkTranslation = apps.get_model("core", "SupportLinkTranslation")
    for centre in CENTRES:
        SupportCentre.objects.update_or_create(country=centre["country"], defaults=centre)
    for position, (country, kind, url, labels) in enumerate(LINKS):
        link, _ = SupportLink.objects.update_or_create(
            country=country, kind=kind, defaults={"url": url, "position": position}
        )
        for language, label in labels.items():
            SupportLinkTranslation.objects.update_or_create(link=link, language=language, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_support_facts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
