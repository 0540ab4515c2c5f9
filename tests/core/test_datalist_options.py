"""A reference field's datalist (partials/datalist.html): printed once per distinct list of values in
each process (core/rows.py), escaped, and the same whatever the values come as."""

from __future__ import annotations

from django.template import engines

from guichet.core.rows import datalist_options

TEMPLATE = '{% include "partials/datalist.html" with id="org-serials" values=values %}'


def page(values: object) -> str:
    return engines["django"].from_string(TEMPLATE).render({"values": values})


def test_options_are_escaped_and_in_order() -> None:
    html = page(["78AB001", '<b>"x"</b> & y'])
    assert '<datalist id="org-serials">' in html
    assert '<option value="78AB001"></option><option value="&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; y"></option>' in html


def test_the_same_values_print_the_same_options_and_other_values_their_own() -> None:
    first = datalist_options(["A1", "B2"])
    assert datalist_options(("A1", "B2")) == first  # the same list, as a tuple: the same text
    assert datalist_options(["A1", "B2", "C3"]) != first  # a new serial shows at once
    assert "C3" in datalist_options(["A1", "B2", "C3"])


def test_a_generator_or_unhashable_values_are_printed_each_time() -> None:
    assert page(v for v in ["X9"]).count("<option") == 1  # order_numbers_of yields its numbers
    assert datalist_options([["not", "hashable"]]).count("<option") == 1
    assert page([]).count("<option") == 0
