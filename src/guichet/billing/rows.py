"""My invoices' rows, prepared once per row (issue 17; decision 0016): every string a cell prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from guichet.core.rows import day_text, labels, money_text, url_for

from .models import Invoice, Status
from .templatetags.billing_ui import status_css


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    number: str
    url: str
    pdf_url: str
    credit_note: bool
    issued_iso: str
    issued: str
    due_iso: str  # "" on a credit note (nothing is due)
    due: str
    total: str
    open: str
    status: str
    status_css: str


def invoice_rows(page: Iterable[Invoice], today: date) -> list[InvoiceRow]:
    """The rows in the active language; the status as of `today` (overdue worked out, as on the detail page)."""
    statuses = labels(Status)
    built = []
    for item in page:
        current = item.current_status(today)
        credit = item.is_credit_note
        built.append(
            InvoiceRow(
                number=item.number,
                url=url_for("billing:invoice", {"number": item.number}),
                pdf_url=url_for("billing:invoice_pdf", {"number": item.number}),
                credit_note=credit,
                issued_iso=item.issue_date.isoformat(),
                issued=day_text(item.issue_date),
                due_iso="" if credit else item.due_date.isoformat(),
                due="" if credit else day_text(item.due_date),
                total=money_text(item.total, item.currency),
                open=money_text(item.open_amount, item.currency),
                status=statuses.get(current, current),
                status_css=status_css(current),
            )
        )
    return built
