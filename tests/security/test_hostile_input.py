"""Hostile values at every page, form and API input: never a server error, never an HTML API error.

Every URL of the access matrix is asked by a role that may use it, with each of its inputs (the
values in its path, the fields of the forms on its page, its API operation's parameters and body)
replaced by a hostile value: a NUL byte, a huge page number, `1e30`, a far-future date, a 200 KB
text. The answer must be below 500 and, under /api/, JSON. A deterministic sweep of every URL with
every hostile value runs first; then hypothesis mixes values and inputs at random (bounded).

NUL bytes and out-of-range numbers only crash PostgreSQL (SQLite stores them), so the module runs
everywhere but finds most on the PostgreSQL run of CI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.accounts.models import ApiToken
from guichet.config.api import api
from tests.security.matrix import Entry, Matrix, Pattern, World, _url, _values
from tests.security.test_matrix import SHARES

# Expensive, and PostgreSQL is where hostile text hurts (it refuses what SQLite stores): runs once,
# in CI's PostgreSQL run (docs/testing.md).
pytestmark = pytest.mark.once

# One of each kind; hypothesis below draws many more.
HOSTILE = ("a\x00b", "4611686018427387904", "1e30", "9999-12-31", "x" * 300)

_FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""")
_SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def _build_everything(world: World) -> None:
    for share in SHARES.values():
        if share.build is not None:
            share.build(world)


MATRIX = Matrix({}, build=_build_everything)  # the `world` fixture builds every context's objects


@dataclass
class Target:
    pattern: Pattern
    entry: Entry
    role: str
    path_names: tuple[str, ...]
    fields: set[str] = field(default_factory=set)  # query/form fields and API body properties

    def __str__(self) -> str:
        return f"{self.entry.method.upper()} {self.pattern.key} as {self.role}"


def _role(entry: Entry) -> str | None:
    """A role the entry lets in (the first who gets a 2xx or a 3xx that is not a sign-in)."""
    for role, expected in entry.outcomes.items():
        if expected.status < 300 or (expected.status < 400 and "login" not in expected.to):
            return role
    return None


def _targets() -> list[Target]:
    targets = []
    for share in SHARES.values():
        for pattern in share.patterns:
            entry = share.entry_for(pattern.key)
            if entry is None or pattern.route.startswith("admin/") or pattern.key == "set_language":
                continue
            role = _role(entry)
            if role is not None:
                targets.append(Target(pattern, entry, role, tuple(sorted(pattern.kwarg_names))))
    return targets


TARGETS = _targets()


def _api_fields() -> dict[tuple[str, str], set[str]]:
    """(method, path regex) -> the names of its query parameters and JSON body properties."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found: dict[tuple[str, str], set[str]] = {}
    for path, operations in schema["paths"].items():
        regex = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$"
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "")
            if ref:
                body = components.get(ref.rsplit("/", 1)[-1], {})
            names |= set(body.get("properties", {}))
            found[(method, regex)] = names
    return found


API_FIELDS = _api_fields()


def _client(target: Target, world: World) -> tuple[Client, dict[str, str]]:
    client = Client(raise_request_exception=False)
    user = world.user(target.role)
    headers: dict[str, str] = {}
    if user is not None:
        if target.entry.api:
            headers["Authorization"] = f"Bearer {ApiToken.issue(user)}"
        else:
            client.force_login(user)
    return client, headers


def _fields(target: Target, url: str, client: Client, headers: dict[str, str]) -> set[str]:
    names = set(target.entry.query or {})
    data = target.entry.data
    if isinstance(data, dict):
        names |= set(data)
    if target.entry.api:
        for (method, regex), fields in API_FIELDS.items():
            if method == target.entry.method and re.match(regex, url):
                names |= fields
    elif target.entry.method == "get":
        response = client.get(url, target.entry.query or {}, headers=headers)
        if response.status_code == 200 and not response.streaming and "html" in response.get("Content-Type", ""):
            names |= set(_FIELD.findall(response.content.decode(errors="replace")))
    return (names | {"page", "q"}) - _SKIPPED_FIELDS


def _send(
    client: Client, method: str, url: str, data: dict[str, Any], api_call: bool, headers: dict[str, str]
) -> HttpResponse:
    if method == "get":
        return client.get(url, data, headers=headers)
    if api_call:
        return client.generic(method.upper(), url, json.dumps(data), "application/json", headers=headers)
    return client.generic(
        method.upper(), url, urlencode(data, doseq=True), "application/x-www-form-urlencoded", headers=headers
    )


def _drain(response: HttpResponse) -> None:
    if response.streaming:
        for _chunk in response.streaming_content:  # type: ignore[attr-defined]
            pass


def _problem(response: HttpResponse, what: str) -> str:
    """What is wrong with the answer, or ""."""
    _drain(response)
    if response.status_code >= 500:
        return f"{what}: {response.status_code}"
    api_error = what.split(" ", 2)[1].startswith("/api/") and response.status_code >= 400
    if api_error and not response["Content-Type"].startswith("application/json"):
        return f"{what}: {response.status_code} {response['Content-Type']}"
    return ""


def _with_segment(url: str, original: str, value: str) -> str:
    """`url` with the path segment `original` replaced by `value`, encoded: a value the route's converter
    would not match (an int, a slug) still reaches the server, as it would from any client."""
    # As reverse() wrote it: characters a path may hold (a signed token's `:`) stay as they are.
    encoded = next(form for form in (quote(original, safe=""), quote(original, safe=":@!$&'()*+,;=")) if form in url)
    # A segment of its own, else part of one (allauth's `<uidb36>-<key>`).
    start = url.index("/" + encoded) + 1 if "/" + encoded in url else url.rindex(encoded)
    return url[:start] + quote(value, safe="") + url[start + len(encoded) :]


def _attack(target: Target, world: World, value: str, fields: set[str] | None = None) -> Iterator[str]:
    """Send `value` in each path value, then in every field; yields what went wrong."""
    client, headers = _client(target, world)
    values = _values(target.pattern, target.entry, world)
    url = _url(target.pattern, target.entry, values)
    names = _fields(target, url, client, headers) if fields is None else fields
    base = target.entry.data(world) if callable(target.entry.data) else dict(target.entry.data or {})
    if target.entry.method == "get":
        base = dict(target.entry.query or {})
    for name in target.path_names:
        if target.entry.url:
            break
        bad_url = _with_segment(url, str(values[name]), value)
        with transaction.atomic():
            response = _send(client, target.entry.method, bad_url, base, target.entry.api, headers)
            yield _problem(response, f"{target.entry.method} {bad_url}")
            transaction.set_rollback(True)
    for name in sorted(names):
        with transaction.atomic():
            response = _send(client, target.entry.method, url, {**base, name: value}, target.entry.api, headers)
            yield _problem(response, f"{target.entry.method} {url} {name}={value[:20]!r}")
            transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_every_input_survives_hostile_values(target: Target, world: World) -> None:
    # The page's fields are found once (a GET, as the target's role), then each value goes into each.
    client, headers = _client(target, world)
    url = _url(target.pattern, target.entry, _values(target.pattern, target.entry, world))
    names = _fields(target, url, client, headers)
    problems = [problem for value in HOSTILE for problem in _attack(target, world, value, names) if problem]
    assert not problems, "\n".join(problems)


HOSTILE_VALUES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=40).map(lambda text: text + "\x00"),
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=-1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.text(min_size=1000, max_size=5000),
    st.sampled_from(["1e30", "-0", "0x10", " ", "[]", "{}", "null", "%00", "\u0000"]),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(target=st.sampled_from(TARGETS), value=HOSTILE_VALUES)
def test_random_hostile_values_never_give_a_server_error(target: Target, value: str, world: World) -> None:
    """Bounded (40 examples, seeded): the sweep above is the exhaustive part."""
    client, headers = _client(target, world)
    values = _values(target.pattern, target.entry, world)
    url = _url(target.pattern, target.entry, values)
    names = sorted(_fields(target, url, client, headers))
    problems = [problem for problem in _attack(target, world, value, set(names[:3])) if problem]
    assert not problems, "\n".join(problems)
