"""A real RFC 3161 time-stamping authority on 127.0.0.1: HTTP in, pyHanko's DummyTimeStamper signing the tokens."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .pki import Issued

REPLY_TYPE = "application/timestamp-reply"
MAX_REQUEST_BYTES = 64 * 1024


def _handler(stamper: Any, requests: list[bytes]) -> type[BaseHTTPRequestHandler]:
    from asn1crypto import tsp

    class TimestampHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length", "0")), MAX_REQUEST_BYTES)
            body = self.rfile.read(length)
            requests.append(body)
            try:
                request = tsp.TimeStampReq.load(body)
                reply = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            except ValueError:
                self.send_error(400, "not a timestamp request")
                return
            self.send_response(200)
            self.send_header("Content-Type", REPLY_TYPE)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest's output for the tests

    return TimestampHandler


@contextmanager
def running_tsa(tsa: Issued, chain: list[Issued]) -> Iterator[tuple[str, list[bytes]]]:
    """(URL, the request bodies it received) of a TSA signing with `tsa`, embedding `chain` in its tokens."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=tsa.asn1_cert(), tsa_key=tsa.asn1_key(), certs_to_embed=[c.asn1_cert() for c in chain]
    )
    received: list[bytes] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stamper, received))
    thread = threading.Thread(target=server.serve_forever, name="test-tsa", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was free a moment ago): connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def dumped_timestamp_tokens(pdf: Path, tsa_root: Path) -> list[str]:
    """OpenSSL's verdict on the timestamp token of each signature that `pdfsig -dump` extracts from `pdf`.

    poppler's pdfsig (22.x) checks the CMS signature but does not look at its timestamp: it extracts the
    signatures, and `openssl ts -verify` checks each token independently of pyHanko (its imprint must be
    the SHA-256 of the signature value it stamps, its chain the TSA root).
    """
    from asn1crypto import cms

    subprocess.run(["pdfsig", "-dump", str(pdf)], cwd=pdf.parent, capture_output=True, timeout=60, check=False)
    verdicts = []
    for dump in sorted(pdf.parent.glob(f"{pdf.name}.sig*")):
        signed_data = cms.ContentInfo.load(dump.read_bytes())["content"]
        [signer_info] = signed_data["signer_infos"]
        tokens = [
            attribute["values"][0]
            for attribute in signer_info["unsigned_attrs"]
            if attribute["type"].native == "signature_time_stamp_token"
        ]
        if not tokens:
            verdicts.append("no timestamp")
            continue
        token = dump.with_suffix(dump.suffix + ".tst")
        token.write_bytes(tokens[0].dump())
        digest = hashlib.sha256(signer_info["signature"].native).hexdigest()
        result = subprocess.run(
            ["openssl", "ts", "-verify", "-token_in", "-in", str(token), "-digest", digest, "-CAfile", str(tsa_root)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # The verdict is on stdout; stderr has OpenSSL's chatter, kept only when it failed.
        verdicts.append(result.stdout.strip() if result.returncode == 0 else result.stdout + result.stderr)
    return verdicts
