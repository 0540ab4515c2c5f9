"""Who may report a parcel's status: an HMAC-SHA256 signature over the timestamp and the raw body.

The sender computes `hex(HMAC-SHA256(secret, f"{timestamp}." + body))` and sends it
as `X-Guichet-Signature: sha256=<hex>`, with the Unix time in `X-Guichet-Timestamp`.
The timestamp is inside the signed bytes, so an old request cannot be replayed with
a new timestamp; a timestamp more than five minutes away from ours is refused.
Each integration has its own secret, bound to the carriers it may report for
(`SHIPMENT_WEBHOOK_SECRETS="ups:…,bpost:…,hub=dhl+fedex:…"`): an entry named after a
carrier reports for that carrier only, `name=carrier+carrier` for the carriers listed,
and a valid signature for another carrier's parcel is refused (403). During a
rotation two entries may carry the same name.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import DomainError

from . import rules
from .errors import Code

SIGNATURE_HEADER = "X-Guichet-Signature"
TIMESTAMP_HEADER = "X-Guichet-Timestamp"
SIGNATURE_PREFIX = "sha256="


class WebhookUnauthorised(DomainError):
    code = Code.BAD_SIGNATURE
    status = 401


class CarrierNotAllowed(DomainError):
    code = Code.CARRIER_NOT_ALLOWED
    status = 403


@dataclass(frozen=True)
class Integration:
    name: str
    carriers: frozenset[str]

    def ensure_may_report(self, carrier: str) -> None:
        if carrier not in self.carriers:
            raise CarrierNotAllowed(
                _("This integration's secret may not report events for the carrier %(carrier)s.") % {"carrier": carrier}
            )


class WebhookNotConfigured(DomainError):
    """No secret set up: nothing can be verified, so nothing is accepted (a 401, like a bad signature)."""

    code = Code.WEBHOOK_NOT_CONFIGURED
    status = 401


def configured_secrets(raw: str | None = None) -> list[tuple[Integration, bytes]]:
    """`name:secret` or `name=carrier+carrier:secret` from the setting; an entry without a name or a
    secret is ignored. A bare name is the one carrier it reports for."""
    raw = settings.SHIPMENT_WEBHOOK_SECRETS if raw is None else raw
    pairs = []
    for item in raw.split(","):
        label, _sep, secret = item.strip().partition(":")
        name, bound, carriers = label.strip().partition("=")
        if name.strip() and secret.strip():
            allowed = carriers.split("+") if bound else [name]
            integration = Integration(name.strip(), frozenset(c.strip() for c in allowed if c.strip()))
            pairs.append((integration, secret.strip().encode()))
    return pairs


def sign(secret: bytes | str, timestamp: int | str, body: bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(body: bytes, signature: str, timestamp: str, now: datetime | None = None) -> Integration:
    """The integration whose secret signed `body`; else a 401."""
    secrets = configured_secrets()
    if not secrets:
        raise WebhookNotConfigured(_("Shipment events are not accepted: no webhook secret is configured."))
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise WebhookUnauthorised(_("Missing or malformed timestamp."), code=Code.BAD_TIMESTAMP) from None
    if not rules.timestamp_fresh(sent_at, now or datetime.now(tz=UTC)):
        raise WebhookUnauthorised(_("The timestamp is too old or in the future."), code=Code.STALE_TIMESTAMP)
    if not signature.startswith(SIGNATURE_PREFIX):
        raise WebhookUnauthorised(_("Missing or malformed signature."))
    matched: Integration | None = None
    for integration, secret in secrets:
        # Compare against every secret, whatever matched before: the time taken tells nothing.
        if hmac.compare_digest(sign(secret, timestamp, body), signature) and matched is None:
            matched = integration
    if matched is None:
        raise WebhookUnauthorised(_("The signature does not match."))
    return matched
