"""The results page prints its hits with a Jinja2 partial (search/jinja2/search/groups.html, decision
0016): the same HTML as the Django loop it replaced, byte for byte, every value escaped."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from guichet.core.search import Group, Hit, Kind, Query, Results

# The Django loop the partial replaced (search/results.html before issue 17's change), verbatim.
# ruff: noqa: E501
DJANGO_LOOP = """  {% for group in results.groups %}
  <section class="mb-4" aria-labelledby="search-group-{{ group.kind.key }}" data-testid="search-group-{{ group.kind.key }}">
    <h2 class="h5" id="search-group-{{ group.kind.key }}">{{ group.kind.label }}</h2>
    <ul class="list-group">
      {% for hit in group.hits %}
      <li class="list-group-item"><a href="{{ hit.url }}" class="fw-semibold">{{ hit.number }}</a>{% if hit.title and hit.title != hit.number %}<span class="text-body-secondary"> · {{ hit.title }}</span>{% endif %}</li>
      {% endfor %}
    </ul>
  </section>
  {% endfor %}
"""
PARTIAL = '  {% rows_html "search/groups.html" results.groups %}\n'


def results(title: str) -> Results:
    from django.utils.translation import gettext_lazy as _

    requests = Kind("request", _("Requests"), position=10)
    machines = Kind("machine", _("Machines"), position=50)
    return Results(
        Query("x"),
        [
            Group(requests, [Hit("request", "BE-2026-000001", title, "/fr/requests/BE-2026-000001/", True)]),
            Group(
                machines,
                [
                    Hit("machine", "8286-42A 78AB001", "8286-42A 78AB001", "/fr/inventory/78AB001/?type=8286&x=1"),
                    Hit("machine", "8286-42A 78AB002", "", "/fr/inventory/78AB002/?type=8286"),
                    Hit("machine", "8286-42A 78AB003", title, "/fr/inventory/78AB003/?type=8286"),
                ],
            ),
        ],
    )


@pytest.mark.parametrize("language", ["en", "fr", "ro"])
@pytest.mark.parametrize("title", ["Imprimante bloquée au 2e étage", "<script>alert(1)</script> & co · ü"])
def test_the_partial_prints_what_the_django_loop_printed(language: str, title: str) -> None:
    with translation.override(language):
        context = Context({"results": results(title)})
        old = Template(DJANGO_LOOP).render(context)
        new = Template(PARTIAL).render(context)
    assert new == old
    assert "&lt;script&gt;" in new or "<script>" not in title


def test_quotes_are_escaped_too_only_spelled_otherwise() -> None:
    """Django writes &quot; and &#x27;, Jinja2 &#34; and &#39;: the same characters once parsed."""
    title = """L'imprimante "HP" """
    context = Context({"results": results(title)})
    old = Template(DJANGO_LOOP).render(context)
    new = Template(PARTIAL).render(context)
    assert '"HP"' not in new and "L'imprimante" not in new
    assert new.replace("&#34;", "&quot;").replace("&#39;", "&#x27;") == old
