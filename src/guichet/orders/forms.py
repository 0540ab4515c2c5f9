"""Forms of the order pages: list filters, and the agents' parcel and status forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import DomainError
from guichet.core.forms import DateField

from .carriers import carriers_for, check_tracking_number, get_carrier
from .models import Order, OrderStatus, ShipmentStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All orders")), ("open", _("Not yet delivered")), *OrderStatus.choices],
    )
    date_from = DateField(label=_("Ordered from"), required=False, widget=DateInput())
    date_to = DateField(label=_("Ordered until"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Search"), required=False, max_length=60)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return data


class ShipmentForm(forms.Form):
    """A parcel: carrier, tracking number, and one quantity field per order line still to ship."""

    carrier = forms.ChoiceField(label=_("Carrier"))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order
        cast(forms.ChoiceField, self.fields["carrier"]).choices = [
            (c.code, c.name) for c in carriers_for(order.organisation.country)
        ]
        self.line_fields: list[str] = []
        for line in order.lines.all():
            left = max(line.quantity - line.in_parcels, 0) if not line.cancelled else 0  # type: ignore[attr-defined]
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{line.product_code} — {line.description}",
                required=False,
                min_value=0,
                max_value=left,
                initial=0,
                help_text=_("%(left)s of %(ordered)s left to ship") % {"left": left, "ordered": line.quantity},
            )
            self.line_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        carrier, number = data.get("carrier"), data.get("tracking_number")
        if carrier and number:
            try:
                data["tracking_number"] = check_tracking_number(get_carrier(carrier), number)
            except DomainError as error:
                self.add_error("tracking_number", str(error.message))
        if not any(data.get(name) for name in self.line_fields):
            raise forms.ValidationError(_("Put at least one item in the parcel."))
        return data

    def quantities(self) -> dict[int, int]:
        return {
            int(name.removeprefix("line_")): self.cleaned_data[name]
            for name in self.line_fields
            if self.cleaned_data.get(name)
        }


class ShipmentStatusForm(forms.Form):
    shipment = forms.ChoiceField(label=_("Parcel"))
    status = forms.ChoiceField(label=_("New status"), choices=ShipmentStatus.choices)
    location = forms.CharField(label=_("Location"), required=False, max_length=120)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["shipment"]).choices = [
            (s.tracking_number, f"{s.carrier_name} {s.tracking_number}") for s in order.shipments.all()
        ]


class ConsoleSearchForm(forms.Form):
    q = forms.CharField(label=_("Order number, purchase order or tracking number"), required=False, max_length=60)
    status = OrderFilterForm.base_fields["status"]
