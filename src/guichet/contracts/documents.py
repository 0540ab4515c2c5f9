"""Contract documents: the contract itself, lists of covered machines, written termination notices.

Each PDF is rendered in the organisation's language (not the visitor's), so a copy
downloaded by an agent reads like the one the customer holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.core.calendar import today_in
from guichet.core.countries import get_centre
from guichet.core.documents import render_pdf
from guichet.core.money import format_date, format_money, locale_for
from guichet.core.signing import sign_or_refuse

from .models import Contract, CoveredMachine, Termination


def _locale(contract: Contract, language: str) -> str:
    return locale_for(language, contract.organisation.country)


def _machine_rows(coverages: Iterable[CoveredMachine], locale: str) -> list[dict[str, Any]]:
    return [
        {
            "machine_type": c.machine.machine_type,
            "model": c.machine.model,
            "serial": c.machine.serial,
            "description": c.machine.description,
            "site": ", ".join(p for p in (c.machine.site_name, c.machine.site_city) if p),
            "service_level": c.get_service_level_display(),
            "covered_from": format_date(c.covered_from, locale, "medium"),
            "covered_until": format_date(c.covered_until, locale, "medium") if c.covered_until else "",
            "contract": c.contract.number,
        }
        for c in coverages
    ]


def _distinct_title(contract: Contract) -> str:
    title = translation.gettext(contract.title) if contract.title else ""
    kind = str(contract.get_kind_display())
    return "" if title.strip().casefold() in ("", kind.strip().casefold()) else title


def contract_context(contract: Contract, language: str) -> dict[str, Any]:
    locale = _locale(contract, language)
    with translation.override(language):
        coverages = list(contract.covered_machines.select_related("machine", "contract").order_by("covered_from"))
        return {
            "contract": contract,
            "organisation": contract.organisation,
            "centre": get_centre(contract.organisation.country),
            "kind": str(contract.get_kind_display()),
            # The title, translated when it is one the portal issues, and left out when it only repeats the
            # type ("Maintenance matérielle — Maintenance matérielle").
            "title": _distinct_title(contract),
            "status": str(contract.get_status_display()),
            "start": format_date(contract.start_date, locale),
            "end": format_date(contract.end_date, locale) if contract.end_date else "",
            "renewal": format_date(contract.renewal_date, locale) if contract.renewal_date else "",
            "amount": format_money(contract.amount, contract.currency, locale),
            "services": [
                {
                    "description": s.description,
                    "quantity": s.quantity,
                    "amount": format_money(s.amount, contract.currency, locale),
                }
                for s in contract.services.all().order_by("pk")
            ],
            "machines": _machine_rows(coverages, locale),
        }


def contract_pdf(contract: Contract, language: str | None = None) -> bytes:
    """The contract as a PDF in `language` (default: the organisation's): what copies are and what is signed."""
    language = language or contract.organisation.language
    return render_pdf("contracts/documents/contract.html", contract_context(contract, language), language=language)


# --- covered machines ---------------------------------------------------------------------------

CSV_COLUMNS = (
    "contract",
    "machine_type",
    "model",
    "serial",
    "description",
    "site",
    "service_level",
    "covered_from",
    "covered_until",
)


def machines_csv(coverages: Iterable[CoveredMachine], language: str) -> bytes:
    """UTF-8 with a BOM (spreadsheet programs then read accents right), ISO dates, one row per coverage."""
    out = io.StringIO()
    writer = csv.writer(out)
    with translation.override(language):
        writer.writerow(
            [
                _("Contract"),
                _("Machine type"),
                _("Model"),
                _("Serial number"),
                _("Description"),
                _("Site"),
                _("Service level"),
                _("Under contract since"),
                _("Under contract until"),
            ]
        )
        for c in coverages:
            writer.writerow(
                [
                    c.contract.number,
                    c.machine.machine_type,
                    c.machine.model,
                    c.machine.serial,
                    c.machine.description,
                    ", ".join(p for p in (c.machine.site_name, c.machine.site_city) if p),
                    c.get_service_level_display(),
                    c.covered_from.isoformat(),
                    c.covered_until.isoformat() if c.covered_until else "",
                ]
            )
    return ("\ufeff" + out.getvalue()).encode()


def machines_pdf(title: str, coverages: Iterable[CoveredMachine], *, language: str, country: str) -> bytes:
    locale = locale_for(language, country)
    context = {
        "title": title,
        "machines": _machine_rows(coverages, locale),
        "generated": format_date(today_in(country), locale),
    }
    return render_pdf("contracts/documents/machines.html", context, language=language)


# --- written termination notice -----------------------------------------------------------------


def termination_notice_pdf(termination: Termination) -> bytes:
    """The written notice, addressed to the country's written-notice address (or, from the vendor, to the customer)."""
    contract = termination.contract
    organisation = contract.organisation
    language = organisation.language
    locale = locale_for(language, organisation.country)
    context = {
        "termination": termination,
        "contract": contract,
        "organisation": organisation,
        "centre": get_centre(organisation.country),
        "notice_date": format_date(termination.notice_date, locale),
        "effective_date": format_date(termination.effective_date, locale),
        "machines": _machine_rows(termination.coverages.select_related("machine", "contract"), locale),
    }
    return render_pdf("contracts/documents/termination_notice.html", context, language=language)


def sign_notice(data: bytes, *, signer_name: str, organisation_name: str, contract_number: str) -> bytes:
    """The notice sealed with the portal's key (PAdES), so the vendor can check it is the one filed."""
    return sign_or_refuse(
        data,
        signer_name=signer_name,
        reason=f"Termination notice {contract_number}",
        location=organisation_name,
        field_name="NoticeSignature",
        stamp_lines=[signer_name, organisation_name, timezone.now().strftime("%Y-%m-%d %H:%M UTC")],
    )
