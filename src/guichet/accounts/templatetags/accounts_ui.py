from django import template

from ..models import Application

register = template.Library()


@register.filter
def application_label(code: str) -> str:
    """The application's name in the active language (e-mails store only the code)."""
    try:
        return str(Application(code).label)
    except ValueError:
        return code
