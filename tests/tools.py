"""The system tools some tests check documents with (poppler's pdftotext and pdfsig, OpenSSL).

`make test` installs them when it can (root on Debian). Without one, its tests are skipped with a
notice on a workstation, and fail under CI=true, where a silently skipped check would hide a regression.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

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
