"""Forms of the inventory pages; the API validates its input with the same ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.countries import world_countries
from guichet.core.forms import DateField

from .models import Machine, RepairKind, TransferKind, machine_type_format, serial_format
from .rules import ESTIMATE_MAX, ESTIMATE_NOTE_MAX

COUNTRY_CHOICES = [("BE", _("Belgium")), ("CA", _("Canada")), ("RO", _("Romania"))]

BILLING_WORDING = _(
    "I accept that this machine is not covered by maintenance or warranty, and that parts and labour "
    "for this repair will be billed to my organisation."
)


class UpperField(forms.CharField):
    """Serials and types are written in capitals; people type them any way."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class LookupForm(forms.Form):
    machine_type = UpperField(label=_("Machine type"), required=False, max_length=4, validators=[machine_type_format])
    serial = UpperField(label=_("Serial number"), max_length=12, validators=[serial_format])


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    coverage = forms.ChoiceField(
        label=_("Coverage"),
        required=False,
        choices=[
            ("", _("All")),
            ("contract", _("Maintenance contract")),
            ("warranty", _("Warranty")),
            ("none", _("Not covered")),
        ],
    )
    country = forms.ChoiceField(label=_("Site country"), required=False, choices=[("", _("All")), *COUNTRY_CHOICES])


class SiteForm(forms.ModelForm):
    class Meta:
        model = Machine
        fields = [
            "site_name",
            "site_street",
            "site_postcode",
            "site_city",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]


class RepairForm(forms.Form):
    kind = forms.ChoiceField(label=_("Problem type"), choices=RepairKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Describe the problem"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    accept_billing = forms.BooleanField(label=BILLING_WORDING, required=False)

    def __init__(self, *args: Any, covered: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.covered = covered
        if covered:
            del self.fields["accept_billing"]
        else:
            self.fields["accept_billing"].required = True
            self.fields["accept_billing"].error_messages["required"] = _(
                "Accept that parts and labour are billed, or contact us if you think the machine is covered."
            )


class TransferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happens to the machine"), choices=TransferKind.choices, widget=forms.RadioSelect
    )
    leaves_on = DateField(
        label=_("Return or sale date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    financing_quote = forms.CharField(label=_("Financing quote number (if known)"), required=False, max_length=40)
    buyer = forms.CharField(label=_("Buyer (company)"), required=False, max_length=200)
    reason = forms.CharField(
        label=_("Reason for the change of ownership"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == TransferKind.SALE and not (data.get("buyer") or "").strip():
            self.add_error("buyer", _("Name the company that buys the machine."))
        return data


class RelocationForm(forms.Form):
    # Any country the vendor serves, named in the reader's language (django-countries).
    from_country = forms.ChoiceField(label=_("From country"), choices=world_countries)
    from_address = forms.CharField(label=_("From address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    to_country = forms.ChoiceField(label=_("To country"), choices=world_countries)
    to_address = forms.CharField(label=_("To address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    desired_date = DateField(label=_("Desired date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_country") and data.get("from_country") == data.get("to_country"):
            self.add_error("to_country", _("A relocation here crosses a border: choose another destination country."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EstimateForm(forms.Form):
    """The agent's cost estimate of an uncovered repair (the service checks the bounds again)."""

    amount = forms.DecimalField(
        label=_("Estimated cost"), min_value=Decimal("0.01"), max_value=ESTIMATE_MAX, max_digits=10, decimal_places=2
    )
    note = forms.CharField(
        label=_("Parts and labour"), max_length=ESTIMATE_NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class EstimateAnswerForm(forms.Form):
    """The customer's answer to a cost estimate."""

    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class ImportForm(forms.Form):
    organisation = forms.CharField(label=_("Customer number"), max_length=20)
    file = forms.FileField(label=_("CSV file"))
