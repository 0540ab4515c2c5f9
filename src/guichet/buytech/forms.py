"""Forms of the Buy Tech pages; the API validates with the same ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField

from .models import ClaimRemedy, Condition, ProductKind


class CatalogueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ProductKind.choices])
    condition = forms.ChoiceField(
        label=_("Condition"), required=False, choices=[("", _("New and certified used")), *Condition.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)


class AddToCartForm(forms.Form):
    sku = forms.CharField(max_length=32)
    # No quota (the program's FAQ): the only bound is the stock, checked when the cart is updated.
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, initial=1)


class AttestationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm, on behalf of my organisation, that it does not discriminate in any form."),
        required=True,
    )


class PositionsField(forms.TypedMultipleChoiceField):
    def __init__(self, positions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(choices=positions, coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)


class CancelForm(forms.Form):
    def __init__(self, *args: Any, positions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["positions"] = PositionsField(positions, label=_("Items to cancel"))


class ReturnForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    reason = forms.CharField(
        label=_("Reason for the return"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, positions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["positions"] = PositionsField(positions, label=_("Items to return"))


class ClaimForm(forms.Form):
    description = forms.CharField(
        label=_("What is wrong with the device?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    remedy = forms.ChoiceField(label=_("What would you like?"), choices=ClaimRemedy.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, positions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"] = forms.TypedChoiceField(label=_("Defective item"), choices=positions, coerce=int)
        self.order_fields(["position", "description", "remedy"])


# --- console ------------------------------------------------------------------------------------------------


class EligibilityForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Partner verdict"),
        choices=[("eligible", _("Eligible")), ("refused", _("Refused")), ("pending", _("Pending"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PartnerImportForm(forms.Form):
    file = forms.FileField(label=_("Partner CSV file"), help_text=_("Columns: customer_number, partner_id, status."))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received"), max_digits=12, decimal_places=2, min_value=0)


class ShipmentForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40)
    dispatched_on = DateField(label=_("Dispatched on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, positions: list[tuple[int, str]], carriers: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = carriers  # type: ignore[attr-defined]
        self.fields["positions"] = PositionsField(positions, label=_("Items in this shipment"))


class DeliveredForm(forms.Form):
    delivered_on = DateField(label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_delivered_on(self) -> date:
        value: date = self.cleaned_data["delivered_on"]
        return value


class SubstituteForm(forms.Form):
    sku = forms.ChoiceField(label=_("Substitute"))
    note = forms.CharField(label=_("Note for the customer"), max_length=500)

    def __init__(self, *args: Any, positions: list[tuple[int, str]], products: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["position"] = forms.TypedChoiceField(label=_("Item"), choices=positions, coerce=int)
        self.fields["sku"].choices = products  # type: ignore[attr-defined]
        self.order_fields(["position", "sku", "note"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))], label=_("Decision"))
    text = forms.CharField(
        label=_("Return instructions, or the reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class VendorCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
