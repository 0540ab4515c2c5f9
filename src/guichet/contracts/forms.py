"""Forms of the contracts pages (and of the API, which validates with the same ones)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField
from guichet.inventory.models import machine_type_format, serial_format

from .models import ContractKind, ContractStatus


class ContractFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *ContractKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ContractStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContactFields(forms.Form):
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)

    def contact(self) -> dict[str, str]:
        return {
            "name": self.cleaned_data["contact_name"],
            "email": self.cleaned_data["contact_email"],
            "phone": self.cleaned_data["contact_phone"],
        }


class HardwareTerminationForm(ContactFields):
    coverages = forms.TypedMultipleChoiceField(
        label=_("Machines"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    effective_date = DateField(
        label=_("Effective date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the earliest date the notice period allows."),
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["coverages", "effective_date", "reason", "contact_name", "contact_email", "contact_phone"]

    def __init__(self, *args: Any, coverage_choices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["coverages"].choices = coverage_choices  # type: ignore[attr-defined]


class LicenceTerminationForm(ContactFields):
    effective_date = DateField(
        label=_("Cancellation date"),
        required=False,
        widget=DateInput(),
        help_text=_("At least 30 days from today. Leave empty for the earliest date."),
    )
    field_order = ["effective_date", "contact_name", "contact_email", "contact_phone"]


class DestructionForm(forms.Form):
    """After a monthly licence's cancellation took effect: every copy is destroyed."""

    confirm = forms.BooleanField(label=_("Every copy of the software has been destroyed."), required=True)


class EndOfTermForm(ContactFields):
    """Not renewing a subscription or program agreement; the date field only when no term fixes the day."""

    effective_date = DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("At least one month from today. Leave empty for the earliest date."),
    )
    lapse_acknowledged = forms.BooleanField(label=_("I have read what stops when the contract ends."), required=False)

    field_order = ["effective_date", "lapse_acknowledged", "contact_name", "contact_email", "contact_phone"]

    def __init__(self, *args: Any, date_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if date_fixed:
            del self.fields["effective_date"]


class ServicePacForm(forms.Form):
    code = forms.CharField(
        label=_("ServicePac code"),
        max_length=30,
        help_text=_("As written in the confirmation e-mail, e.g. SP-ABCD-EFGH-K."),
    )
    machine_type = forms.CharField(
        label=_("Machine type"), max_length=4, help_text=_("4 letters or digits, e.g. 8286.")
    )
    serial = forms.CharField(label=_("Serial number"), max_length=12)

    def clean_machine_type(self) -> str:
        value: str = self.cleaned_data["machine_type"].strip().upper()
        machine_type_format(value)
        return value

    def clean_serial(self) -> str:
        value: str = self.cleaned_data["serial"].strip().upper()
        serial_format(value)
        return value


class MachineLookupForm(ServicePacForm):
    """The machine-type + serial half of the ServicePac form: which contracts cover this machine."""

    code = None  # type: ignore[assignment]
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("csv", "CSV")], initial="pdf")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    note = forms.CharField(
        label=_("Note to the customer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: the customer reads it."),
    )


class VendorTerminationForm(forms.Form):
    coverages = forms.TypedMultipleChoiceField(
        label=_("Machines"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    effective_date = DateField(
        label=_("Effective date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the earliest date three months' notice allows."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, coverage_choices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["coverages"].choices = coverage_choices  # type: ignore[attr-defined]
