"""Forms: parse and validate input; every message translated."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.core.countries import country_name
from guichet.core.languages import language_choices, offers
from guichet.core.models import Country, EmailChoice
from guichet.core.notifications.inbox import Preference

from .models import Application, Language, User


def normalise_phone(raw: str, country: str) -> str:
    """E.164 form of a phone typed as people write it in `country`; ValidationError if not a number."""
    try:
        parsed = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise forms.ValidationError(_("Enter a valid phone number for the chosen country."), code="invalid_phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class ProfileFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        help_text=_("As you would dial it in your country, or with the international prefix."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)


class RegistrationForm(ProfileFieldsMixin):
    """Extra fields of allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    company_name = forms.CharField(
        label=_("Company or organisation name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    customer_number = forms.CharField(
        label=_("Customer number (if you know it)"),
        max_length=20,
        required=False,
        help_text=_("It is printed on your invoices and contracts."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    consent_contact = forms.BooleanField(
        label=_(
            "I agree that my personal data is stored and used to contact me about my requests "
            "and my organisation's business with the vendor."
        ),
        error_messages={"required": _("We need this consent to create your identity.")},
    )
    consent_transfer = forms.BooleanField(
        label=_(
            "I agree that my personal data may be transferred outside my country of residence, "
            "to the vendor's support centres that handle my requests."
        ),
        error_messages={"required": _("We need this consent to create your identity.")},
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "company_name",
        "customer_number",
        "country",
        "language",
        "password1",
        "password2",
        "consent_contact",
        "consent_transfer",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (get_language() or "en")[:2]
        if current in Language.values:
            self.fields["language"].initial = current

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country = cleaned.get("country")
        if cleaned.get("phone") and country:
            try:
                cleaned["phone"] = normalise_phone(cleaned["phone"], country)
            except forms.ValidationError as error:
                self.add_error("phone", error)
        if country and cleaned.get("language") and not offers(country, cleaned["language"]):
            self.add_error("language", _language_not_offered(country))
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        from .services import customer_register

        customer_register(user=user, data=self.cleaned_data, request=request)


def _language_not_offered(country: str) -> forms.ValidationError:
    names = ", ".join(str(name) for _code, name in language_choices(country))
    return forms.ValidationError(
        _("Choose a language offered in %(country)s: %(languages)s."),
        code="language_not_offered",
        params={"country": country_name(country), "languages": names},
    )


class ProfileForm(ProfileFieldsMixin):
    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"], self.country)


class AccessRequestForm(forms.Form):
    application = forms.ChoiceField(label=_("Application"), choices=Application.choices)
    note = forms.CharField(
        label=_("Note for the person who decides (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, applications: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if applications is not None:  # only those the organisation's country offers
            self.fields["application"].choices = applications  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", _("Grant")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason (sent to the customer)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "refuse" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the customer a reason for the refusal."))
        return cleaned


class GrantForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    application = forms.ChoiceField(choices=Application.choices, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("grant", _("Grant")), ("revoke", _("Revoke"))], widget=forms.HiddenInput)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"), max_length=254)


class ApplicantDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])


class NotificationPreferencesForm(forms.Form):
    """One choice per category a person may change; mandatory ones have no field (the page says why)."""

    def __init__(self, *args: Any, preferences: list[Preference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for preference in preferences:
            if preference.mandatory:
                continue
            self.fields[preference.category.value] = forms.ChoiceField(
                label=preference.category.label,
                choices=EmailChoice.choices,
                initial=preference.email.value,
                widget=forms.RadioSelect,
                required=False,  # a category left out keeps its choice
            )


class NotificationIds(forms.Field):
    """Notification ids as a form posts them (`id=3&id=5`): whole numbers, at most 100."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > 100:
            raise forms.ValidationError(_("Mark at most 100 notifications at a time."))
        for item in values:
            if not str(item).isdigit() or len(str(item)) > 18:
                raise forms.ValidationError(_("This is not a notification."))
        return [int(item) for item in values]


class NotificationsReadForm(forms.Form):
    """Mark read: the ids listed, or every unread notification with `all`."""

    id = NotificationIds(required=False)
    all = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("all") and not cleaned.get("id"):
            raise forms.ValidationError(_("Choose the notifications to mark as read."))
        return cleaned
