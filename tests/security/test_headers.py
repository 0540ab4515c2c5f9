"""Response headers: Content-Security-Policy on pages, Permissions-Policy, no-store on customer data,
and the deployment check clean with the README's production variables."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import ApiToken
from tests.billing.conftest import url

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "guichet"


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {
        name: values
        for name, *values in (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    }


@pytest.mark.django_db
def test_pages_run_only_our_own_scripts_and_styles(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    login = Client().get(reverse("account_login"))
    client.force_login(customer_a)
    for page in (login, client.get(url("billing:statement"))):
        assert page.status_code == 200
        policy = _policy(page)
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        for directive in ("script-src", "style-src"):
            assert policy[directive][0] == "'self'" and "'unsafe-inline'" not in policy[directive]
        assert "Permissions-Policy" in page and "camera=()" in page["Permissions-Policy"]
        # htmx and Bootstrap come from our static files.
        body = page.content.decode()
        assert re.search(r'<script src="/static/vendor/htmx/htmx\.min\.js"', body)
        assert re.search(r'<link rel="stylesheet" href="/static/vendor/bootstrap/css/bootstrap\.min\.css"', body)


def test_no_template_has_inline_code_the_policy_would_refuse() -> None:
    """Inline scripts without the nonce, style attributes, on* handlers and htmx's evaluated `js:`
    values (in templates and the template tags that write attributes) would be refused by the
    browser. Templates rendered into PDFs (`documents/`) never reach a browser."""
    refused = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>"
        r"|\sstyle=\"|\son[a-z]+=\"|\bhx-on\b|[\"']js:",
    )
    sources = [*TEMPLATES.rglob("*.html"), *TEMPLATES.glob("*/templatetags/*.py")]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in sources
        if "documents" not in path.parts
        for match in refused.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


@pytest.mark.django_db
def test_customer_data_is_never_stored_in_a_cache(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    csv = client.get(url("billing:statement_csv"))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    token = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    api = client.get("/api/v1/me", headers=token)
    assert api.status_code == 200
    for response in (csv, api):
        assert "no-store" in response["Cache-Control"]
    # Public help answers to an anonymous caller hold no customer data: caches may keep them.
    help_answer = Client().get("/api/v1/help/contact", {"country": "BE"})
    assert help_answer.status_code == 200 and "no-store" not in help_answer.get("Cache-Control", "")


@pytest.mark.django_db
def test_pdf_is_never_stored_in_a_cache(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    pdf = client.get(url("billing:statement_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]


def _production_environment() -> dict[str, str]:
    """The variables of the README's "Running it for real", with a real secret for its `…`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Running it for real", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    variables: dict[str, str] = {}
    for line in block.splitlines():
        if line.startswith("export "):
            for word in shlex.split(line)[1:]:
                name, _, value = word.partition("=")
                variables[name] = value
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES"} <= variables.keys()
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


@pytest.mark.once  # a subprocess running `check --deploy`: no database involved
def test_deployment_check_is_clean_with_the_production_variables(tmp_path: Path) -> None:
    keep = ("PATH", "HOME", "LANG", "GUICHET_VAR_DIR", "NODE_MODULES")
    env = {name: value for name, value in os.environ.items() if name in keep}
    env |= _production_environment() | {"GUICHET_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "guichet", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a whole Django start-up, on a loaded CI machine
    )
    assert result.returncode == 0, result.stdout + result.stderr
