"""Help-centre figures for administrators: what people search, find, like, and skip calling about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .models import Feedback, SearchLog, SuggestionOpen


@dataclass(frozen=True)
class WeekCount:
    week: date
    opened: int
    deflected: int


def top_searches(days: int = 30, limit: int = 15) -> list[Any]:
    since = timezone.now() - timedelta(days=days)
    return list(
        SearchLog.objects.filter(created_at__gte=since)
        .values("normalised")
        .annotate(count=Count("id"), avg_results=Avg("results"))
        .order_by("-count", "normalised")[:limit]
    )


def searches_without_result(days: int = 30, limit: int = 15) -> list[Any]:
    since = timezone.now() - timedelta(days=days)
    return list(
        SearchLog.objects.filter(created_at__gte=since, results=0)
        .values("normalised")
        .annotate(count=Count("id"))
        .order_by("-count", "normalised")[:limit]
    )


def helpfulness(limit: int = 50) -> list[Any]:
    return list(
        Feedback.objects.values("article__slug")
        .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
        .order_by("-no", "article__slug")[:limit]
    )


def deflections_per_week(weeks: int = 12) -> list[WeekCount]:
    """Opened suggestions per week, and how many were not followed by a request (deflections)."""
    since = timezone.now() - timedelta(weeks=weeks)
    rows = (
        SuggestionOpen.objects.filter(opened_at__gte=since)
        .annotate(week=TruncWeek("opened_at"))
        .values("week")
        .annotate(opened=Count("id"), deflected=Count("id", filter=Q(request_submitted_at__isnull=True)))
        .order_by("week")
    )
    return [WeekCount(week=row["week"].date(), opened=row["opened"], deflected=row["deflected"]) for row in rows]
