"""The support context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CLOSED = "already_closed"
    CLOSED = "closed"
    EMPTY_FILE = "empty_file"
    EMPTY_REPLY = "empty_reply"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_REFUSED = "file_type_refused"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_RATING = "invalid_rating"
    INVALID_TRANSITION = "invalid_transition"
    NOT_RESOLVED = "not_resolved"
    REOPEN_WINDOW_PASSED = "reopen_window_passed"
    TOO_MANY_FILES = "too_many_files"
