"""One `money` filter and one `when` filter: the active language, the viewer's zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import engines
from django.utils import timezone, translation

from guichet.core.templatetags.locale_ui import day, hour, moment_html, money, when
from guichet.core.viewer import UTC as VIEWER_UTC
from guichet.core.viewer import validate_time_zone, zone_of
from tests.accounts.factories import OrganisationFactory, make_agent

SRC = Path(__file__).resolve().parents[2] / "src" / "guichet"
NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("en", "EUR", "€1,147.00"),
        ("en", "CAD", "$1,147.00"),
        ("fr", "EUR", f"1{NNBSP}147,00{NBSP}€"),
        ("fr", "CAD", f"1{NBSP}147,00{NBSP}$"),
        ("ro", "RON", f"1.147,00{NBSP}RON"),
    ],
)
def test_money_follows_the_active_language(language: str, currency: str, expected: str) -> None:
    with translation.override(language):
        assert money(Decimal("1147"), currency) == expected
        assert money(None, currency) == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "December 6, 2026"), ("fr", "6 décembre 2026"), ("ro", "6 decembrie 2026")],
)
def test_dates_follow_the_active_language_and_romanian_keeps_lowercase(language: str, expected: str) -> None:
    with translation.override(language):
        assert when(date(2026, 12, 6)) == expected
    with translation.override("ro"):
        assert when(date(2026, 12, 6), "full") == "duminică, 6 decembrie 2026"


def test_a_moment_is_shown_in_the_active_zone_never_utc() -> None:
    moment = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
    with translation.override("en"), timezone.override(ZoneInfo("America/Vancouver")):
        assert when(moment) == f"December 6, 2026, 6:30{NNBSP}AM"
    with translation.override("fr"), timezone.override(ZoneInfo("America/Toronto")):
        assert when(moment) == "6 décembre 2026, 09:30"


def test_a_moment_as_html_carries_its_machine_time_and_its_text_in_the_active_zone() -> None:
    moment = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
    with translation.override("fr"), timezone.override(ZoneInfo("America/Toronto")):
        assert moment_html(moment) == '<time datetime="2026-12-06T09:30:00-05:00">6 déc. 2026, 09:30</time>'
    with translation.override("en"), timezone.override(ZoneInfo("Europe/Brussels")):
        assert moment_html(moment) == f'<time datetime="2026-12-06T15:30:00+01:00">Dec 6, 2026, 3:30{NNBSP}PM</time>'


def test_the_filters_are_builtins_of_every_template() -> None:
    template = engines["django"].from_string("{{ amount|money:'EUR' }} {{ day|when }}")
    with translation.override("en"):
        assert template.render({"amount": Decimal("5"), "day": date(2026, 3, 2)}) == "€5.00 March 2, 2026"


def test_the_four_old_money_helpers_and_the_old_day_tag_are_gone() -> None:
    tags = [p for p in SRC.glob("*/templatetags/*.py") if p.name != "locale_ui.py"]
    assert tags and not [p for p in tags if "def money(" in p.read_text() or "def day(" in p.read_text()]
    templates = [
        *SRC.glob("**/templates/**/*.html"),
        *SRC.glob("**/templates/**/*.txt"),
        *SRC.glob("**/jinja2/**/*.html"),
    ]
    assert not [p for p in templates if "{% money " in p.read_text() or "{% day " in p.read_text()]


@pytest.mark.django_db
def test_whose_clock_customers_canadian_provinces_agents_and_administrators() -> None:
    brussels = OrganisationFactory(country="BE")
    quebec = OrganisationFactory(country="CA", province="QC")
    british_columbia = OrganisationFactory(country="CA", province="BC")
    assert zone_of(None, brussels, staff=False) == ZoneInfo("Europe/Brussels")
    assert zone_of(None, quebec, staff=False) == ZoneInfo("America/Toronto")
    assert zone_of(None, british_columbia, staff=False) == ZoneInfo("America/Vancouver")
    agent = make_agent("CA", email="ca.agent@example.com")
    assert zone_of(agent, quebec, staff=True) == ZoneInfo("America/Toronto")  # their country's centre
    agent.time_zone = "America/Vancouver"
    assert zone_of(agent, brussels, staff=True) == ZoneInfo("America/Vancouver")  # their own, not the customer's
    administrator = make_agent("", kind="admin", email="admin@example.com")
    assert zone_of(administrator, None, staff=True) == VIEWER_UTC
    validate_time_zone("Europe/Bucharest")
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus")


@pytest.mark.parametrize(
    ("language", "weekday", "medium", "clock"),
    [
        ("en", "Monday, December 7", "Dec 7, 2026", f"9:30{NNBSP}AM"),
        ("fr", "lundi 7 décembre", "7 déc. 2026", "09:30"),
        ("nl", "maandag 7 december", "7 dec 2026", "09:30"),
        ("ro", "luni, 7 decembrie", "7 dec. 2026", "09:30"),
    ],
)
def test_day_and_hour_follow_the_active_language(language: str, weekday: str, medium: str, clock: str) -> None:
    with translation.override(language):
        assert day(date(2026, 12, 7), "weekday") == weekday
        assert day(date(2026, 12, 7)) == medium
        assert hour(time(9, 30)) == clock
        assert day(None) == hour(None) == ""


def test_day_and_hour_of_a_moment_read_the_viewers_clock() -> None:
    # 03:30 UTC on the 7th is still the 6th in Vancouver.
    moment = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)
    with translation.override("fr"), timezone.override(ZoneInfo("America/Vancouver")):
        assert day(moment, "long") == "6 décembre 2026"
        assert hour(moment) == "19:30"
        assert day("2026-12-07T03:30:00+00:00", "long") == "6 décembre 2026"


# Machine-readable values (a <time datetime>, an <input type="date"> value) keep Django's `date`.
MACHINE_FORMAT = re.compile(r"""\|date:['"](c|Y-m-d)['"]""")


def test_every_date_and_time_shown_goes_through_the_kernel_filters() -> None:
    templates = [
        *SRC.glob("**/templates/**/*.html"),
        *SRC.glob("**/templates/**/*.txt"),
        *SRC.glob("**/jinja2/**/*.html"),
    ]
    offenders = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in templates
        for match in re.finditer(r"\|(date|time)(:['\"][^'\"]*['\"])?", MACHINE_FORMAT.sub("", path.read_text()))
    ]
    assert not offenders
    kernel = SRC / "core" / "rows.py"  # `moment()`, which the `when` filter and the prepared rows use
    python = [
        p
        for p in SRC.glob("**/*.py")
        if p != kernel and ("date_format(" in p.read_text() or "time_format(" in p.read_text())
    ]
    assert not python
