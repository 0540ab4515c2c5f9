"""Print the current TOTP code of a demo account, so a tester can sign in as an agent."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from .seed_demo import DEMO_EMAILS


def current_code(email: str) -> str:
    if email not in DEMO_EMAILS:
        raise CommandError("demo_otp works only for the demo accounts of docs/interfaces.md.")
    authenticator = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise CommandError(f"{email} has no TOTP enrolled; run `guichet seed_demo` first.")
    secret = decrypt(authenticator.data["secret"])
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (refused for any other account)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        self.stdout.write(current_code(email.strip().lower()))
