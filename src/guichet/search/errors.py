"""Global search raises no error of its own: the query's bound is the API schema's (422) and the
page's (400, said on the page); a NUL byte is the kernel's guard; access is accounts'."""

from enum import StrEnum


class Code(StrEnum):
    pass
