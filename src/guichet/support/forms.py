"""Request forms: common fields, the fields each type needs, files checked by content."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.forms import normalise_phone
from guichet.accounts.models import Application
from guichet.accounts.rules import application_offered
from guichet.core import case_selectors, references
from guichet.core.forms import MultipleFileField
from guichet.core.models import CaseStatus

from . import rules
from .models import Priority, RequestType, Status

NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,29}$")
MACHINE_TYPE = re.compile(r"^[A-Za-z0-9]{4}$")
MACHINE_MODEL = re.compile(r"^[A-Za-z0-9]{3}$")
SERIAL = re.compile(r"^[A-Za-z0-9]{5,12}$")


def _pattern(pattern: re.Pattern[str], message: Any) -> Any:
    def validate(value: str) -> None:
        if value and not pattern.match(value):
            raise forms.ValidationError(message)

    return validate


@functools.cache
def _type_fields() -> dict[str, dict[str, forms.Field]]:
    """The specific fields of each request type (the customer adds only these).

    Built once per process (labels and messages are lazy: translated where they are shown), as
    Django builds a form class's declared fields once: a form takes its own copy of its type's
    fields (`RequestForm`), the other callers only read them. Building all of them for every form
    was a quarter of the request form's own CPU."""
    number = _("Use letters, digits and dashes, as printed on your documents.")
    return {
        "contracts": {
            "contract_number": forms.CharField(
                label=_("Contract number"), max_length=30, validators=[_pattern(NUMBER, number)]
            ),
        },
        "orders": {
            "order_number": forms.CharField(
                label=_("Order number"), max_length=30, validators=[_pattern(NUMBER, number)]
            ),
        },
        "inventory": {
            "machine_type": forms.CharField(
                label=_("Machine type"),
                max_length=4,
                help_text=_("4 characters, e.g. 8286"),
                validators=[_pattern(MACHINE_TYPE, _("The machine type has 4 letters or digits."))],
            ),
            "machine_model": forms.CharField(
                label=_("Model"),
                max_length=3,
                required=False,
                validators=[_pattern(MACHINE_MODEL, _("The model has 3 letters or digits."))],
            ),
            "serial": forms.CharField(
                label=_("Serial number"),
                max_length=12,
                validators=[_pattern(SERIAL, _("The serial number has 5 to 12 letters or digits."))],
            ),
        },
        "invoices": {
            "invoice_number": forms.CharField(
                label=_("Invoice number"), max_length=30, validators=[_pattern(NUMBER, number)]
            ),
        },
        "account": {
            "application": forms.ChoiceField(
                label=_("Application concerned"), choices=[("", "—"), *Application.choices], required=False
            ),
        },
        "general": {},
    }


TYPE_FIELD_NAMES = {kind: list(fields) for kind, fields in _type_fields().items()}
# Reference fields that offer the organisation's own values (core/references.py: the contexts owning them register).
REFERENCE_FIELDS = ("contract_number", "order_number", "invoice_number", "machine_type", "serial")


def prefilled(user: Any) -> dict[str, str]:
    """A request form's contact fields, filled from the registration profile."""
    return {"contact_name": user.get_full_name(), "contact_email": user.email, "contact_phone": user.phone}


def question_form(request: Any) -> RequestForm:
    """The general-question form the contact page offers to anyone signed in for an organisation."""
    return RequestForm(
        initial=prefilled(request.user), request_type=rules.QUESTION_TYPE, country=request.organisation.country
    )


class RequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    attachments = MultipleFileField(label=_("Attachments (PDF, images, office documents; 10 MB each)"), required=False)

    def __init__(self, *args: Any, request_type: str, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        self.country = country
        # This form's own copy, as Django copies the declared fields (one form's changes stay its own).
        specific = copy.deepcopy(_type_fields()[request_type])
        if "application" in specific:  # only the applications the organisation's country offers
            specific["application"].choices = [  # type: ignore[attr-defined]
                (value, label)
                for value, label in specific["application"].choices  # type: ignore[attr-defined]
                if not value or application_offered(value, country)
            ]
        # Type-specific fields right after the description.
        ordered = {}
        for name, field in self.fields.items():
            ordered[name] = field
            if name == "description":
                ordered.update(specific)
        self.fields = ordered
        self.suggestions: list[tuple[str, list[str]]] = []  # (datalist id, values): partials/datalist.html

    def offer_suggestions(self, organisation: Any) -> None:
        """Under each reference field, the organisation's own values; typed text stays free and validated."""
        for name in REFERENCE_FIELDS:
            if name in self.fields and (values := references.suggestions(organisation, name)):
                list_id = f"suggest-{name}"
                self.fields[name].widget.attrs["list"] = list_id
                self.suggestions.append((list_id, values))

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "")
        return normalise_phone(raw, self.country) if raw else ""

    def details(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in TYPE_FIELD_NAMES[self.request_type]}


class TypeChoiceForm(forms.Form):
    type = forms.ChoiceField(
        label=_("What is your request about?"), choices=RequestType.choices, widget=forms.RadioSelect
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), ("open", _("Open")), *Status.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class CaseFilterForm(forms.Form):
    """My requests: every case of the organisation the reader may see, by kind, status, words; sorted."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), ("active", _("Not finished")), *CaseStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("", "")] + [(f"{sign}{name}", name) for name in case_selectors.SORTS for sign in ("", "-")],
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("All")), *kinds]


# --- console --------------------------------------------------------------------------------


class AgentReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    internal = forms.BooleanField(label=_("Internal note (not shown to the customer)"), required=False)
    then = forms.ChoiceField(
        label=_("Then set the status to"),
        required=False,
        choices=[
            ("", _("(unchanged)")),
            (Status.IN_PROGRESS, Status.IN_PROGRESS.label),
            (Status.WAITING, Status.WAITING.label),
            (Status.RESOLVED, Status.RESOLVED.label),
        ],
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class BulkForm(forms.Form):
    numbers = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("assign_me", _("Assign to me")), ("close", _("Close"))])


class QueueFilterForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All")), ("BE", "BE"), ("CA", "CA"), ("RO", "RO")]
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All")), *RequestType.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        initial="open",
        choices=[("open", _("Open")), ("", _("All")), *Status.choices],
    )
    sla = forms.ChoiceField(
        label=_("Service level"),
        required=False,
        choices=[("", _("All")), ("at_risk", _("At risk")), ("breached", _("Breached"))],
    )
    assignee = forms.ChoiceField(
        label=_("Assigned"), required=False, choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
