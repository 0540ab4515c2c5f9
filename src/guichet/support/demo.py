"""Demo requests in various states for each demo organisation (idempotent)."""

from __future__ import annotations

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import tenant_scope

from . import services
from .models import Request

DEMO = {
    "BE-100001": [
        (
            "invoices",
            "Copie de la facture de mars",
            "Pouvez-vous m'envoyer un duplicata de la facture de mars ?",
            {"invoice_number": "BE-INV-2026-0312"},
            "open",
        ),
        (
            "contracts",
            "Renouvellement du contrat de maintenance",
            "Nous souhaitons renouveler le contrat.",
            {"contract_number": "BE-HW-2024-0001"},
            "resolved",
        ),
    ],
    "BE-100002": [
        (
            "orders",
            "Livraison partielle",
            "Il manque un colis dans la commande.",
            {"order_number": "BE-ORD-2026-0042"},
            "waiting",
        ),
    ],
    "CA-200001": [
        (
            "inventory",
            "Numéro de série erroné",
            "La machine affiche un autre numéro de série.",
            {"machine_type": "8286", "machine_model": "42A", "serial": "78CA123"},
            "open",
        ),
    ],
    "RO-300001": [
        ("general", "Program de lucru de sărbători", "Care este programul de Crăciun?", {}, "closed"),
        (
            "invoices",
            "Factură contestată",
            "Suma de pe factură nu corespunde comenzii.",
            {"invoice_number": "RO-INV-2026-0101"},
            "open",
        ),
    ],
}


AGENT_LINES = {
    "fr": ("Pouvez-vous préciser le numéro du colis ?", "C'est fait : vous trouverez le document dans votre espace."),
    "ro": ("Ne puteți preciza numărul coletului?", "Am rezolvat: găsiți documentul în portal."),
    "en": ("Could you tell us the parcel number?", "Done: you will find the document in the portal."),
}


CANNED = [
    ("fr", "Document envoyé", "Bonjour,\n\nVous trouverez le document demandé en pièce jointe.\n\nCordialement,"),
    ("ro", "Document trimis", "Bună ziua,\n\nGăsiți atașat documentul solicitat.\n\nCu stimă,"),
    ("en", "Document sent", "Hello,\n\nPlease find the requested document attached.\n\nKind regards,"),
]


def seed() -> int:
    from .models import CannedReply

    created = 0
    for language, title, body in CANNED:
        _reply, made = CannedReply.objects.get_or_create(language=language, title=title, defaults={"body": body})
        created += made
    for number, items in DEMO.items():
        organisation = Organisation.objects.filter(customer_number=number).first()
        if organisation is None:
            continue
        requester = User.objects.filter(memberships__organisation=organisation, memberships__role="admin").first()
        agent = User.objects.filter(kind=User.Kind.AGENT, country=organisation.country).first()
        if requester is None or agent is None:
            continue
        with tenant_scope(organisation):
            for type_, subject, description, details, state in items:
                if Request.objects.filter(organisation=organisation, subject=subject).exists():
                    continue
                request = services.request_submit(
                    actor=requester,
                    organisation=organisation,
                    type=type_,
                    subject=subject,
                    description=description,
                    details=details,
                    contact={"name": requester.get_full_name(), "email": requester.email, "phone": requester.phone},
                )
                created += 1
                if state == "open":
                    continue
                services.request_assign(actor=agent, request=request, assignee=agent)
                question, answer = AGENT_LINES.get(organisation.language, AGENT_LINES["en"])
                if state == "waiting":
                    services.agent_comment(actor=agent, request=request, body=question, then="waiting_on_customer")
                elif state in ("resolved", "closed"):
                    services.agent_comment(actor=agent, request=request, body=answer, then="resolved")
                    if state == "closed":
                        services.customer_close(actor=requester, request=request)
    return created
