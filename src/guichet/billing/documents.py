"""Invoice, credit note and statement PDFs: the organisation's language, babel formats, legal mentions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation
from guichet.core.documents import render_pdf
from guichet.core.money import format_date, format_money, format_percent, locale_for

from . import rules
from .epc_qr import epc_qr_svg
from .models import Invoice
from .selectors import StatementView


@dataclass(frozen=True)
class Seller:
    """The vendor's entity invoicing customers of one country, with the identifiers its invoices must show."""

    name: str
    address: str
    vat_number: str = ""  # BE: VAT; RO: CUI (cod de înregistrare în scopuri de TVA)
    trade_register: str = ""  # RO: Reg. Com. number
    gst_number: str = ""  # CA: GST/HST registration (BN + RT)
    qst_number: str = ""  # CA: QST registration (Quebec)
    iban: str = ""
    bic: str = ""


SELLERS: dict[str, Seller] = {
    "BE": Seller(
        name="Guichet Services Belgium SRL",
        address="Avenue du Bourget 42, 1130 Bruxelles",
        vat_number="BE 0403.356.149",
        iban="BE71 0961 2345 6769",
        bic="GKCCBEBB",
    ),
    "CA": Seller(
        name="Guichet Services Canada Ltd.",
        address="3600 Steeles Avenue East, Markham ON L3R 9Z7",
        gst_number="10070 6426 RT0001",
        qst_number="1006187334 TQ0001",
    ),
    "RO": Seller(
        name="Guichet Services România SRL",
        address="Bucharest Business Park, Șos. București-Ploiești 1A, 013681 București",
        vat_number="RO 1573850",
        trade_register="J40/1234/1991",
        iban="RO49 AAAA 1B31 0075 9384 0000",
        bic="BRDEROBU",
    ),
}


def seller_for(country: str) -> Seller:
    return SELLERS.get(country, SELLERS["BE"])


def locale_of(organisation: Organisation, language: str | None = None) -> str:
    """The reader's language (default: the organisation's) with the organisation's country's conventions."""
    return locale_for(language or organisation.language, organisation.country)


def mentions(invoice: Invoice, seller: Seller) -> list[str]:
    """The legal mentions a customer of the invoice's country expects, in the active language."""
    out: list[str] = []
    country = invoice.country
    if country == "BE":
        if any(line.tax_code == rules.REVERSE_CHARGE for line in invoice.lines.all()):
            out.append(
                _(
                    "Reverse charge (autoliquidation): VAT to be accounted for by the customer, "
                    "article 51, § 2, 5° of the Belgian VAT Code."
                )
            )
        if not invoice.is_credit_note:
            out.append(
                _(
                    "Payment within %(days)s days of the invoice date, by bank transfer to %(iban)s (BIC %(bic)s) "
                    "with the structured communication %(ogm)s."
                )
                % {
                    "days": rules.PAYMENT_TERM_DAYS["BE"],
                    "iban": seller.iban,
                    "bic": seller.bic,
                    "ogm": rules.payment_reference(country, is_credit_note=False, number=invoice.number),
                }
            )
            out.append(_("Late payments bear interest at the legal rate for commercial transactions."))
    elif country == "CA":
        if not invoice.is_credit_note:
            out.append(
                _("Payment terms: net %(days)s days, by electronic funds transfer or cheque.")
                % {"days": rules.PAYMENT_TERM_DAYS["CA"]}
            )
    elif country == "RO":
        if not invoice.is_credit_note:
            out.append(
                _("Payment within %(days)s days, by bank transfer in RON to %(iban)s (BIC %(bic)s).")
                % {"days": rules.PAYMENT_TERM_DAYS["RO"], "iban": seller.iban, "bic": seller.bic}
            )
        out.append(_("Invoice valid without signature and stamp (Fiscal Code, art. 319)."))
    if invoice.is_credit_note and invoice.credited_invoice is not None:
        out.append(_("This credit note reduces invoice %(number)s.") % {"number": invoice.credited_invoice.number})
    return out


def tax_label(name: str) -> str:
    """The tax's name as the reader's language has it (TVA, TPS/TVQ, TVH in French)."""
    labels = {"VAT": _("VAT"), "GST": _("GST"), "HST": _("HST"), "QST": _("QST")}
    return labels.get(name, name)


def invoice_context(invoice: Invoice, language: str | None = None) -> dict[str, Any]:
    organisation = invoice.organisation
    locale = locale_of(organisation, language)
    seller = seller_for(invoice.country)

    def money(amount: Decimal) -> str:
        return format_money(amount, invoice.currency, locale)

    lines = [
        {
            "position": line.position,
            "description": line.description,
            "quantity": line.quantity.normalize(),
            "unit_price": money(line.unit_price),
            "tax_code": line.get_tax_code_display(),
            "net": money(line.net),
        }
        for line in invoice.lines.all()
    ]
    taxes = [
        {
            "name": tax_label(tax.name),
            "rate": format_percent(tax.rate, locale),
            "base": money(tax.base),
            "amount": money(tax.amount),
        }
        for tax in invoice.taxes.all()
    ]
    communication = rules.payment_reference(
        invoice.country, is_credit_note=invoice.is_credit_note, number=invoice.number
    )
    return {
        "invoice": invoice,
        "organisation": organisation,
        "seller": seller,
        "locale": locale,
        "lines": lines,
        "taxes": taxes,
        "net_total": money(invoice.net_total),
        "tax_total": money(invoice.tax_total),
        "total": money(invoice.total),
        "settled": money(invoice.settled),
        "open_amount": money(invoice.open_amount),
        "issue_date": format_date(invoice.issue_date, locale),
        "due_date": format_date(invoice.due_date, locale),
        "mentions": mentions(invoice, seller),
        "structured_communication": communication,
        "epc_qr": epc_qr_svg(
            beneficiary=seller.name,
            iban=seller.iban,
            bic=seller.bic,
            amount=invoice.open_amount,
            communication=communication,
        )
        if invoice.country == "BE" and communication and seller.iban
        else "",
    }


def invoice_pdf(invoice: Invoice, language: str | None = None) -> bytes:
    """The invoice in `language` (the reader's; default: the organisation's)."""
    language = language or invoice.organisation.language
    with translation.override(language):
        context = invoice_context(invoice, language)
    return render_pdf("billing/documents/invoice.html", context, language=language)


def statement_rows(view: StatementView, locale: str, lines: list[Any] | None = None) -> list[dict[str, Any]]:
    labels = {rules.INVOICE: _("Invoice"), rules.CREDIT_NOTE: _("Credit note"), rules.PAYMENT: _("Payment")}
    return [
        {
            "date": format_date(line.operation.day, locale, "short"),
            "iso": line.operation.day.isoformat(),
            "kind": line.operation.kind,
            "label": labels[line.operation.kind],
            "reference": line.operation.reference,
            "debit": format_money(line.debit, view.currency, locale) if line.debit else "",
            "credit": format_money(line.credit, view.currency, locale) if line.credit else "",
            "balance": format_money(line.balance, view.currency, locale),
        }
        for line in (view.statement.lines if lines is None else lines)
    ]


def aging_label(bucket: str) -> str:
    labels = {
        rules.NOT_DUE: _("Not yet due"),
        rules.DAYS_1_30: _("1–30 days"),  # noqa: RUF001
        rules.DAYS_31_60: _("31–60 days"),  # noqa: RUF001
        rules.DAYS_61_90: _("61–90 days"),  # noqa: RUF001
        rules.OVER_90: _("Over 90 days"),
    }
    return labels[bucket]


def aging_chart(view: StatementView, locale: str) -> list[dict[str, Any]]:
    """Bars for the server-rendered SVG: label, formatted amount, width in percent of the largest bucket."""
    largest = max(view.aging.values(), default=Decimal(0)) or Decimal(1)
    return [
        {
            "bucket": bucket,
            "label": aging_label(bucket),
            "amount": format_money(amount, view.currency, locale),
            "raw": amount,
            "width": float(max(amount, Decimal(0)) / largest * 100),
        }
        for bucket, amount in view.aging.items()
    ]


def statement_context(
    organisation: Organisation, view: StatementView, page: Any = None, language: str | None = None
) -> dict[str, Any]:
    """Everything formatted for the reader; with `page` (a Paginator page of the lines), only its rows."""
    locale = locale_of(organisation, language)
    money = lambda amount: format_money(amount, view.currency, locale)  # noqa: E731
    return {
        "organisation": organisation,
        "view": view,
        "seller": seller_for(organisation.country),
        "rows": statement_rows(view, locale, list(page.object_list) if page is not None else None),
        "page": page,
        "aging": aging_chart(view, locale),
        "opening": money(view.statement.opening),
        "closing": money(view.statement.closing),
        "invoiced": money(view.statement.invoiced),
        "credited": money(view.statement.credited),
        "paid": money(view.statement.paid),
        "credits_and_payments": money(view.statement.paid + view.statement.credited),
        "unapplied": money(view.unapplied),
        "start": format_date(view.statement.start, locale),
        "end": format_date(view.statement.end, locale),
        "today": format_date(view.today, locale),
    }


def statement_pdf(organisation: Organisation, view: StatementView, language: str | None = None) -> bytes:
    language = language or organisation.language
    with translation.override(language):
        context = statement_context(organisation, view, language=language)
    return render_pdf("billing/documents/statement.html", context, language=language)


def statement_csv(view: StatementView) -> str:
    """Machine-readable: ISO dates, plain decimals with a dot, one operation a line, opening and closing rows."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "reference", "debit", "credit", "balance", "currency"])
    writer.writerow([view.statement.start.isoformat(), "opening", "", "", "", view.statement.opening, view.currency])
    for line in view.statement.lines:
        writer.writerow(
            [
                line.operation.day.isoformat(),
                line.operation.kind,
                line.operation.reference,
                line.debit or "",
                line.credit or "",
                line.balance,
                view.currency,
            ]
        )
    writer.writerow([view.statement.end.isoformat(), "closing", "", "", "", view.statement.closing, view.currency])
    return out.getvalue()
