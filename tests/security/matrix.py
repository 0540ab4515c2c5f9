"""The access matrix's machinery: roles, outcomes, the world the URLs point into, and the tests.

Each context keeps its share of the matrix in `tests/security/test_matrix_<context>.py`:
a `Matrix` of entries (one per URL pattern, or a group of patterns), probes of
its object URLs, the actions that refuse GET, and a builder that adds its own
objects to the shared world. `test_matrix.py` checks that every URL pattern the
resolver knows is classified by exactly one of those files, so a new page (or a
new context) without its rows fails the build without any central list to edit.

Each entry lists one outcome per role, in the order of ROLES:

    anonymous  customer_a  customer_b  customer_no_grant  agent_ro  agent_be  administrator

customer_a is the admin of org_a (BE) with every application; customer_b the same
in org_b (RO); customer_no_grant a plain member of org_a with no application;
agent_be serves org_a's country, agent_ro another one. The objects in the URLs are
org_a's. Another organisation's objects answer exactly like missing ones: the
same 404, the same body.

The world is built once per module (and per xdist worker) inside a transaction
that is rolled back at the end; every test runs in a savepoint of it, so what a
POST changes is undone before the next test.

CI runs the whole matrix on PostgreSQL and, on SQLite, every URL once: as one role, the first
(from a place that differs per pattern) that gets in, so the page's queries run to their end.
The other cases are marked `once` (`sample_role`; why, in docs/testing.md).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from guichet.accounts import services as account_services
from guichet.accounts.models import AccessRequest, ApiToken, Consent, Organisation, User
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

ROLES = ("anonymous", "customer_a", "customer_b", "customer_no_grant", "agent_ro", "agent_be", "administrator")

MISSING_NUMBER = "BE-1999-999999"
MISSING_PK = 987654321


# --- outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A status code and, for a redirect, where it leads: a URL name (any language) or a path."""

    status: int
    to: str = ""
    same_kwargs: bool = False  # reverse `to` with the entry's own URL values
    to_suffix: str = ""

    def __str__(self) -> str:
        target = self.to or (f"*{self.to_suffix}" if self.to_suffix else "")
        return f"{self.status} -> {target}" if target else str(self.status)


OK = Expect(200)
CREATED = Expect(201)
NO_CONTENT = Expect(204)
UNAUTHORISED = Expect(401)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
CONFLICT = Expect(409)
INVALID = Expect(400)
LOGIN = Expect(302, "account_login")
ADMIN_LOGIN = Expect(302, "admin:login")
REAUTH = Expect(302, "account_reauthenticate")
HOME = Expect(302, "portal:home")
CONSOLE = Expect(302, "console:home")

F, NF = FORBIDDEN, NOT_FOUND
EVERYONE = (OK,) * 7
SIGNED_IN = (LOGIN, *(OK,) * 6)
CUSTOMER_PAGE = (LOGIN, OK, OK, OK, F, F, F)  # staff have no organisation
APPLICATION_PAGE = (LOGIN, OK, OK, F, F, F, F)  # and a grant is needed
STAFF_PAGE = (LOGIN, F, F, F, OK, OK, OK)
ADMIN_ONLY = (*(ADMIN_LOGIN,) * 6, OK)
ADMIN_REFUSES = (*ADMIN_ONLY[:6], F)  # administrators too: the model changes through services only
GOES_HOME = (HOME, HOME, HOME, CONSOLE, CONSOLE, CONSOLE)  # signed in: where login would send them
# An object of org_a's, through the API: its customer gets in, the other organisation's gets a 404.
API_OBJECT = (UNAUTHORISED, OK, NF, F, F, F, F)
API_LIST = (UNAUTHORISED, OK, OK, F, F, F, F)
# An object of org_a's, through the pages (customers) and the console (agents of org_a's country).
CUSTOMER_OBJECT = (LOGIN, OK, NF, F, F, F, F)
CONSOLE_OBJECT = (LOGIN, F, F, F, NF, OK, OK)


# --- the world the URLs point into ------------------------------------------------------------


class World:
    """org_a and org_b with their people, and whatever each context's builder adds as attributes."""

    org_a: Organisation
    org_b: Organisation
    member: User  # customer_no_grant, a member of org_a
    access_request: AccessRequest  # org_a's, pending
    authenticator: Authenticator  # agent_be's TOTP

    def __init__(self, users: dict[str, User]) -> None:
        self.users = users

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else self.users[role]

    def admin_values(self, pattern: Pattern) -> dict[str, Any]:
        """URL values for the admin's pages: a real row of the model in the route."""
        parts = pattern.route.split("/")
        values: dict[str, Any] = {}
        for name in pattern.kwarg_names:
            if name in ("object_id", "id"):
                model = apps.get_model(parts[1], parts[2])
                with across_organisations():
                    row = model._base_manager.order_by("pk").first()
                assert row is not None, f"the builder made no {model.__name__} for {pattern.key}"
                values[name] = row.pk
            elif name == "app_label":
                values[name] = "accounts"
        return values


def build_world() -> World:
    """The people of the matrix, org_a's pending access request, and a row of each kernel model."""
    org_a = OrganisationFactory(country="BE", name="Org A SA", language="fr")
    org_b = OrganisationFactory(country="RO", name="Org B SRL", language="ro")
    customer_a = make_member(org_a, role="admin", email="a@example.com", language="fr")
    grant_all(customer_a, org_a)
    customer_b = make_member(org_b, role="admin", email="b@example.com", language="ro")
    grant_all(customer_b, org_b)
    member = make_member(org_a, role="member", email="nogrant@example.com")
    agent_be = make_agent("BE", email="agent.be@example.com")
    users = {
        "customer_a": customer_a,
        "customer_b": customer_b,
        "customer_no_grant": member,
        "agent_ro": make_agent("RO", email="agent.ro@example.com"),
        "agent_be": agent_be,
        "administrator": make_agent("", email="admin@example.com", kind="admin"),
    }
    world = World(users)
    world.org_a, world.org_b, world.member = org_a, org_b, member
    with tenant_scope(org_a):
        world.access_request = account_services.access_request_create(
            actor=member, organisation=org_a, application="orders", request=None
        )
    world.authenticator = Authenticator.objects.get(user=agent_be, type=Authenticator.Type.TOTP)
    # One row of every kernel model the admin shows, so each admin page has something to open.
    Consent.objects.create(user=customer_a, purpose=Consent.Purpose.CONTACT, wording_version="1")
    AuthGroup.objects.create(name="Matrix")
    OutboxMessage.objects.get_or_create(
        message_id="<matrix@guichet.test>", defaults={"to": customer_a.email, "language": "en", "template": "matrix"}
    )
    assert AuditEvent.objects.exists()
    return world


def organisation(w: World) -> dict[str, Any]:
    return {"customer_number": w.org_a.customer_number}


def access_request(w: World) -> dict[str, Any]:
    return {"pk": w.access_request.pk}


def missing_number(w: World) -> dict[str, Any]:
    return {"number": MISSING_NUMBER}


# --- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    outcomes: dict[str, Expect]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    url: str = ""  # for a pattern reverse() cannot build (no name)
    query: dict[str, str] | None = None
    data: Callable[[World], dict[str, Any]] | dict[str, Any] | None = None
    api: bool = False  # Ninja: bearer token, JSON body


def row(*outcomes: Expect, **options: Any) -> Entry:
    assert len(outcomes) == len(ROLES), outcomes
    return Entry(outcomes=dict(zip(ROLES, outcomes, strict=True)), **options)


@dataclass(frozen=True)
class Group:
    """Many patterns, one rule: an explicit set of names, or a prefix."""

    label: str
    entry: Entry
    names: frozenset[str] = frozenset()
    prefix: str = ""

    def covers(self, key: str) -> bool:
        return key in self.names or (bool(self.prefix) and key.startswith(self.prefix))


def admin_pages(*app_labels: str) -> tuple[Group, ...]:
    """The Django admin's pages of these apps' models: administrators only; its unnamed
    object links forward to the change page."""
    groups: list[Group] = []
    for label in app_labels:
        groups.append(Group(f"admin pages of {label}", row(*ADMIN_ONLY), prefix=f"admin:{label}_"))
        groups.append(
            Group(
                f"admin object links of {label}",
                row(*ADMIN_ONLY[:6], Expect(302, to_suffix="/change/")),
                prefix=f"admin/{label}/",
            )
        )
    return tuple(groups)


def admin_read_only(app_label: str, *models: str) -> dict[str, Entry]:
    """Models the admin only shows: adding and deleting are refused to administrators too."""
    return {
        f"admin:{app_label}_{model}_{action}": row(*ADMIN_REFUSES) for model in models for action in ("add", "delete")
    }


@dataclass(frozen=True)
class Probe:
    """One object URL, asked for org_a's object and for a missing one."""

    name: str
    existing: Callable[[World], dict[str, Any]]
    missing: Callable[[World], dict[str, Any]]
    outsiders: dict[str, int]  # role -> the status both must get
    insider: tuple[str, Expect]  # proves the existing object is really there
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | dict[str, Any] | None = None
    in_data: bool = False  # the object is named in the form, not the URL
    api: bool = False


# --- every URL pattern ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # namespace:name, else the route
    route: str
    kwarg_names: frozenset[str]

    def __str__(self) -> str:
        return self.key


def _walk(
    items: list[Any], prefix: str = "", namespace: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[Pattern]:
    for item in items:
        names = kwargs | frozenset(item.pattern.regex.groupindex)
        if isinstance(item, URLResolver):
            inner = ":".join(part for part in (namespace, item.namespace or "") if part)
            yield from _walk(item.url_patterns, prefix + str(item.pattern), inner, names)
        else:
            assert isinstance(item, URLPattern)
            route = prefix + str(item.pattern)
            key = (f"{namespace}:{item.name}" if namespace else item.name) if item.name else route
            yield Pattern(key, route, names)


with translation.override(settings.LANGUAGE_CODE):
    PATTERNS = list(_walk(get_resolver().url_patterns))


# --- asking and checking ----------------------------------------------------------------------


def _values(pattern: Pattern, entry: Entry, world: World) -> dict[str, Any]:
    if entry.kwargs is not None:
        values = entry.kwargs(world)
        return {name: value for name, value in values.items() if name in pattern.kwarg_names}
    if pattern.kwarg_names and pattern.route.startswith("admin/"):
        return world.admin_values(pattern)
    assert not pattern.kwarg_names, f"{pattern.key}: the matrix gives no values for {sorted(pattern.kwarg_names)}"
    return {}


def _url(pattern: Pattern, entry: Entry, values: dict[str, Any]) -> str:
    if entry.url:
        return entry.url
    if pattern.key != pattern.route:
        return reverse(pattern.key, kwargs=values)
    # An unnamed route pattern: fill its <converter:name> parts.
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern.route)


def send(client: Client, entry: Entry, url: str, world: World, user: User | None) -> HttpResponse:
    headers: dict[str, str] = {}
    if user is not None:
        if entry.api:
            headers["Authorization"] = f"Bearer {ApiToken.issue(user)}"
        else:
            client.force_login(user)
    data = entry.data(world) if callable(entry.data) else entry.data or {}
    if entry.method == "get":
        return client.get(url, entry.query or {}, headers=headers)
    if entry.api:
        return client.generic(entry.method.upper(), url, json.dumps(data), "application/json", headers=headers)
    return client.generic(
        entry.method.upper(), url, urlencode(data), "application/x-www-form-urlencoded", headers=headers
    )


def _targets(expected: Expect, values: dict[str, Any]) -> set[str]:
    if expected.to.startswith("/"):
        return {expected.to}
    kwargs = values if expected.same_kwargs else None
    paths = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths.add(reverse(expected.to, kwargs=kwargs))
    return paths


def check(response: HttpResponse, expected: Expect, values: dict[str, Any], what: str) -> None:
    location = response.get("Location", "")
    got = f"{response.status_code}" + (f" -> {location}" if location else "")
    assert response.status_code == expected.status, f"{what}: expected {expected}, got {got}"
    if expected.to:
        assert urlsplit(location).path in _targets(expected, values), f"{what}: expected {expected}, got {got}"
    if expected.to_suffix:
        assert urlsplit(location).path.endswith(expected.to_suffix), f"{what}: expected {expected}, got {got}"


def _release(response: HttpResponse) -> None:
    """Let a streamed download finish, which closes its file. Not `response.close()`: the test client
    already closed the others, and a second close would signal `request_finished`, whose handler
    closes the database connection, and with it the transaction the module's world lives in."""
    if response.streaming:
        for _chunk in response.streaming_content:  # type: ignore[attr-defined]
            pass


_CSRF = re.compile(r"""(csrfmiddlewaretoken" value=|csrf-token" content=|X-CSRFToken":\s*)["']?[\w-]+""")


def _normalised(response: HttpResponse, *urls: str) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    text = _CSRF.sub(r"\1<csrf>", body.decode(errors="replace"))
    for url in urls:
        text = text.replace(url, "<url>")
    return text


def _ask(probe: Probe, values: dict[str, Any], world: World, user: User | None) -> tuple[str, HttpResponse]:
    data = probe.data(world) if callable(probe.data) else dict(probe.data or {})
    if probe.in_data:
        data, values = {**data, **values}, {}
    url = reverse(probe.name, kwargs=values or None)
    entry = Entry(outcomes={}, method=probe.method, data=data, api=probe.api)
    return url, send(Client(), entry, url, world, user)


# --- which cases run on both databases ------------------------------------------------------

# The whole matrix runs in CI's PostgreSQL run; the SQLite run asks every URL once, as one role
# (docs/testing.md, "What runs on which database"). The other cases are marked `once`.
ONCE = (pytest.mark.once,)


def _spread(key: str) -> int:
    """A stable role index for a pattern (not hash(): it changes between processes)."""
    return zlib.crc32(key.encode()) % len(ROLES)


def sample_role(key: str, entry: Entry | None) -> str:
    """The role that asks for `key` on both databases: the first, from a place that differs from one
    pattern to the next, that gets in (2xx: the page's or the action's queries run to their end), or
    that place's role when nobody gets in."""
    assert entry is not None
    start = _spread(key)
    order = ROLES[start:] + ROLES[:start]
    return next((role for role in order if entry.outcomes[role].status < 300), order[0])


# --- one context's share, and the tests it runs ----------------------------------------------


@dataclass(frozen=True)
class Matrix:
    entries: dict[str, Entry]
    groups: tuple[Group, ...] = ()
    probes: tuple[Probe, ...] = ()
    post_only: tuple[str, ...] = ()  # actions: a GET is refused (405) to everyone
    # The URL-value builders that name one of org_a's objects: every entry using one needs a probe.
    object_urls: tuple[Callable[[World], dict[str, Any]], ...] = ()
    build: Callable[[World], None] | None = None  # adds this context's objects to the world
    patterns: list[Pattern] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", [p for p in PATTERNS if self.entry_for(p.key) is not None])

    def entry_for(self, key: str) -> Entry | None:
        if key in self.entries:
            return self.entries[key]
        groups = [group for group in self.groups if group.covers(key)]
        assert len(groups) <= 1, f"{key} is in several groups: {[g.label for g in groups]}"
        return groups[0].entry if groups else None

    def stale(self) -> list[str]:
        """Entries and groups naming patterns that no longer exist."""
        keys = {p.key for p in PATTERNS}
        found = sorted(set(self.entries) - keys)
        found += [f"{g.label}: {name}" for g in self.groups for name in sorted(g.names - keys)]
        found += [f"{g.label}: {g.prefix}*" for g in self.groups if g.prefix and not any(g.covers(k) for k in keys)]
        found += [f"POST only: {key}" for key in self.post_only if key not in self.entries]
        found += [f"probe: {probe.name}" for probe in self.probes if probe.name not in keys]
        return found

    def access_cases(self) -> list[Any]:
        """Every pattern for every role; all but one role per pattern are marked `once` (docs/testing.md)."""
        return [
            pytest.param(pattern, role, id=f"{pattern}-{role}", marks=() if role == sampled else ONCE)
            for pattern in self.patterns
            for sampled in (sample_role(pattern.key, self.entry_for(pattern.key)),)
            for role in ROLES
        ]

    def refuse_get_cases(self) -> list[Any]:
        """Every action for every role (405 for all); one role per action on both databases."""
        return [
            pytest.param(key, role, id=f"{key}-{role}", marks=() if role == ROLES[_spread(key)] else ONCE)
            for key in self.post_only
            for role in ROLES
        ]

    def tests(self) -> dict[str, Callable[..., None]]:
        """This share's tests, by name, for the module to expose: every pattern for every role, then (when it
        has some) actions refusing GET and foreign objects answering like missing ones."""
        matrix = self

        @pytest.mark.django_db
        @pytest.mark.parametrize(("pattern", "role"), matrix.access_cases())
        def test_access(pattern: Pattern, role: str, client: Client, world: World) -> None:
            entry = matrix.entry_for(pattern.key)
            assert entry is not None
            values = _values(pattern, entry, world)
            url = _url(pattern, entry, values)
            response = send(client, entry, url, world, world.user(role))
            _release(response)
            check(response, entry.outcomes[role], values, f"{entry.method.upper()} {url} as {role}")

        @pytest.mark.django_db
        @pytest.mark.parametrize(("key", "role"), matrix.refuse_get_cases())
        def test_actions_refuse_get(key: str, role: str, client: Client, world: World) -> None:
            pattern = next(p for p in PATTERNS if p.key == key)
            entry = matrix.entries[key]
            values = _values(pattern, entry, world)
            url = _url(pattern, entry, values)
            response = send(client, Entry(outcomes={}, api=entry.api), url, world, world.user(role))
            check(response, Expect(405), values, f"GET {url} as {role}")

        @pytest.mark.django_db
        @pytest.mark.parametrize("probe", matrix.probes, ids=lambda probe: probe.name)
        def test_foreign_objects_answer_like_missing_ones(probe: Probe, world: World) -> None:
            role, expected = probe.insider
            url, response = _ask(probe, probe.existing(world), world, world.user(role))
            check(response, expected, probe.existing(world), f"{probe.method.upper()} {url} as {role}")
            for role, status in probe.outsiders.items():
                user = world.user(role)
                foreign_url, foreign = _ask(probe, probe.existing(world), world, user)
                missing_url, missing = _ask(probe, probe.missing(world), world, user)
                what = f"{probe.method.upper()} {foreign_url} as {role}"
                assert foreign.status_code == status, f"{what}: expected {status}, got {foreign.status_code}"
                assert missing.status_code == status, (
                    f"{what} (missing object): expected {status}, got {missing.status_code}"
                )
                assert foreign.get("Content-Type") == missing.get("Content-Type"), what
                urls = (foreign_url, missing_url)
                assert _normalised(foreign, *urls) == _normalised(missing, *urls), (
                    f"{what}: the body differs from a missing object's"
                )

        tests: dict[str, Callable[..., None]] = {"test_access": test_access}
        if matrix.post_only:
            tests["test_actions_refuse_get"] = test_actions_refuse_get
        if matrix.probes:
            tests["test_foreign_objects_answer_like_missing_ones"] = test_foreign_objects_answer_like_missing_ones
        return tests
