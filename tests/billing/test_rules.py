"""Pure billing rules: taxes, totals and rounding, status, aging, statement maths (with hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.billing import rules
from guichet.core.money import format_money, locale_for, round_money

D = Decimal
DAY = date(2026, 3, 12)

amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
quantities = st.decimals(min_value=D("0.001"), max_value=D("999"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("9999.99"), places=2)
countries = st.sampled_from([("BE", ""), ("RO", ""), ("CA", "QC"), ("CA", "ON"), ("CA", "NS"), ("CA", "AB")])
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


def codes_for(country: str) -> list[str]:
    return {
        "BE": [rules.STANDARD, rules.REDUCED, rules.REDUCED_LOW, rules.EXEMPT, rules.REVERSE_CHARGE],
        "RO": [rules.STANDARD, rules.REDUCED, rules.EXEMPT],
        "CA": [rules.STANDARD, rules.EXEMPT],
    }[country]


@st.composite
def invoices(draw):  # type: ignore[no-untyped-def]
    country, province = draw(countries)
    lines = draw(
        st.lists(
            st.builds(
                rules.LineIn,
                description=st.just("x"),
                quantity=quantities,
                unit_price=prices,
                tax_code=st.sampled_from(codes_for(country)),
            ),
            min_size=1,
            max_size=12,
        )
    )
    currency = {"BE": "EUR", "RO": "RON", "CA": "CAD"}[country]
    return lines, country, province, currency, draw(days)


@given(invoices())
def test_total_is_lines_plus_taxes_rounded_per_currency(data) -> None:  # type: ignore[no-untyped-def]
    lines, country, province, currency, on = data
    totals = rules.invoice_totals(lines, country=country, province=province, currency=currency, on=on)
    assert totals.total == sum(line.net for line in totals.lines) + sum(t.amount for t in totals.taxes)
    assert totals.net == sum(line.net for line in totals.lines)
    for line, given_line in zip(totals.lines, lines, strict=True):
        assert line.net == round_money(given_line.quantity * given_line.unit_price, currency)
    for value in [totals.total, totals.tax, *(t.amount for t in totals.taxes)]:
        assert value == round_money(value, currency)  # never more decimals than the currency has
    # tax per rate: within half a cent of the exact tax of its base
    for tax in totals.taxes:
        assert abs(tax.amount - tax.base * tax.rate) <= D("0.005")


@pytest.mark.parametrize(
    ("country", "province", "code", "on", "expected"),
    [
        ("BE", "", rules.STANDARD, DAY, [("VAT", "0.21")]),
        ("BE", "", rules.REDUCED, DAY, [("VAT", "0.12")]),
        ("BE", "", rules.REDUCED_LOW, DAY, [("VAT", "0.06")]),
        ("BE", "", rules.REVERSE_CHARGE, DAY, []),
        ("RO", "", rules.STANDARD, date(2025, 7, 31), [("VAT", "0.19")]),
        ("RO", "", rules.STANDARD, date(2025, 8, 1), [("VAT", "0.21")]),
        ("RO", "", rules.REDUCED, date(2025, 8, 1), [("VAT", "0.11")]),
        ("CA", "QC", rules.STANDARD, DAY, [("GST", "0.05"), ("QST", "0.09975")]),
        ("CA", "ON", rules.STANDARD, DAY, [("HST", "0.13")]),
        ("CA", "NS", rules.STANDARD, date(2025, 3, 31), [("HST", "0.15")]),
        ("CA", "NS", rules.STANDARD, date(2025, 4, 1), [("HST", "0.14")]),
        ("CA", "NB", rules.STANDARD, DAY, [("HST", "0.15")]),
        ("CA", "BC", rules.STANDARD, DAY, [("GST", "0.05")]),
    ],
)
def test_tax_rates_by_country_and_date(country, province, code, on, expected) -> None:  # type: ignore[no-untyped-def]
    assert [(t.name, t.rate) for t in rules.taxes_for(country, province, code, on)] == [
        (name, D(rate)) for name, rate in expected
    ]


def test_unknown_code_for_country_is_refused() -> None:
    with pytest.raises(rules.UnknownTaxCode):
        rules.taxes_for("CA", "QC", rules.REDUCED, DAY)
    with pytest.raises(rules.UnknownTaxCode):
        rules.taxes_for("RO", "", rules.REDUCED_LOW, DAY)


def test_quebec_invoice_example() -> None:
    totals = rules.invoice_totals(
        [rules.LineIn("a", D("1"), D("100.00"))], country="CA", province="QC", currency="CAD", on=DAY
    )
    assert [(t.name, t.amount) for t in totals.taxes] == [("GST", D("5.00")), ("QST", D("9.98"))]
    assert totals.total == D("114.98")


def test_tax_is_rounded_once_per_rate_half_up() -> None:
    # three lines of 0.05 at 21 %: per line 0.0105 → 0.01 each (0.03); on the sum 0.0315 → 0.03
    lines = [rules.LineIn("a", D("1"), D("0.05"))] * 3
    totals = rules.invoice_totals(lines, country="BE", province="", currency="EUR", on=DAY)
    assert totals.tax == D("0.03")
    # 0.5 cent rounds up
    assert round_money(D("0.125"), "EUR") == D("0.13")


@given(
    st.lists(
        st.tuples(
            st.sampled_from([rules.INVOICE, rules.CREDIT_NOTE, rules.PAYMENT]),
            amounts,
            st.integers(min_value=0, max_value=400),
        ),
        max_size=40,
    ),
    st.decimals(min_value=D("-10000"), max_value=D("10000"), places=2),
)
def test_closing_is_opening_plus_invoices_minus_credits_and_payments(ops, opening) -> None:  # type: ignore[no-untyped-def]
    start = date(2026, 1, 1)
    end = start + timedelta(days=365)
    operations = [
        rules.Operation(start + timedelta(days=d), kind, f"R{i}", amount) for i, (kind, amount, d) in enumerate(ops)
    ]
    result = rules.statement(opening, operations, start, end)
    inside = [o for o in operations if start <= o.day <= end]
    invoiced = sum((o.amount for o in inside if o.kind == rules.INVOICE), D(0))
    credited = sum((o.amount for o in inside if o.kind == rules.CREDIT_NOTE), D(0))
    paid = sum((o.amount for o in inside if o.kind == rules.PAYMENT), D(0))
    assert result.closing == opening + invoiced - credited - paid
    assert (result.invoiced, result.credited, result.paid) == (invoiced, credited, paid)
    balance = opening
    for line in result.lines:  # the running balance follows each line
        balance += line.debit - line.credit
        assert line.balance == balance
    assert [line.operation.day for line in result.lines] == sorted(line.operation.day for line in result.lines)


@given(
    st.lists(st.tuples(st.sampled_from(["pay", "alloc"]), amounts), max_size=40),
    amounts,
)
def test_allocations_never_exceed_payment_or_invoice(steps, invoice_total) -> None:  # type: ignore[no-untyped-def]
    payment_left = D(0)
    invoice_open = invoice_total
    for step, amount in steps:
        if step == "pay":
            payment_left += amount
        elif rules.may_allocate(amount=amount, source_unallocated=payment_left, invoice_open=invoice_open):
            payment_left -= amount
            invoice_open -= amount
        assert payment_left >= 0 and invoice_open >= 0


@pytest.mark.parametrize(
    ("late", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
    ],
)
def test_aging_bucket_edges(late: int, bucket: str) -> None:
    assert rules.aging_bucket(DAY, DAY + timedelta(days=late)) == bucket


@given(st.lists(st.tuples(days, amounts), max_size=30), days)
def test_aging_buckets_add_up(items, today) -> None:  # type: ignore[no-untyped-def]
    buckets = rules.aging(items, today)
    assert list(buckets) == list(rules.AGING_BUCKETS)
    assert sum(buckets.values()) == sum((a for _d, a in items), D(0))


@pytest.mark.parametrize(
    ("settled", "today", "disputed", "expected"),
    [
        ("0", DAY, False, "open"),
        ("10", DAY, False, "partially_paid"),
        ("100", DAY + timedelta(days=99), False, "paid"),
        ("0", DAY + timedelta(days=1), False, "overdue"),
        ("10", DAY + timedelta(days=1), False, "overdue"),
        ("10", DAY + timedelta(days=1), True, "disputed"),
    ],
)
def test_status_from_amounts_and_dates(settled: str, today: date, disputed: bool, expected: str) -> None:
    assert rules.invoice_status(total=D("100"), settled=D(settled), due=DAY, today=today, disputed=disputed) == expected


@pytest.mark.parametrize(
    ("country", "is_credit_note", "expected"),
    [("BE", False, "+++002/0260/31219+++"), ("BE", True, None), ("CA", False, None), ("RO", False, None)],
)
def test_only_belgian_invoices_carry_a_structured_communication(
    country: str, is_credit_note: bool, expected: str | None
) -> None:
    assert rules.payment_reference(country, is_credit_note=is_credit_note, number="BE-INV-2026-0312") == expected


def test_numbers_and_terms() -> None:
    assert rules.number_for("BE", rules.INVOICE, 2026, 312) == "BE-INV-2026-0312"
    assert rules.number_for("RO", rules.CREDIT_NOTE, 2026, 1) == "RO-CN-2026-0001"
    assert rules.due_date(DAY, "BE") == DAY + timedelta(days=30)


@pytest.mark.parametrize(
    ("language", "country", "currency", "expected"),
    [
        ("fr", "BE", "EUR", "1\u202f234,56\xa0€"),
        ("fr", "CA", "CAD", "1\xa0234,56\xa0$"),
        ("en", "CA", "CAD", "$1,234.56"),
        ("ro", "RO", "RON", "1.234,56\xa0RON"),
    ],
)
def test_money_in_the_customers_locale(language: str, country: str, currency: str, expected: str) -> None:
    assert format_money(D("1234.555"), currency, locale_for(language, country)) == expected


@pytest.mark.parametrize(
    ("is_credit_note", "status", "allowed"),
    [
        (False, rules.OPEN, True),
        (False, rules.PARTIALLY_PAID, True),
        (False, rules.OVERDUE, True),
        (False, rules.DISPUTED, False),
        (False, rules.PAID, False),
        (False, rules.CANCELLED, False),
        (True, rules.OPEN, False),
    ],
)
def test_which_invoices_may_be_disputed(is_credit_note: bool, status: str, allowed: bool) -> None:
    assert rules.may_dispute(is_credit_note=is_credit_note, status=status) is allowed
