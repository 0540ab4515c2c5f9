"""Access matrix, help centre: public pages and API, the administrators' insights."""

from __future__ import annotations

from guichet.help.models import Article, Feedback
from tests.security.matrix import (
    EVERYONE,
    LOGIN,
    NO_CONTENT,
    OK,
    Expect,
    F,
    Matrix,
    World,
    admin_pages,
    row,
)

ARTICLE = "contact-support"


def _build(world: World) -> None:
    Feedback.objects.create(article=Article.objects.get(slug=ARTICLE), language="en", helpful=True)


# fmt: off
ENTRIES = {
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "help_console:insights":   row(LOGIN,     F,         F,         F,         F,         F,         OK),
    "help:home":               row(*EVERYONE),
    "help:search":             row(*EVERYONE, query={"q": "password"}),
    "help:article":            row(*EVERYONE, kwargs=lambda w: {"slug": ARTICLE}),
    "help:feedback":           row(*EVERYONE, kwargs=lambda w: {"slug": ARTICLE}, method="post",
                                   data={"helpful": "yes"}),
    "help:contact":            row(*EVERYONE),
    "help:check":              row(*EVERYONE, query={"q": "password"}),
    "help:suggest":            row(*EVERYONE, query={"q": "password"}),
    "help:suggestion":         row(*(Expect(302, "help:article", same_kwargs=True),) * 7,
                                   kwargs=lambda w: {"slug": ARTICLE}),
    "api-1:search":            row(*EVERYONE, api=True, query={"q": "password"}),
    "api-1:suggestions":       row(*EVERYONE, api=True, query={"q": "password"}),
    "api-1:article":           row(*EVERYONE, api=True, kwargs=lambda w: {"slug": ARTICLE}),
    "api-1:contact":           row(*EVERYONE, api=True, query={"country": "BE"}),
    "api-1:suggestion_opened": row(*(NO_CONTENT,) * 7, api=True, method="post",
                                   kwargs=lambda w: {"slug": ARTICLE}, data={"q": "password"}),
}
# fmt: on

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("help"),
    post_only=("help:feedback", "api-1:suggestion_opened"),
    build=_build,
)
# This module's tests: test_access, test_actions_refuse_get.
globals().update(MATRIX.tests())
