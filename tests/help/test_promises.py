"""Every e-mail an article promises is one the portal sends (issue 14, item 14).

An article that says "you receive an e-mail confirmation" or "an e-mail tells you …" is listed here with
the notification templates that keep the promise; the test checks that each template exists in its
three formats' home and that a service really enqueues it. A new promise in an article fails until it
is listed (with the template that keeps it), so no article can promise an e-mail nobody sends. The
buttons articles name are checked in test_facts.py; the facts (phones, e-mails, links) there too.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from guichet.help.content import bundled_topics

PACKAGE = Path(settings.BASE_DIR) / "src" / "guichet"

# "you receive an e-mail", "an e-mail confirmation", "by e-mail with the confirmation", …
PROMISE = re.compile(
    r"\b(?:receive|get) (?:a request number and )?an e-mail\b|\ban e-mail confirm|\breach you by e-mail\b"
)
# What the vendor sends outside the portal (the ServicePac order confirmation is the vendor's own e-mail).
VENDORS_OWN = {"activate-servicepac": "the vendor's order confirmation, before the portal is involved"}
REQUEST_MAILS = ("request_received", "request_assigned", "request_resolved")
KEPT_BY = {
    "add-cancel-services": REQUEST_MAILS,
    "contact-support": ("request_received",),
    "contract-question-unanswered": REQUEST_MAILS,
    "invoice-dispute": REQUEST_MAILS,
    "maintenance-contract-questions": REQUEST_MAILS,
    "renew-maintenance-contract": REQUEST_MAILS,
    "submit-request-online": ("request_received",),
    "terminate-software-licence": ("contract_termination_effective",),
    "buytech-payment-to-vendor": ("buytech_order_confirmed",),
}


def promising_articles() -> set[str]:
    return {topic.slug for topic in bundled_topics() if PROMISE.search(topic.translations["en"].body)}


def _enqueued(template: str) -> bool:
    quoted = (f'"{template}"', f"'{template}'")
    sources = (p.read_text(encoding="utf-8") for p in PACKAGE.glob("**/*.py") if "migrations" not in p.parts)
    return any(q in text for text in sources for q in quoted)


def test_the_promise_finder_reads_the_articles_wording() -> None:
    assert PROMISE.search("You receive a request number and an e-mail confirmation, and you are told …")
    assert PROMISE.search("The instructions reach you by e-mail with the confirmation.")
    assert not PROMISE.search("Write to the e-mail address of the support centre.")


def test_every_promised_e_mail_is_listed_with_the_notifications_that_keep_it() -> None:
    promising = promising_articles()
    assert len(promising) >= 8, promising
    assert not promising - set(KEPT_BY) - set(VENDORS_OWN), sorted(promising - set(KEPT_BY) - set(VENDORS_OWN))
    assert not set(KEPT_BY) - promising, "listed articles that promise nothing any more"


def test_each_notification_a_promise_names_exists_and_a_service_sends_it() -> None:
    problems = []
    for slug, templates in KEPT_BY.items():
        for template in templates:
            folders = list(PACKAGE.glob(f"*/templates/notifications/{template}"))
            if not folders or not {"subject.txt", "body.txt", "body.html"} <= {p.name for p in folders[0].iterdir()}:
                problems.append(f"{slug}: notifications/{template} is missing a part")
            if not _enqueued(template):
                problems.append(f"{slug}: nothing enqueues {template}")
    assert not problems, "\n".join(problems)
