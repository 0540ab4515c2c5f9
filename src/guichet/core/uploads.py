"""Upload limits, checked before a byte of a file is read into memory.

Files stream to temporary files as they arrive (FILE_UPLOAD_MAX_MEMORY_SIZE), a request larger
than the most a form may carry is refused before parsing (`BoundedUploadHandler`), Django refuses
more than DATA_UPLOAD_MAX_NUMBER_FILES parts, and each form's `MultipleFileField` checks the count
and every file's size (known from the upload, without reading it) before a view reads one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 5
# Room for the form's other fields and the multipart framing around the largest allowed upload.
_FIELDS_MARGIN = 1024 * 1024


def max_request_bytes() -> int:
    return MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + _FIELDS_MARGIN


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: a multipart body larger than any form accepts is a 400 before parsing."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        if content_length > max_request_bytes():
            raise RequestDataTooBig("The upload is larger than any form accepts.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size: int) -> None:
        return None
