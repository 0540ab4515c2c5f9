"""The administrators' view of the help centre."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest

from . import insights


@staff_required
def help_insights(request: PortalRequest) -> HttpResponse:
    if not request.user.is_administrator:
        return render(request, "403.html", status=403)
    weeks = insights.deflections_per_week()
    peak = max((w.opened for w in weeks), default=0) or 1
    baseline, height = 170, 150
    bars = []
    for i, week in enumerate(weeks):
        opened_h, deflected_h = round(height * week.opened / peak), round(height * week.deflected / peak)
        bars.append(
            {
                "week": week.week,
                "opened": week.opened,
                "deflected": week.deflected,
                "x": i * 44 + 40,
                "opened_h": opened_h,
                "opened_y": baseline - opened_h,
                "deflected_h": deflected_h,
                "deflected_y": baseline - deflected_h,
            }
        )
    return render(
        request,
        "help/console/insights.html",
        {
            "top": insights.top_searches(),
            "empty": insights.searches_without_result(),
            "helpfulness": insights.helpfulness(),
            "bars": bars,
            "chart_width": max(len(bars) * 44 + 60, 300),
        },
    )
