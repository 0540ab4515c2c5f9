"""Coverage badges and labels for the inventory pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from guichet.inventory import rules
from guichet.inventory.models import Handling, ServiceLevel

register = template.Library()


@register.filter
def coverage_css(coverage: rules.Coverage) -> str:
    return {rules.CONTRACT: "text-bg-success", rules.WARRANTY: "text-bg-info"}.get(coverage.state, "text-bg-secondary")


@register.filter
def coverage_label(coverage: rules.Coverage) -> str:
    if coverage.state == rules.CONTRACT:
        return _("Maintenance contract")
    if coverage.state == rules.WARRANTY:
        return _("Warranty")
    return _("Not covered")


@register.filter
def service_level_label(value: str) -> str:
    try:
        return str(ServiceLevel(value).label)
    except ValueError:
        return value


@register.filter
def handling_label(value: str) -> str:
    try:
        return str(Handling(value).label)
    except ValueError:
        return value


@register.simple_tag
def machine_url(name: str, machine: object) -> str:
    from guichet.inventory.views.portal import machine_url as build

    return build(name, machine)  # type: ignore[arg-type]
