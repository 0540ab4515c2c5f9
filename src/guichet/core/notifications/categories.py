"""Which category each e-mail template belongs to, and which e-mails nobody may turn off.

The kernel knows template names only (each context keeps its templates under
`templates/notifications/<name>/`); `tests/core/test_notification_categories.py` fails
when a template has no category here, so a new e-mail cannot slip in unclassified.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import NotificationCategory

Category = NotificationCategory

# By the start of the template's name; the first that matches wins.
_BY_PREFIX: tuple[tuple[str, NotificationCategory], ...] = (
    ("request_", Category.REQUESTS),
    ("repair_", Category.INVENTORY),
    ("relocation_", Category.INVENTORY),
    ("transfer_", Category.INVENTORY),
    ("inventory_", Category.INVENTORY),
    ("contract_", Category.CONTRACTS),
    ("order_", Category.ORDERS),
    ("billing_", Category.INVOICES),
    ("buytech_", Category.BUYTECH),
    ("access_", Category.ACCESS),
    ("join_", Category.ACCESS),
    ("invitation", Category.ACCESS),
    ("otp_", Category.ACCOUNT),
    ("rendered", Category.ACCOUNT),  # allauth's: address verification, password reset, sign-up notices
    ("digest", Category.ACCOUNT),
)

# Sent whatever the person's preferences say, each as it happens (never held for a digest):
# - legal notices: an invoice the organisation chose to receive by e-mail (its delivery), the
#   vendor's termination of a contract and a termination taking effect;
# - security and the account itself: sign-in locks, address verification and password e-mails
#   (allauth's, all `rendered`), invitations to join an organisation.
MANDATORY_TEMPLATES = frozenset(
    {
        "billing_invoice_issued",
        "contract_vendor_termination",
        "contract_termination_effective",
        "otp_locked",
        "rendered",
        "invitation",
        "digest",
    }
)

# A whole category nobody may turn off: the account's own security messages.
MANDATORY_CATEGORIES = frozenset({Category.ACCOUNT})


def known_category(template: str) -> NotificationCategory | None:
    """The template's category, or None for one not classified (the test above refuses that)."""
    for prefix, category in _BY_PREFIX:
        if template.startswith(prefix):
            return category
    return None


def category_of(template: str) -> NotificationCategory:
    # An unclassified template is filed with the account's messages, which are mandatory: a
    # missing line here must never silence an e-mail.
    return known_category(template) or Category.ACCOUNT


def is_mandatory(template: str) -> bool:
    return template in MANDATORY_TEMPLATES or category_of(template) in MANDATORY_CATEGORIES


# What the preferences page says stays an e-mail, per category (keep in step with the sets above).
MANDATORY_WHY: dict[NotificationCategory, Promise] = {
    Category.CONTRACTS: _("Always sent: the vendor's termination of a contract, and a termination taking effect."),
    Category.INVOICES: _("Always sent: invoices your organisation chose to receive by e-mail."),
    Category.ACCESS: _("Always sent: invitations to join an organisation."),
    Category.ACCOUNT: _(
        "Always sent, one by one: address verification, password, sign-in locks and other security messages."
    ),
}
