"""The help context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    INVALID_COUNTRY = "invalid_country"
    INVALID_LANGUAGE = "invalid_language"
