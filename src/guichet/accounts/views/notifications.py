"""The bell, the notifications page, marking read, and the e-mail preferences (anyone signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.core import audit
from guichet.core.models import Notification
from guichet.core.notifications import inbox
from guichet.core.notifications.categories import MANDATORY_WHY
from guichet.core.pagination import page_of

from ..forms import NotificationPreferencesForm, NotificationsReadForm
from ..http import PortalRequest

# htmx stops polling on this answer: a signed-out page's bell asks no more.
STOP_POLLING = 286


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header's unread count, fetched by htmx on load and every 30 seconds."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    unread = inbox.unread_count(request.user.pk)
    return render(request, "accounts/partials/notification_count.html", {"unread": unread})


@require_GET
@login_required
def notifications(request: PortalRequest) -> HttpResponse:
    return _page(request)


def _page(request: PortalRequest, errors: list[str] | None = None) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = page_of(request, "notifications", inbox.of_user(request.user.pk, unread_only=unread_only))
    return render(
        request,
        "accounts/notifications.html",
        {
            "page": page,
            "items": [inbox.shown(n) for n in page],
            "unread_only": unread_only,
            "unread": inbox.unread_count(request.user.pk),
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("portal:notifications"), status=303)


@require_POST
@login_required
def mark_read(request: PortalRequest) -> HttpResponse:
    form = NotificationsReadForm(request.POST)
    if not form.is_valid():
        return _page(request, errors=[str(e) for errors in form.errors.values() for e in errors])
    ids = None if form.cleaned_data["all"] else form.cleaned_data["id"]
    marked = inbox.mark_read(request.user.pk, ids)
    if marked:
        messages.success(request, _("Marked as read."))
    return _back()


@require_POST
@login_required
def open_notification(request: PortalRequest, pk: int) -> HttpResponse:
    """Mark one read and go to what it is about; someone else's answers like a missing one."""
    notification = Notification.objects.filter(pk=pk, user_id=request.user.pk).first()
    if notification is None:
        raise Http404
    inbox.mark_read(request.user.pk, [notification.pk])
    target = inbox.link(notification)
    return HttpResponseRedirect(target, status=303) if target else _back()


@login_required
def preferences(request: PortalRequest) -> HttpResponse:
    current = inbox.preferences_of(request.user.pk)
    form = NotificationPreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST":
        if form.is_valid():
            inbox.set_preferences(request.user.pk, form.cleaned_data)
            audit.record("notifications.preferences", actor=request.user, data=form.cleaned_data, request=request)
            messages.success(request, _("Your notification preferences have been saved."))
            return HttpResponseRedirect(reverse("portal:notification_preferences"), status=303)
        status = 400
    else:
        status = 200
    mandatory = [{"label": p.category.label, "why": MANDATORY_WHY.get(p.category, "")} for p in current if p.mandatory]
    partly = [
        {"label": category.label, "why": why}
        for category, why in MANDATORY_WHY.items()
        if not inbox.category_is_mandatory(category)
    ]
    return render(
        request,
        "accounts/notification_preferences.html",
        {"form": form, "mandatory": mandatory, "partly": partly},
        status=status,
    )
