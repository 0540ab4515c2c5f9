"""Demo contracts: every type for each demo organisation, machines under contract, a ServicePac code (idempotent).

Dates are relative to the day of seeding, so the termination rules always show both
cases: one machine under contract for years (may leave maintenance), one for two
months only (refused, with the date it becomes eligible).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction

from guichet.accounts.models import Membership, Organisation
from guichet.core.calendar import today_in
from guichet.core.money import currency_for_country
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory.models import Machine, ServiceLevel

from . import rules
from .models import Contract, ContractKind, ContractService, ContractStatus, CoveredMachine, ServicePacCode

# customer number -> (number suffix, machines: (type, model, serial, description, years under contract or None))
ORGANISATIONS: dict[str, tuple[str, list[tuple[str, str, str, str, int | None]]]] = {
    "BE-100001": (
        "0001",
        [
            ("9009", "22A", "78BE101", "Power server, atelier", 2),
            ("9009", "22A", "78BE102", "Power server, bureau", None),
        ],
    ),
    "BE-100002": (
        "0002",
        [
            ("9009", "41A", "78BE201", "Power server, brasserie", 3),
            ("3573", "F4A", "78BE202", "Tape library", None),
        ],
    ),
    "CA-200001": (
        "0001",
        [
            ("8286", "42A", "78CA123", "Serveur de production", 2),
            ("8286", "41A", "78CA124", "Serveur de sauvegarde", None),
        ],
    ),
    "RO-300001": (
        "0001",
        [
            ("9009", "42A", "78RO301", "Server tipografie", 2),
            ("9009", "22A", "78RO302", "Server birou", None),
        ],
    ),
}
SERVICEPAC_BODIES = {"BE-100001": "ATEL2345", "BE-100002": "BRAS2345", "CA-200001": "LAUR2345", "RO-300001": "CARP2345"}
SPARE_MACHINE = {"BE-100001": "78BE103", "BE-100002": "78BE203", "CA-200001": "78CA125", "RO-300001": "78RO303"}
SIGNATORIES = (
    "marie@atelier-solidaire.example",
    "paul@brasserie-delvaux.example",
    "luc@imprimerie-laurentide.example",
    "ana@tipografia-carpati.example",
)


def _machine(organisation: Organisation, machine_type: str, model: str, serial: str, description: str) -> Machine:
    # The inventory demo may have made it already (same type + serial): either order works.
    with across_organisations():
        machine, _created = Machine.objects.get_or_create(
            machine_type=machine_type,
            serial=serial,
            defaults={
                "organisation": organisation,
                "model": model,
                "description": description,
                "site_name": organisation.name,
                "site_city": organisation.city,
                "site_country": organisation.country,
                "install_date": date(2022, 3, 1),
            },
        )
    return machine


def _contract(organisation: Organisation, number: str, **fields: object) -> tuple[Contract, bool]:
    contract = Contract.objects.filter(number=number).first()
    if contract is not None:
        return contract, False
    return Contract.objects.create(organisation=organisation, number=number, **fields), True


@transaction.atomic
def _seed_organisation(organisation: Organisation, today: date) -> int:
    suffix, machines = ORGANISATIONS[organisation.customer_number]
    cc = organisation.country
    currency = currency_for_country(cc)
    french = organisation.language == "fr"
    romanian = organisation.language == "ro"

    def title(en: str, fr: str, ro: str) -> str:
        return fr if french else ro if romanian else en

    created = 0
    hw_start = date(2024, 1, 1)
    specs: list[tuple[str, dict[str, object], list[tuple[str, int, str]]]] = [
        (
            f"{cc}-HW-2024-{suffix}",
            {
                "kind": ContractKind.HARDWARE_MAINTENANCE,
                "status": ContractStatus.ACTIVE,
                "title": title("Hardware maintenance", "Maintenance matérielle", "Mentenanță hardware"),
                "start_date": hw_start,
                "renewal_date": today + relativedelta(days=60),
                "amount": Decimal("4800.00"),
            },
            [
                (
                    title(
                        "On-site repair, next business day",
                        "Réparation sur site, jour ouvrable suivant",
                        "Reparație la fața locului, ziua lucrătoare următoare",
                    ),
                    2,
                    "4800.00",
                )
            ],
        ),
        (
            f"{cc}-SW-2025-{suffix}",
            {
                "kind": ContractKind.SOFTWARE_SUBSCRIPTION,
                "status": ContractStatus.ACTIVE,
                "title": title(
                    "Software subscription and support",
                    "Abonnement et support logiciel",
                    "Abonament și suport software",
                ),
                "start_date": date(today.year - 1, 4, 1),
                "end_date": date(today.year + 1, 3, 31),
                "renewal_date": date(today.year + 1, 3, 31),
                "amount": Decimal("1250.00"),
            },
            [
                (
                    title(
                        "Upgrades and telephone support",
                        "Mises à niveau et support téléphonique",
                        "Actualizări și suport telefonic",
                    ),
                    1,
                    "1250.00",
                )
            ],
        ),
        (
            f"{cc}-ML-2025-{suffix}",
            {
                "kind": ContractKind.MONTHLY_LICENCE,
                "status": ContractStatus.ACTIVE,
                "title": title("Monthly software licence", "Licence logicielle mensuelle", "Licență software lunară"),
                "start_date": date(today.year - 1, 9, 1),
                "amount": Decimal("89.00"),
            },
            [
                (
                    title(
                        "Database licence, 5 users",
                        "Licence base de données, 5 utilisateurs",
                        "Licență bază de date, 5 utilizatori",
                    ),
                    5,
                    "89.00",
                )
            ],
        ),
        (
            f"{cc}-PA-2023-{suffix}",
            {
                "kind": ContractKind.PREPAID_LICENCE,
                "status": ContractStatus.ACTIVE,
                "title": title(
                    "Prepaid licence (Passport Advantage)",
                    "Licence prépayée (Passport Advantage)",
                    "Licență preplătită (Passport Advantage)",
                ),
                "start_date": date(2023, 6, 15),
                "amount": Decimal("2300.00"),
            },
            [("Passport Advantage", 1, "2300.00")],
        ),
        (
            f"{cc}-SP-2026-{suffix}",
            {
                "kind": ContractKind.SERVICEPAC,
                "status": ContractStatus.DRAFT,
                "title": title(
                    "ServicePac, 3 years on-site", "ServicePac, 3 ans sur site", "ServicePac, 3 ani la fața locului"
                ),
                "start_date": today,
                "amount": Decimal("690.00"),
            },
            [("ServicePac", 1, "690.00")],
        ),
        (
            f"{cc}-PG-2025-{suffix}",
            {
                "kind": ContractKind.PROGRAM_AGREEMENT,
                "status": ContractStatus.ACTIVE,
                "title": title(
                    "Customer relationship agreement", "Accord de relation client", "Acord de relație cu clientul"
                ),
                "start_date": date(today.year - 1, 1, 15),
                "amount": Decimal("0.00"),
            },
            [],
        ),
        (
            f"{cc}-HW-2026-{suffix}",
            {
                "kind": ContractKind.HARDWARE_MAINTENANCE,
                "status": ContractStatus.AWAITING_SIGNATURE,
                "title": title("Maintenance extension", "Extension de maintenance", "Extindere mentenanță"),
                "start_date": today.replace(day=1) + relativedelta(months=1),
                "end_date": today.replace(day=1) + relativedelta(months=37, days=-1),
                "amount": Decimal("3600.00"),
            },
            [
                (
                    title(
                        "On-site repair, same day",
                        "Réparation sur site, le jour même",
                        "Reparație la fața locului, în aceeași zi",
                    ),
                    1,
                    "3600.00",
                )
            ],
        ),
    ]
    contracts: dict[str, Contract] = {}
    for number, fields, lines in specs:
        contract, made = _contract(organisation, number, currency=currency, **fields)
        contracts[str(fields["kind"]) + str(fields["status"])] = contract
        if made:
            created += 1
            for description, quantity, amount in lines:
                ContractService.objects.create(
                    contract=contract, description=description, quantity=quantity, amount=Decimal(amount)
                )
    maintenance = contracts[ContractKind.HARDWARE_MAINTENANCE + ContractStatus.ACTIVE]
    for machine_type, model, serial, description, years in machines:
        machine = _machine(organisation, machine_type, model, serial, description)
        if machine.organisation_id != organisation.pk:
            continue
        since = today - relativedelta(years=years) if years else today - relativedelta(months=2)
        if not CoveredMachine.objects.filter(contract=maintenance, machine=machine).exists():
            CoveredMachine.objects.create(
                contract=maintenance, machine=machine, service_level=ServiceLevel.ONSITE_NEXT_DAY, covered_from=since
            )
            created += 1
    _machine(organisation, machines[0][0], machines[0][1], SPARE_MACHINE[organisation.customer_number], "Spare")
    code = rules.servicepac_code(SERVICEPAC_BODIES[organisation.customer_number])
    servicepac = contracts[ContractKind.SERVICEPAC + ContractStatus.DRAFT]
    _row, made = ServicePacCode.objects.get_or_create(
        code=code, defaults={"organisation": organisation, "contract": servicepac, "months": 36}
    )
    return created + made


def seed() -> int:
    today = today_in("BE")
    created = 0
    with across_organisations():
        Membership.objects.filter(user__email__in=SIGNATORIES).update(is_signatory=True)
    for customer_number in ORGANISATIONS:
        organisation = Organisation.objects.filter(customer_number=customer_number).first()
        if organisation is None:
            continue
        with tenant_scope(organisation):
            created += _seed_organisation(organisation, today)
    return created
