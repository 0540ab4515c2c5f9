"""Reads on the case index: an organisation's cases and its timeline, as one reader may see them.

Who sees what: the kinds of the applications the reader was granted (`cases.visible_kinds`),
plus the cases open to their requester (a question sent without the grant) that are theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from . import cases
from .models import Case, CaseActivity, CaseStatus

# Statuses that still ask something of someone: the "Open" filter.
ACTIVE_STATUSES = cases.ACTIVE
SORTS = ("updated_at", "number", "kind", "title", "status")
DEFAULT_SORT = "-updated_at"


@dataclass(frozen=True)
class Reader:
    """Who reads: their id, their granted applications in the organisation, whether they administer it."""

    user_id: int
    granted: frozenset[str]
    is_admin: bool

    def kinds(self) -> list[str]:
        return cases.visible_kinds(self.granted, is_admin=self.is_admin)


def _visible(organisation_id: int, reader: Reader) -> Q:
    kinds = reader.kinds()
    return (
        Q(organisation_id=organisation_id)
        & (Q(kind__in=kinds) | Q(open_to_requester=True, requester_id=reader.user_id))
        & _not_carried_by_one_of(kinds)
    )


def _not_carried_by_one_of(kinds: Sequence[str], prefix: str = "") -> Q:
    """A carried case (a dispute's request) is listed through its owner, when the reader sees the owner's kind.
    Without that grant it stays listed on its own, as before."""
    return Q(**{f"{prefix}carried_by__isnull": True}) | ~Q(**{f"{prefix}carried_by__kind__in": kinds})


def ordering_for(sort: str) -> tuple[str, str]:
    """A column sort (`number`, `-updated_at`, …) as a keyset ordering ending on the primary key."""
    name = sort.lstrip("-")
    if name not in SORTS:
        sort, name = DEFAULT_SORT, DEFAULT_SORT.lstrip("-")
    descending = sort.startswith("-")
    return (f"-{name}" if descending else name, "-id" if descending else "id")


def cases_of(
    organisation_id: int,
    reader: Reader,
    *,
    kind: str = "",
    status: str = "",
    query: str = "",
) -> QuerySet[Case]:
    """The reader's view of the organisation's cases, filtered (the caller pages and orders it)."""
    rows = Case.objects.filter(_visible(organisation_id, reader))
    if kind:
        rows = rows.filter(kind=kind)
    if status == "active":
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    elif status in CaseStatus.values:
        rows = rows.filter(status=status)
    for word in query.strip()[:200].split()[:8]:
        rows = rows.filter(Q(number__iexact=word) | Q(number__icontains=word) | Q(title__icontains=word))
    return rows


def activity_of(organisation_id: int, reader: Reader) -> QuerySet[CaseActivity]:
    """The organisation's timeline across the applications the reader was granted, newest first."""
    kinds = reader.kinds()
    visible = Q(kind__in=kinds) | Q(case__open_to_requester=True, case__requester_id=reader.user_id)
    return (
        CaseActivity.objects.filter(organisation_id=organisation_id)
        .filter(visible)
        .filter(_not_carried_by_one_of(kinds, prefix="case__"))
        .select_related("case")
    )


def recent_activity(organisation_id: int, reader: Reader, size: int = 10) -> list[CaseActivity]:
    return list(activity_of(organisation_id, reader).order_by("-at", "-id")[:size])


def kind_choices() -> list[tuple[str, Any]]:
    return [(source.kind, source.label) for source in cases.sources()]


def kind_label(kind: str) -> Any:
    source = cases.source(kind)
    return source.label if source else kind


def url_of(case: Case) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(case.url_name, kwargs=case.url_args or None)
    except NoReverseMatch:
        return ""


def kinds_in(readable: Sequence[str]) -> list[tuple[str, Any]]:
    return [(kind, label) for kind, label in kind_choices() if kind in readable]
