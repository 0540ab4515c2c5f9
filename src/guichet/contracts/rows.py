"""My contracts' rows, prepared once per row (issue 17; decision 0016): every string a cell prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from guichet.core.rows import day_text, labels, money_text, prepared_rows, url_for

from .models import ContractKind, ContractStatus
from .templatetags.contracts_ui import contract_status_css


@dataclass(frozen=True, slots=True)
class ContractRow:
    number: str
    url: str
    title: str  # translated where the catalogue has it, as `{% translate contract.title %}` did
    kind: str
    status: str
    status_css: str
    start: str
    end: str  # "" when open-ended
    amount: str


def _translated(text: str) -> str:
    # Exactly `{% translate variable %}`: Django doubles the percent signs of the msgid, then halves them.
    return _(text.replace("%", "%%")).replace("%%", "%")


# What a row prints, read as columns (no model instance); the id orders ties and pages (keyset).
COLUMNS = ("id", "number", "title", "kind", "status", "start_date", "end_date", "amount", "currency")


@lru_cache(maxsize=2048)  # core.rows.prepared_rows: a row's columns and the language are all it prints
def _row(contract: Any, language: str) -> ContractRow:
    return ContractRow(
        number=contract.number,
        url=url_for("contracts:detail", {"number": contract.number}),
        title=_translated(contract.title),
        kind=labels(ContractKind).get(contract.kind, contract.kind),
        status=labels(ContractStatus).get(contract.status, contract.status),
        status_css=contract_status_css(contract.status),
        start=day_text(contract.start_date),
        end=day_text(contract.end_date),
        amount=money_text(contract.amount, contract.currency),
    )


def contract_rows(page: Iterable[Any]) -> list[ContractRow]:
    """The rows of a page read as `COLUMNS` (`values_list(*COLUMNS, named=True)`), in the active language."""
    return prepared_rows(_row, page)
