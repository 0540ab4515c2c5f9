"""In-portal notifications: one per outbox e-mail to a person, the e-mail as their preference says,
mandatory messages always sent, and the daily digest over real SMTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from guichet.core.models import EmailChoice, Notification, NotificationCategory, NotificationPreference, OutboxMessage
from guichet.core.notifications import categories, digest, inbox
from guichet.core.notifications.outbox import enqueue
from guichet.core.notifications.tasks import send_notification_digests
from tests.accounts.factories import make_member

PACKAGE = Path(__import__("guichet").__file__).parent


def every_template() -> list[str]:
    """Every e-mail the contexts can send: a folder with a subject under some templates/notifications/."""
    return sorted({p.parent.name for p in PACKAGE.glob("**/templates/notifications/*/subject.txt")})


def reply_context(**extra: object) -> dict[str, object]:
    return {
        "number": "BE-2026-000123",
        "subject": "Copie de facture",
        "first_name": "Marie",
        "agent": "Luc",
        "body": "Voici la copie.",
        "url": f"{settings.SITE_URL}/fr/requests/BE-2026-000123/",
        **extra,
    }


@pytest.fixture
def marie(org_a):  # type: ignore[no-untyped-def]
    return make_member(org_a, email="marie@example.com", first_name="Marie", language="fr")


def test_every_template_has_a_category() -> None:
    unclassified = [t for t in every_template() if categories.known_category(t) is None]
    assert every_template() and unclassified == []


@pytest.mark.django_db
@pytest.mark.parametrize("template", every_template())
def test_each_kind_of_email_to_a_person_makes_their_notification(template: str, marie) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        message = enqueue(to="Marie@Example.com", template=template, language="fr", context=reply_context())
    [notification] = Notification.objects.filter(user=marie)
    assert notification.template == template
    assert notification.category == categories.category_of(template)
    assert notification.outbox == message and message is not None  # nobody chose otherwise: one e-mail each
    assert notification.email == Notification.Email.SENT
    assert notification.read_at is None
    with translation.override("fr"):
        assert inbox.title(notification)  # the subject renders in the reader's language


@pytest.mark.django_db
def test_title_is_read_in_the_readers_language_and_links_follow(marie) -> None:  # type: ignore[no-untyped-def]
    enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    notification = Notification.objects.get(user=marie)
    assert notification.link == "/fr/requests/BE-2026-000123/"
    assert notification.category == NotificationCategory.REQUESTS
    with translation.override("ro"):
        shown = inbox.shown(notification)
    assert shown.title == "Răspuns nou la solicitarea dumneavoastră BE-2026-000123"
    assert shown.url == "/ro/requests/BE-2026-000123/"
    assert shown.summary == "Copie de facture"
    with translation.override("fr"):
        assert inbox.title(notification) == "Nouvelle réponse à votre demande BE-2026-000123"


@pytest.mark.django_db
def test_addresses_of_nobody_make_no_notification(marie) -> None:  # type: ignore[no-untyped-def]
    enqueue(to="licences@vendor.example", template="contract_destruction_confirmed", language="fr", context={})
    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_an_inactive_account_gets_no_notification(marie) -> None:  # type: ignore[no-untyped-def]
    marie.is_active = False
    marie.save()
    enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_secrets_of_prerendered_mail_stay_in_the_outbox(marie) -> None:  # type: ignore[no-untyped-def]
    context = {"subject": "Réinitialisation du mot de passe", "text": "https://x/reset/SECRET", "html": "SECRET"}
    enqueue(to=marie.email, template="rendered", language="fr", context=context)
    notification = Notification.objects.get(user=marie)
    assert notification.context == {"subject": "Réinitialisation du mot de passe"}
    assert notification.mandatory and notification.category == NotificationCategory.ACCOUNT
    assert inbox.title(notification) == "Réinitialisation du mot de passe"


@pytest.mark.django_db
def test_invitation_link_is_not_kept(marie) -> None:  # type: ignore[no-untyped-def]
    enqueue(
        to=marie.email,
        template="invitation",
        language="fr",
        context={"organisation": "Org", "inviter": "Luc", "url": f"{settings.SITE_URL}/fr/invitations/SIGNED/"},
    )
    assert Notification.objects.get(user=marie).link == ""


@pytest.mark.django_db
def test_email_off_sends_nothing_but_the_notification_is_there(marie) -> None:  # type: ignore[no-untyped-def]
    inbox.set_preferences(marie.pk, {"requests": "off"})
    message = enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    assert message is None and OutboxMessage.objects.count() == 0
    notification = Notification.objects.get(user=marie)
    assert notification.email == Notification.Email.OFF and notification.outbox is None
    # Other categories keep their e-mail.
    assert enqueue(to=marie.email, template="order_shipment_update", language="fr", context={}) is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    ["contract_vendor_termination", "contract_termination_effective", "billing_invoice_issued", "otp_locked"],
)
def test_mandatory_messages_are_sent_whatever_the_preference(template: str, marie) -> None:  # type: ignore[no-untyped-def]
    inbox.set_preferences(marie.pk, {c.value: "off" for c in NotificationCategory})
    message = enqueue(to=marie.email, template=template, language="fr", context={"number": "C-1"})
    assert message is not None and message.template == template
    notification = Notification.objects.get(user=marie)
    assert notification.mandatory and notification.email == Notification.Email.SENT


@pytest.mark.django_db
def test_the_account_category_cannot_be_turned_off(marie) -> None:  # type: ignore[no-untyped-def]
    inbox.set_preferences(marie.pk, {"account": "off", "contracts": "digest"})
    assert not NotificationPreference.objects.filter(user=marie, category="account").exists()
    prefs = {p.category: p for p in inbox.preferences_of(marie.pk)}
    assert prefs[NotificationCategory.ACCOUNT].mandatory and prefs[NotificationCategory.ACCOUNT].email == "each"
    assert prefs[NotificationCategory.CONTRACTS].email == EmailChoice.DIGEST


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_neither_email_nor_notification(marie) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0 and OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_mark_read_touches_only_ones_own(marie, customer_b) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    enqueue(to=customer_b.email, template="request_agent_reply", language="ro", context=reply_context())
    mine = list(Notification.objects.filter(user=marie).order_by("id").values_list("pk", flat=True))
    theirs = Notification.objects.get(user=customer_b)
    assert inbox.unread_count(marie.pk) == 3
    assert inbox.mark_read(marie.pk, [mine[0], theirs.pk]) == 1
    assert inbox.unread_count(marie.pk) == 2 and inbox.unread_count(customer_b.pk) == 1
    assert inbox.mark_read(marie.pk) == 2
    assert inbox.unread_count(marie.pk) == 0 and inbox.unread_count(customer_b.pk) == 1
    assert [n.pk for n in inbox.of_user(marie.pk)] == mine[::-1]  # newest first


@pytest.mark.django_db
def test_the_bell_count_is_one_query(marie, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    with django_assert_num_queries(1):
        assert inbox.unread_count(marie.pk) == 1


# --- the daily digest ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_digest_gathers_the_days_messages_in_one_email_in_the_persons_language(smtp_sink, org_a) -> None:  # type: ignore[no-untyped-def]
    marie = make_member(org_a, email="marie@example.com", first_name="Marie", language="ro")
    inbox.set_preferences(marie.pk, {"requests": "digest", "orders": "digest"})
    with transaction.atomic():
        assert enqueue(to=marie.email, template="request_agent_reply", language="ro", context=reply_context()) is None
        assert enqueue(to=marie.email, template="request_resolved", language="ro", context=reply_context()) is None
        # A mandatory one still goes out at once, and is not in the digest.
        enqueue(to=marie.email, template="otp_locked", language="ro", context={"minutes": 15})
    [locked] = smtp_sink.wait_for(1)
    assert OutboxMessage.objects.count() == 1
    assert Notification.objects.filter(email=Notification.Email.DIGEST).count() == 2

    assert send_notification_digests() == 1
    received = smtp_sink.wait_for(2)
    [mail] = [m for m in received if m is not locked]
    assert "2" in mail["Subject"] and "rezumat" in mail["Subject"].lower()
    text = smtp_sink.text(mail)
    assert "Răspuns nou la solicitarea dumneavoastră BE-2026-000123" in text
    assert f"{settings.SITE_URL}/ro/requests/BE-2026-000123/" in text
    assert "Marie" in text
    assert Notification.objects.filter(email=Notification.Email.DIGESTED).count() == 2
    assert Notification.objects.count() == 3  # the digest itself makes no notification

    # Run again the same day: nothing new, nothing sent; a new message waits for tomorrow's.
    assert send_notification_digests() == 0
    enqueue(to=marie.email, template="request_closed", language="ro", context=reply_context())
    assert send_notification_digests() == 0
    assert len(smtp_sink.messages) == 2
    OutboxMessage.objects.filter(template=digest.DIGEST_TEMPLATE).update(created_at=timezone.now() - timedelta(days=1))
    assert send_notification_digests() == 1
    assert len(smtp_sink.wait_for(3)) == 3


@pytest.mark.django_db
def test_every_kind_of_email_can_be_held_for_the_digest_unless_mandatory(marie) -> None:  # type: ignore[no-untyped-def]
    inbox.set_preferences(marie.pk, {c.value: "digest" for c in NotificationCategory})
    for template in every_template():
        enqueue(to=marie.email, template=template, language="fr", context=reply_context())
    sent = set(OutboxMessage.objects.values_list("template", flat=True))
    assert sent == {t for t in every_template() if categories.is_mandatory(t)}
    assert Notification.objects.filter(user=marie).count() == len(every_template())


@pytest.mark.django_db
def test_the_command_sends_the_digests_without_beat(marie, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    inbox.set_preferences(marie.pk, {"requests": "digest"})
    enqueue(to=marie.email, template="request_agent_reply", language="fr", context=reply_context())
    call_command("send_notification_digests")
    assert "1" in capsys.readouterr().out
    [mail] = OutboxMessage.objects.filter(template="digest")
    assert mail.to == marie.email and mail.language == "fr"
    assert mail.context["items"][0]["title"] == "Nouvelle réponse à votre demande BE-2026-000123"
