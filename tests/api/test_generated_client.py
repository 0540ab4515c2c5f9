"""A client generated from the OpenAPI description (openapi-python-client) works against the running
portal: the description names every schema once and documents the answers, errors included."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from guichet.accounts.models import ApiToken
from guichet.config.api import api

# Database-independent: runs once, in CI's PostgreSQL run (docs/testing.md).
pytestmark = pytest.mark.once

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "guichet_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Generate the client (a warning fails it), then import it like any package."""
    where = tmp_path_factory.mktemp("generated-client")
    schema = where / "openapi.json"
    schema.write_text(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")), encoding="utf-8")
    config = where / "config.json"
    config.write_text(json.dumps({"post_hooks": [], "package_name_override": PACKAGE}), encoding="utf-8")
    arguments = ["--path", schema, "--config", config, "--meta", "none", "--output-path", where / PACKAGE]
    result = subprocess.run(
        [GENERATOR, "generate", *map(str, arguments), "--fail-on-warning"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _operation(package: ModuleType, tag: str, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


@pytest.mark.django_db(transaction=True)
def test_generated_client_against_the_live_server(generated, live_server, customer_a) -> None:  # type: ignore[no-untyped-def]
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated.AuthenticatedClient(base_url=live_server.url, token=ApiToken.issue(customer_a))

    me = _operation(generated, "account", "guichet_accounts_api_me").sync(client=client)
    assert isinstance(me, models.MeOut)
    assert me.email == customer_a.email and "invoices" in me.applications

    invoices = _operation(generated, "billing", "guichet_billing_api_list_invoices").sync(client=client, page_size=5)
    assert isinstance(invoices, models.InvoicePageOut) and invoices.count == 0 and invoices.items == []

    # Documented errors arrive as the error schema, not as an unexpected status.
    missing = _operation(generated, "billing", "guichet_billing_api_get_invoice").sync(client=client, number="NONE-1")
    assert isinstance(missing, models.ErrorOut) and missing.code == "not_found"
    too_big = _operation(generated, "billing", "guichet_billing_api_list_invoices").sync(client=client, page_size=500)
    assert isinstance(too_big, models.ErrorOut) and too_big.code == "validation_error"

    public = generated.Client(base_url=live_server.url)
    contact = _operation(generated, "help_", "guichet_help_api_contact").sync(client=public, country=models.Country.BE)
    assert isinstance(contact, models.CentreContactOut)
    assert contact.country == "BE" and contact.phones and contact.phones[0].e164.startswith("+32")
