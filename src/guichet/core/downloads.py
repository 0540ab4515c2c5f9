"""Files the portal hands out: one way to name them, for pages and API alike.

`Content-Disposition` follows RFC 6266: a quoted ASCII `filename` every browser reads, and,
when the name is not plain ASCII (a customer's "Facturé-Ștefan.pdf"), an RFC 5987
`filename*` with the exact UTF-8 name that modern clients prefer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse


def content_disposition(filename: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    fallback = _ascii_fallback(filename)
    header = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=utf-8''{quote(filename, safe='')}"
    return header


def download(data: bytes | str, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """A generated document (PDF, CSV) as a response; `inline` lets the browser show it."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def stored_download(file: IO[bytes], filename: str, content_type: str) -> FileResponse:
    """A stored file, streamed; always an attachment (an uploaded file is never shown inline by our origin)."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _ascii_fallback(filename: str) -> str:
    # Accents fold to their letter ("é" → "e", "ș" → "s"); what has no ASCII form becomes "_".
    # Quotes, backslashes and control characters would break the quoted-string: replaced too.
    folded = unicodedata.normalize("NFKD", filename)
    letters = (c for c in folded if not unicodedata.combining(c))
    return "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in letters)


def streamed_download(chunks: Iterable[str | bytes], filename: str, content_type: str) -> StreamingHttpResponse:
    """A generated file written while it is sent (a long CSV export): never whole in memory."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response
