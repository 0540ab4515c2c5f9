"""The system tools some tests check documents with (poppler's pdftotext and pdfsig, OpenSSL).

`make test` installs them when it can (root on Debian). Without one, its tests are skipped with a
notice on a workstation, and fail under CI=true, where a silently skipped check would hide a regression.
"""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require(command: str, package: str) -> None:
    """Skip the calling test when `command` is missing (fail instead under CI=true)."""
    if shutil.which(command):
        return
    if in_ci():
        pytest.fail(f"{command} is required in CI but missing (apt-get install {package}).")
    print(f"NOTICE: {command} not installed ({package}): test skipped; set CI=true to fail instead")
    pytest.skip(f"{command} not installed (apt-get install {package})")


def require_redis(url: str) -> None:
    """Skip the calling test when Redis at `url` does not answer (fail instead under CI=true)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        reason = f"Redis not reachable at {url} ({exc})"
        if in_ci():
            pytest.fail(f"Redis is required in CI (CI=true): {reason}")
        pytest.skip(f"{reason}: test skipped (set CI=true to make this an error)")
    finally:
        client.close()


def pdftotext(data: bytes, *, first_page: int | None = None) -> str:
    """The text of a PDF as poppler lays it out (`pdftotext -layout`)."""
    require("pdftotext", "poppler-utils")
    assert data.startswith(b"%PDF"), data[:20]
    pages = ["-f", str(first_page)] if first_page is not None else []
    result = subprocess.run(
        ["pdftotext", "-layout", *pages, "-", "-"], input=data, capture_output=True, timeout=60, check=True
    )
    return result.stdout.decode()


def pdfsig(document: bytes | Path) -> str:
    """What poppler's pdfsig says of a PDF's signatures (it reads files only)."""
    require("pdfsig", "poppler-utils")
    if isinstance(document, Path):
        return _pdfsig(document)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(document)
        return _pdfsig(path)


def _pdfsig(path: Path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout + result.stderr


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _plain(text: str) -> str:
    """pdftotext's text with babel's no-break spaces as spaces and runs of spaces as one."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def broken_numbers(text: str, values: Iterable[str]) -> list[str]:
    """The `values` (amounts, IBANs, dates, references) that no single line of a PDF's text holds
    whole: a number split across two lines is missing from every line."""
    lines = [_plain(line).strip() for line in text.splitlines()]
    return [value for value in values if not any(_plain(value) in line for line in lines)]


# Phrases of the documents' English wording (the msgids of the PDF templates and the product's own
# text) that a French, Dutch or Romanian PDF must never show. The vendor's proper names as the seeds
# give them ("Customer Support Online Team", "Bucharest Business Park") are not in the list.
ENGLISH_PHRASES = (
    "Invoice",
    "Credit note",
    "Issue date",
    "Due date",
    "Unit price",
    "Amount due",
    "Already settled",
    "Structured communication",
    "Statement of account",
    "Opening balance",
    "Closing balance",
    "Aging",
    "Customer",
    "Machines covered",
    "Machine type",
    "Serial number",
    "Under contract",
    "Termination notice",
    "Effective date",
    "Contract number",
    "Shipping label",
    "Repair centre",
    "Service request",
    "Hardware maintenance",
    "Software licence",
    "agreement",
    "Scan with your banking app",
    "months from delivery",
    "warranty",
    "Total excluding tax",
    "VAT number",
)


# The vendor's names as the seeds write them, in any language (a name is not English wording).
PROPER_NAMES = ("Customer Support Online Team", "Bucharest Business Park", "Guichet Services")


def english_phrases(text: str) -> list[str]:
    """The known English phrases a French, Dutch or Romanian PDF's text shows (whole words only)."""
    plain = " ".join(_plain(text).split())
    for name in PROPER_NAMES:
        plain = plain.replace(name, " ")
    return [phrase for phrase in ENGLISH_PHRASES if re.search(rf"\b{re.escape(phrase)}\b", plain)]


def assert_no_english(text: str) -> None:
    found = english_phrases(text)
    assert not found, f"English in a translated PDF: {found}\n{text}"


@contextmanager
def document_html() -> Iterator[list[str]]:
    """The HTML of every PDF rendered inside the block (what `core.documents.render_pdf` printed)."""
    from guichet.core import documents

    seen: list[str] = []
    original = documents.render_html

    def capture(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        seen.append(html)
        return html

    with mock.patch.object(documents, "render_html", capture):
        yield seen


_KEPT_WHOLE = re.compile(r'<(span|td|th) class="(?:unbroken|num)">(.*?)</\1>', re.DOTALL)


def unbroken_values(html: str) -> list[str]:
    """The text of every value a document keeps on one line (`|unbroken` spans, `.num` cells)."""
    values = []
    for match in _KEPT_WHOLE.finditer(html):
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        if text and any(character.isdigit() for character in text):
            values.append(text)
    return values
