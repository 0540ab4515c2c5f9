"""Reads on the inventory. Customers: their organisation's machines. Agents: their country's work."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core import data_versions
from guichet.core.calendar import BusinessCalendar, calendar_for, today_for
from guichet.core.errors import DomainError
from guichet.core.models import Country
from guichet.core.tenancy import across_organisations

from . import coverage, rules
from .errors import Code
from .models import ImportJob, Machine, Relocation, RepairRequest, SiteChange, Transfer


def calendar_of_site(machine: Machine) -> BusinessCalendar:
    """Business hours of the support centre of the machine's site (the organisation's province in Canada).

    A machine moved to a country without a support centre of its own stays with its organisation's.
    """
    country = machine.site_country if machine.site_country in Country.values else machine.organisation.country
    province = machine.organisation.province if country == machine.organisation.country else ""
    return calendar_for(country, province or None)


# --- coverage ---------------------------------------------------------------------------------


def coverage_of(machine: Machine, today: date | None = None) -> rules.Coverage:
    today = today or today_for(machine.organisation)
    if machine.departed_on is not None and machine.departed_on < today:
        # Left the customer: whatever ran until then no longer covers it for them.
        return rules.Coverage(rules.NOT_COVERED)
    return rules.coverage_on(today, coverage.lines_for([machine.pk]).get(machine.pk, []), machine.warranty_end)


def coverages_of(machines: Iterable[Machine], today: date) -> dict[int, rules.Coverage]:
    """Coverage of many machines with one query (list pages, API lists); a page's lines are kept
    until a contract or a machine changes (coverage.kept_lines_for): then no query."""
    machines = list(machines)
    lines = coverage.kept_lines_for(m.pk for m in machines)
    result = {}
    for machine in machines:
        if machine.departed_on is not None and machine.departed_on < today:
            result[machine.pk] = rules.Coverage(rules.NOT_COVERED)
        else:
            result[machine.pk] = rules.coverage_on(today, lines.get(machine.pk, []), machine.warranty_end)
    return result


# --- machines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MachineFilters:
    query: str = ""  # serial, type, model or words of the description / site
    machine_type: str = ""
    country: str = ""
    coverage: str = ""  # "", contract, warranty, none: in SQL, the same test as rules.coverage_on
    include_departed: bool = False


SUGGESTIONS = 500  # a datalist longer than this helps nobody: typing narrows it anyway
READS = ("inventory",)  # what the kept suggestions come from: the machines
data_versions.watch(lambda: READS)


def machine_suggestions(organisation: Organisation) -> tuple[list[str], list[str]]:
    """The organisation's own machine types and serial numbers, for reference fields (datalists).

    Kept in the shared cache under inventory's data version (core/data_versions.py): two queries
    (the types read every machine of the organisation) on the first page only, until a machine is
    added, changed or leaves."""
    return data_versions.kept(
        "inventory.suggestions",
        READS,
        (organisation.pk,),
        lambda: (machine_types_of(organisation), machine_serials_of(organisation)),
    )


def _present(organisation: Organisation) -> QuerySet[Machine]:
    return Machine.objects.filter(organisation=organisation, departed_on__isnull=True)


def machine_types_of(organisation: Organisation) -> list[str]:
    """The types of the organisation's machines still there (reference-field suggestions)."""
    return list(
        _present(organisation).order_by("machine_type").values_list("machine_type", flat=True).distinct()[:SUGGESTIONS]
    )


def machine_serials_of(organisation: Organisation) -> list[str]:
    """The serials of the organisation's machines still there (reference-field suggestions)."""
    return list(_present(organisation).order_by("serial").values_list("serial", flat=True).distinct()[:SUGGESTIONS])


def machines_of(organisation: Organisation, filters: MachineFilters | None = None) -> QuerySet[Machine]:
    filters = filters or MachineFilters()
    # Not joined to their organisation: the caller has it, and neither the list nor the API reads it
    # from a machine (building 25 organisation objects was a third of the list page's query cost).
    machines = Machine.objects.filter(organisation=organisation)
    if not filters.include_departed:
        machines = machines.filter(departed_on__isnull=True)
    if filters.machine_type:
        machines = machines.filter(machine_type=filters.machine_type.upper())
    if filters.country:
        machines = machines.filter(site_country=filters.country.upper())
    for word in filters.query.split()[:5]:
        machines = machines.filter(
            Q(serial__icontains=word)
            | Q(machine_type__iexact=word)
            | Q(model__iexact=word)
            | Q(description__icontains=word)
            | Q(site_name__icontains=word)
            | Q(site_city__icontains=word)
        )
    if filters.coverage in (rules.CONTRACT, rules.WARRANTY, rules.NOT_COVERED):
        machines = machines.filter(_coverage_is(organisation, filters.coverage, today_for(organisation)))
    return machines.order_by("machine_type", "serial")


def _coverage_is(organisation: Organisation, state: str, today: date) -> Q:
    """Machines whose coverage today is `state`, in SQL: a list filters and pages in the database.

    The same order as `rules.coverage_on`: a contract line in force (each source's `covered_on`)
    wins, else a warranty running today, else not covered. A machine that already left is not
    covered (`coverage_of`); the customers' list shows only machines still there.
    """
    by_contract = Q(pk__in=[])
    for covered in coverage.covered_on(organisation, today):
        by_contract |= Q(pk__in=covered)
    left = Q(departed_on__lt=today)
    warranty = Q(warranty_end__gte=today)
    if state == rules.CONTRACT:
        return by_contract & ~left
    if state == rules.WARRANTY:
        return warranty & ~by_contract & ~left
    return left | (~by_contract & ~warranty)


class AmbiguousSerial(DomainError):
    code = Code.AMBIGUOUS_SERIAL
    status = 409


def get_machine_for(organisation: Organisation, serial: str, machine_type: str = "") -> Machine:
    """The organisation's machine with this serial (and type, when given); 404 if missing or not theirs.

    A serial is unique per type only: if two of the organisation's machines share it,
    the caller must say which type (AmbiguousSerial, 409).
    """
    serial = serial.strip().upper()
    machines = Machine.objects.filter(organisation=organisation, serial=serial).select_related("organisation")
    if machine_type:
        machines = machines.filter(machine_type=machine_type.strip().upper())
    found = list(machines[:2])
    if not found:
        raise Http404
    if len(found) > 1:
        from django.utils.translation import gettext as _

        raise AmbiguousSerial(
            _("Several of your machines have this serial number; give the machine type too."),
            details={"types": sorted(m.machine_type for m in machines)},
        )
    return found[0]


def site_changes_of(machine: Machine) -> QuerySet[SiteChange]:
    return SiteChange.objects.filter(organisation=machine.organisation, machine=machine).select_related("actor")


def repairs_of_machine(machine: Machine) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(organisation=machine.organisation, machine=machine)


def transfers_of_machine(machine: Machine) -> QuerySet[Transfer]:
    return Transfer.objects.filter(organisation=machine.organisation, machine=machine)


def relocations_of_machine(machine: Machine) -> QuerySet[Relocation]:
    return Relocation.objects.filter(organisation=machine.organisation, machine=machine)


def get_repair_for(organisation: Organisation, number: str) -> RepairRequest:
    repair = (
        RepairRequest.objects.filter(organisation=organisation, number=number)
        .select_related("machine", "organisation")
        .first()
    )
    if repair is None:
        raise Http404
    return repair


def get_relocation_for(organisation: Organisation, number: str) -> Relocation:
    relocation = (
        Relocation.objects.filter(organisation=organisation, number=number)
        .select_related("machine", "organisation")
        .first()
    )
    if relocation is None:
        raise Http404
    return relocation


# --- agents -----------------------------------------------------------------------------------


def repairs_to_dispatch(staff: User) -> list[RepairRequest]:
    with across_organisations():
        return list(
            RepairRequest.objects.filter(jurisdiction.served_by(staff), status="submitted")
            .select_related("organisation", "machine")
            .order_by("dispatch_due")[:200]
        )


def transfers_to_confirm(staff: User) -> list[Transfer]:
    with across_organisations():
        return list(
            Transfer.objects.filter(jurisdiction.served_by(staff), status="reported")
            .select_related("organisation", "machine")
            .order_by("confirm_due")[:200]
        )


def relocations_to_handle(staff: User) -> list[Relocation]:
    with across_organisations():
        return list(
            Relocation.objects.filter(jurisdiction.served_by(staff), status__in=rules.RELOCATION_OPEN)
            .select_related("organisation", "machine", "assignee")
            .order_by("evaluate_due", "created_at")[:200]
        )


def site_changes_to_review(staff: User) -> list[SiteChange]:
    with across_organisations():
        return list(
            SiteChange.objects.filter(jurisdiction.served_by(staff), reviewed_at__isnull=True)
            .select_related("organisation", "machine", "actor")
            .order_by("created_at")[:200]
        )


def _for_staff(model: type, staff: User, number: str) -> object:
    with across_organisations():
        item = (
            model.objects.filter(jurisdiction.served_by(staff), number=number)  # type: ignore[attr-defined]
            .select_related("organisation", "machine")
            .first()
        )
    if item is None:
        raise Http404
    return item


def get_repair_for_staff(staff: User, number: str) -> RepairRequest:
    return _for_staff(RepairRequest, staff, number)  # type: ignore[return-value]


def get_transfer_for_staff(staff: User, number: str) -> Transfer:
    return _for_staff(Transfer, staff, number)  # type: ignore[return-value]


def get_relocation_for_staff(staff: User, number: str) -> Relocation:
    return _for_staff(Relocation, staff, number)  # type: ignore[return-value]


def get_site_change_for_staff(staff: User, pk: int) -> SiteChange:
    with across_organisations():
        item = (
            SiteChange.objects.filter(jurisdiction.served_by(staff), pk=pk)
            .select_related("organisation", "machine")
            .first()
        )
    if item is None:
        raise Http404
    return item


def organisations_for_staff(staff: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(jurisdiction.served_by(staff, "")).order_by("customer_number")


def import_jobs_for_staff(staff: User) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(jurisdiction.served_by(staff)).select_related("organisation").order_by("-created_at")
    )


def get_import_job_for_staff(staff: User, pk: int) -> ImportJob:
    job = import_jobs_for_staff(staff).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
