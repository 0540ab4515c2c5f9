"""Presentation helpers for request pages: status badges, type fields, business durations."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation
from guichet.core.countries import get_centre
from guichet.core.rows import CASE_STATUS_CSS, labels

from .. import rows, rules
from ..forms import RequestForm, _type_fields, question_form
from ..models import Priority, Request, RequestType, Status
from ..rows import SLA_CSS, STATUS_CSS, sla_labels

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    return labels(Status).get(value, value)


@register.filter
def status_css(value: str) -> str:
    return STATUS_CSS.get(value, "text-bg-secondary")  # type: ignore[call-overload]


@register.filter
def type_label(value: str) -> str:
    return labels(RequestType).get(value, value)


@register.filter
def priority_label(value: str) -> str:
    return labels(Priority).get(value, value)


@register.filter
def type_explanation(value: str) -> str:
    explanations = {
        RequestType.CONTRACTS: _("A question about a contract, its renewal, a licence or a termination."),
        RequestType.ORDERS: _("An order, its delivery, a shipment or a missing item."),
        RequestType.INVENTORY: _("An installed machine: its coverage, maintenance, a repair or a move."),
        RequestType.INVOICES: _("An invoice, a payment, a credit note or a statement."),
        RequestType.ACCOUNT: _("Your access to the portal, your colleagues' access or your profile."),
        RequestType.GENERAL: _("Anything else."),
    }
    return explanations.get(value, "")  # type: ignore[call-overload]


@register.filter
def sla_css(state: str) -> str:
    return SLA_CSS.get(state, "text-bg-secondary")


@register.filter
def sla_label(state: str) -> str:
    return sla_labels().get(state, state)


@register.filter
def business_duration(value: timedelta | None) -> str:
    """ "3 h 05 min" of business time, sign dropped (the badge says whether it is late)."""
    return rows.business_duration(value)


@lru_cache(maxsize=64)
def _detail_fields(request_type: str, language: str) -> tuple[tuple[str, str, dict[Any, Any] | None], ...]:
    # The type's fields built once per type and language (`language`, what their labels are
    # printed in, is part of the key), not at every view of a request's page: ~0.2 ms a view.
    return tuple(
        (name, str(field.label), dict(field.choices) if hasattr(field, "choices") else None)
        for name, field in _type_fields().get(request_type, {}).items()
    )


@register.filter
def detail_items(item: Request) -> list[tuple[str, str]]:
    """The type-specific fields of a request as (label, value), in the form's order, empty ones left out."""
    details = item.details if isinstance(item.details, dict) else {}
    rows = []
    for name, label, choices in _detail_fields(item.type, translation.get_language() or ""):
        value = details.get(name)
        if not value:
            continue
        if choices is not None:
            value = choices.get(value, value)
        rows.append((label, str(value)))
    return rows


@register.filter
def centre_tz(organisation: Organisation | None) -> str:
    """The time zone of the organisation's support centre, in which its dates are shown."""
    if organisation is None:
        return "UTC"
    return str(get_centre(organisation.country).timezone)


@register.filter
def may_reopen(item: Request) -> bool:
    if item.status not in (Status.RESOLVED, Status.CLOSED):
        return False
    since = item.closed_at or item.resolved_at or item.updated_at
    return rules.customer_may_reopen(item.status, timezone.now() - since)


@register.simple_tag
def suggesting_control(field: BoundField, url: str) -> SafeString:
    """The field's widget, styled like `control`, asking the help centre for suggestions as it changes."""
    attrs: dict[str, str | bool] = {
        "class": "form-control is-invalid" if field.errors else "form-control",
        "hx-get": url,
        "hx-trigger": "input changed delay:400ms",
        "hx-target": "#suggestions",
        # static/js/suggest_query.js sends the subject and the description together as `q`.
        "data-suggest-query": "",
        "hx-params": "q",
        "hx-swap": "innerHTML",
        "aria-controls": "suggestions",
    }
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def general_question_form(context: template.Context) -> RequestForm | None:
    """The general-question form for the help centre's contact page: anyone signed in for an
    organisation may ask a question, an identity is enough (domain.md). The help centre stands
    below My requests, so it asks for the form here, in its template, rather than importing it."""
    request = context.get("request")
    if request is None or getattr(request, "organisation", None) is None:
        return None
    return question_form(request)


@register.filter
def case_status_css(status: str) -> str:
    """A case's status badge (the shared vocabulary of the case index)."""
    return CASE_STATUS_CSS.get(status, "text-bg-secondary")  # type: ignore[call-overload]
