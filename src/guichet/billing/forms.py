"""Billing forms: list filters, statement period, dispute, billing options, console payment and import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField, MultipleFileField
from guichet.core.templatetags.locale_ui import day

from . import rules
from .models import Method, Status

MAX_CSV_BYTES = 5 * 1024 * 1024


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("unpaid", _("Unpaid")), *Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Document"),
        required=False,
        choices=[
            ("", _("Invoices and credit notes")),
            (rules.INVOICE, _("Invoices")),
            (rules.CREDIT_NOTE, _("Credit notes")),
        ],
    )
    q = forms.CharField(label=_("Number or purchase order"), required=False, max_length=40)


class PeriodForm(forms.Form):
    start = DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if any(given is not None and given < rules.EARLIEST_STATEMENT_DATE for given in (start, end)):
            raise forms.ValidationError(
                _("Choose dates from %(date)s on.") % {"date": day(rules.EARLIEST_STATEMENT_DATE, "long")},
                code="too_early",
            )
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start of the period must come before its end."), code="order")
            if end - start > rules.MAX_STATEMENT_PERIOD:
                raise forms.ValidationError(_("Choose a period of at most three years."), code="too_long")
        return data

    def period(self, today: date) -> tuple[date, date]:
        end = self.cleaned_data.get("end") or today
        start = self.cleaned_data.get("start") or end - rules.DEFAULT_STATEMENT_PERIOD
        return start, end


class DisputeForm(forms.Form):
    positions = forms.MultipleChoiceField(
        label=_("Disputed lines"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if you dispute the invoice as a whole."),
    )
    amount = forms.DecimalField(label=_("Disputed amount"), min_value=0, max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, lines: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["positions"].choices = [(str(p), label) for p, label in (lines or [])]  # type: ignore[attr-defined]


class OptionsForm(forms.Form):
    email_delivery = forms.BooleanField(label=_("Send our invoices by e-mail"), required=False)
    delivery_email = forms.EmailField(label=_("Invoice e-mail address"), required=False)
    po_required = forms.BooleanField(label=_("Our purchase order number is required on every invoice"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email_delivery") and not data.get("delivery_email"):
            self.add_error("delivery_email", _("Give the address invoices should be sent to."))
        return data


class PaymentForm(forms.Form):
    customer_number = forms.CharField(label=_("Customer number"), max_length=20)
    date = DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    reference = forms.CharField(label=_("Bank reference"), max_length=64)
    invoice_number = forms.CharField(label=_("Invoice to settle"), max_length=24, required=False)
    allocate = forms.DecimalField(
        label=_("Amount set against the invoice"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: as much as the invoice's open amount allows."),
    )


class AllocateForm(forms.Form):
    invoice_number = forms.CharField(label=_("Invoice to settle"), max_length=24)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Bank file (CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="too_large")
        return upload


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(choices=[("credit", _("Issue a credit note")), ("reject", _("Reject"))])
    amount = forms.DecimalField(
        label=_("Amount to credit"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note or reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
