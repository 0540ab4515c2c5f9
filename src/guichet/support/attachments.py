"""What an uploaded file really is, from its bytes; names and browser claims are not trusted."""

from __future__ import annotations

import io
import zipfile

import puremagic
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import DomainError
from guichet.core.uploads import MAX_FILE_BYTES as MAX_BYTES
from guichet.core.uploads import MAX_FILES_PER_UPLOAD

from .errors import Code

_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
# Each accepted type and the extension a stored file gets: never the one in the uploaded name.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    _OOXML["word/"]: ".docx",
    _OOXML["xl/"]: ".xlsx",
    _OOXML["ppt/"]: ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
ALLOWED = set(EXTENSIONS)


def _zip_office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _OPENDOCUMENT else None
            if "[Content_Types].xml" in names:
                for prefix, mime in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return mime
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The MIME type of `data` if it is a type we accept, else None."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_office_type(data)
    try:
        mime = puremagic.from_string(data, mime=True)
    except puremagic.PureError:
        return None
    return mime if mime in ALLOWED else None


def check_upload(name: str, data: bytes) -> str:
    """The verified MIME type, or a DomainError saying what is wrong with the file."""
    if len(data) == 0:
        raise DomainError(_("The file %(name)s is empty.") % {"name": name}, code=Code.EMPTY_FILE)
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("The file %(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)},
            code=Code.FILE_TOO_LARGE,
        )
    mime = sniff(data)
    if mime is None:
        raise DomainError(
            _("The file %(name)s is not a PDF, an image or an office document.") % {"name": name},
            code=Code.FILE_TYPE_REFUSED,
        )
    return mime


def check_uploads(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes, str]]:
    """Every file of one message with its verified MIME type; at most MAX_FILES_PER_UPLOAD of them."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise DomainError(
            _("Attach at most %(n)s files at once.") % {"n": MAX_FILES_PER_UPLOAD}, code=Code.TOO_MANY_FILES
        )
    return [(name, data, check_upload(name, data)) for name, data in files]
