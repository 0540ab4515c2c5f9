"""Demo machines for each demo organisation: under contract, under warranty, not covered (idempotent).

Machines meant to be under contract get their coverage from the contracts demo (it
runs after this one and creates hardware-maintenance contracts with CoveredMachine
rows, looking machines up by type + serial: the "contract" rows here are the first
machine each organisation's maintenance contract covers there). The warranty and
uncovered ones are complete here, with serials the contracts demo does not use.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from guichet.accounts.models import Organisation
from guichet.core.calendar import today_in
from guichet.core.tenancy import across_organisations

from .models import Machine

# (type, model, serial, description, under): "contract" (covered by the contracts demo), "warranty", "none"
DEMO: dict[str, dict[str, Any]] = {
    "BE-100001": {
        "site": ("Atelier Solidaire — atelier", "Rue Haute 120", "1000", "Bruxelles", "BE"),
        "contact": ("Marie Lambert", "+3225550101", "marie@atelier-solidaire.example"),
        "machines": [
            ("9009", "22A", "78BE101", "Serveur Power S922, atelier", "contract"),
            ("7063", "CR2", "78BE110", "Console HMC", "warranty"),
            ("4767", "003", "78BE111", "Écran tactile caisse", "none"),
        ],
    },
    "BE-100002": {
        "site": ("Brasserie Delvaux — brasserie", "Chaussée de Wavre 500", "1040", "Etterbeek", "BE"),
        "contact": ("Paul Delvaux", "+3225550202", "paul@brasserie-delvaux.example"),
        "machines": [
            ("9009", "41A", "78BE201", "Serveur Power, brasserie", "contract"),
            ("4900", "785", "78BE210", "Terminal point de vente", "warranty"),
            ("6180", "A02", "78BE211", "Imprimante d'étiquettes", "none"),
        ],
    },
    "CA-200001": {
        "site": ("Imprimerie Laurentide — usine", "1200 boulevard Saint-Laurent", "H2X 2S6", "Montréal", "CA"),
        "contact": ("Luc Tremblay", "+15145550303", "luc@imprimerie-laurentide.example"),
        "machines": [
            ("8286", "42A", "78CA123", "Power System S824", "contract"),
            ("2145", "SV3", "78CA130", "Baie de stockage FlashSystem", "warranty"),
            ("4610", "2CR", "78CA131", "Imprimante de reçus", "none"),
        ],
    },
    "RO-300001": {
        "site": ("Tipografia Carpați — sediu", "Strada Republicii 10", "500030", "Brașov", "RO"),
        "contact": ("Ana Popescu", "+40268550404", "ana@tipografia-carpati.example"),
        "machines": [
            ("9009", "42A", "78RO301", "Server tipografie", "contract"),
            ("8335", "GTH", "78RO310", "Server de rezervă", "warranty"),
            ("4820", "5LG", "78RO311", "Imprimantă de etichete", "none"),
        ],
    },
}


def seed(today: date | None = None) -> int:
    today = today or today_in("BE")
    created = 0
    for number, spec in DEMO.items():
        organisation = Organisation.objects.filter(customer_number=number).first()
        if organisation is None:
            continue
        site_name, street, postcode, city, country = spec["site"]
        contact_name, contact_phone, contact_email = spec["contact"]
        for machine_type, model, serial, description, under in spec["machines"]:
            warranty_end = {
                "contract": today - timedelta(days=400),  # warranty over; the contract covers it
                "warranty": today + timedelta(days=300),
                "none": today - timedelta(days=200),
            }[under]
            with across_organisations():
                _machine, made = Machine.objects.get_or_create(
                    machine_type=machine_type,
                    serial=serial,
                    defaults={
                        "organisation": organisation,
                        "model": model,
                        "description": description,
                        "site_name": site_name,
                        "site_street": street,
                        "site_postcode": postcode,
                        "site_city": city,
                        "site_country": country,
                        "contact_name": contact_name,
                        "contact_phone": contact_phone,
                        "contact_email": contact_email,
                        "install_date": today - timedelta(days=1500 if under != "warranty" else 60),
                        "warranty_end": warranty_end,
                    },
                )
            created += made
    created += _service_actions(today)
    return created


def _service_actions(today: date) -> int:
    """A mail-in repair under warranty (Atelier Solidaire) and a relocation awaiting evaluation (Carpați)."""
    from guichet.accounts.models import User
    from guichet.core.tenancy import tenant_scope

    from . import services
    from .models import Relocation, RepairRequest

    made = 0
    for number, serial, action in (("BE-100001", "78BE110", "repair"), ("RO-300001", "78RO301", "relocation")):
        organisation = Organisation.objects.filter(customer_number=number).first()
        requester = User.objects.filter(memberships__organisation=organisation, memberships__role="admin").first()
        if organisation is None or requester is None:
            continue
        with tenant_scope(organisation):
            machine = Machine.objects.filter(organisation=organisation, serial=serial).first()
            if machine is None:
                continue
            if action == "repair" and not RepairRequest.objects.filter(organisation=organisation).exists():
                services.repair_request(
                    actor=requester, machine=machine, kind="hardware", description="La console ne démarre plus."
                )
                made += 1
            if action == "relocation" and not Relocation.objects.filter(organisation=organisation).exists():
                services.relocation_request(
                    actor=requester,
                    machine=machine,
                    from_country="RO",
                    from_address="Strada Republicii 10, 500030 Brașov",
                    to_country="BE",
                    to_address="Avenue Louise 54, 1050 Bruxelles",
                    desired_date=today + timedelta(days=60),
                    notes="Mutăm serverul la filiala din Bruxelles.",
                )
                made += 1
    return made
