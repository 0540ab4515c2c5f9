"""core/shapes.py: a queryset compiled once per shape gives, for other values, exactly what Django
would have compiled, and refuses what could carry one request's values into another's SQL."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q, QuerySet

from guichet.billing.models import Invoice
from guichet.core import shapes
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support.models import Request

pytestmark = pytest.mark.django_db

built: list[dict[str, Any]] = []


def _requests(values: shapes.Values) -> QuerySet[Request]:
    built.append(dict(values))
    subject = Q(subject__icontains=values["words"][0]) & Q(subject__startswith=values["words"][1])
    mine = Q(organisation=values["organisation"], number=values["number"])
    return Request.objects.filter(values["served"], subject, mine)


def _by_total(values: shapes.Values) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organisation=values["organisation"], total=values["total"])


def _anyones(values: shapes.Values) -> QuerySet[Request]:
    return Request.objects.filter(number=values["number"])


def _depends_on_the_value(values: shapes.Values) -> QuerySet[Request]:
    number = values["number"]
    return Request.objects.filter(number=number) if number.startswith("BE") else Request.objects.filter(subject=number)


def _plain(queryset: QuerySet[Any]) -> tuple[QuerySet[Any], tuple[()]]:
    return queryset.values_list("number"), ()


def _django(build: shapes.Build, values: shapes.Values) -> tuple[str, tuple[Any, ...]]:
    sql, params = build(values).values_list("number").query.sql_with_params()
    return sql, tuple(params)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    shapes.forget()
    built.clear()
    yield
    shapes.forget()


def _values(organisation: int, number: str, first: str, second: str, country: str = "BE") -> dict[str, Any]:
    return {
        "organisation": organisation,
        "number": number,
        "words": [first, second],
        "served": Q(organisation__country=country),
    }


def test_other_values_of_a_shape_bind_what_django_compiles_without_building_again() -> None:
    with across_organisations():
        shapes.bound(_requests, _values(1, "BE-1", "imprimante", "Pan"), finish=_plain)
        calls = len(built)
        for values in (
            _values(7, "BE-2026-000042", "50%_off", "a\\b"),  # LIKE's own characters, escaped as Django does
            _values(123456, "RO-9", "ÉTAGE", "x"),
        ):
            got = shapes.bound(_requests, values, finish=_plain)
            assert (got.sql, got.params) == _django(_requests, values)
        assert len(built) == calls + 2  # only the two real compilations above, made by the test itself


def test_amounts_and_other_kinds_of_value_are_shapes_of_their_own() -> None:
    with across_organisations():
        for total in (Decimal("121.00"), Decimal("9.5"), Decimal("1234.56")):
            got = shapes.bound(_by_total, {"organisation": 3, "total": total}, finish=_plain)
            assert (got.sql, got.params) == _django(_by_total, {"organisation": 3, "total": total})
        # A Q (what a member of staff serves) is part of the shape: another one is compiled anew.
        be = shapes.bound(_requests, _values(1, "N", "abc", "d", "BE"), finish=_plain)
        ro = shapes.bound(_requests, _values(1, "N", "abc", "d", "RO"), finish=_plain)
        assert "BE" in be.params and "RO" in ro.params and "BE" not in ro.params


def test_a_tenants_filter_is_bound_per_request_not_compiled_in(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    def around(values: shapes.Values) -> Any:
        return tenant_scope(values["organisation"])

    for organisation in (org_a, org_b):
        with tenant_scope(organisation):
            got = shapes.bound(_anyones, {"organisation": organisation.pk, "number": "X"}, finish=_plain, around=around)
        assert got.params.count(organisation.pk) == 1  # the tenant manager's own filter, this request's
        other = org_b if organisation == org_a else org_a
        assert other.pk not in got.params


def test_what_could_carry_a_request_into_another_is_refused(org_a) -> None:  # type: ignore[no-untyped-def]
    number = "BE-1"

    def closure(values: shapes.Values) -> QuerySet[Request]:
        return Request.objects.filter(number=number)

    with across_organisations(), pytest.raises(TypeError):
        shapes.bound(closure, {}, finish=_plain)
    with tenant_scope(org_a), pytest.raises(TypeError):  # the scope's organisation would be compiled in
        shapes.bound(_anyones, {"number": number}, finish=_plain)
    with across_organisations(), pytest.raises(ValueError, match="organisation"):
        shapes.bound(_anyones, {"number": number, "organisation": 1}, finish=_plain, required=("organisation",))


def test_a_statement_that_depends_on_a_value_is_compiled_every_time() -> None:
    with across_organisations():
        first = shapes.bound(_depends_on_the_value, {"number": "BE-1"}, finish=_plain)
        second = shapes.bound(_depends_on_the_value, {"number": "RO-1"}, finish=_plain)
        assert (first.sql, first.params) == _django(_depends_on_the_value, {"number": "BE-1"})
        assert (second.sql, second.params) == _django(_depends_on_the_value, {"number": "RO-1"})
    assert '"subject"' in second.sql
