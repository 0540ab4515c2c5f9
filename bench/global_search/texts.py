"""Texts a customer types into the header's search box, each once: a search typed for the first time.

bench/http's `global_search_first` and `api_search_first` and bench/rows/page_costs.py `--fresh`
take them from here (Django set up by the caller, on the bench database). Drawn from the
organisation's own data so that they find what a real search finds: its request numbers, its
invoice, order and contract numbers, its machines' serials (whole, or their first 6 characters),
and words of its requests' subjects (one, two or three of them). No two are the same, so no answer
is kept from an earlier one (decision 0014, "Kept answers"); the mix is fixed by a seed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from itertools import combinations, cycle
from typing import Any

from guichet.billing.models import Invoice
from guichet.contracts.models import Contract
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine
from guichet.orders.models import Order
from guichet.support.models import Request

SEED = 17
# Of ten searches: 4 request numbers, 2 words, 1 invoice number, 1 serial, 1 order number, 1 contract number.
MIX = ("request", "words", "invoice", "request", "serial", "words", "request", "order", "request", "contract")
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)  # words of letters only: numbers come from their own columns
COMMON = 10  # times a word is in the subjects read, to be one of their words


def _words(subjects: list[str], rng: random.Random) -> Iterator[str]:
    # The subjects' own words, not the serials and numbers some of them quote (each of those is rare).
    counts = Counter(word.lower() for subject in subjects for word in WORD.findall(subject))
    vocabulary = sorted(word for word, count in counts.items() if count >= COMMON)
    singles = [(word,) for word in vocabulary]
    pairs = list(combinations(vocabulary, 2))
    triples = list(combinations(vocabulary, 3))
    for group in (singles, pairs, triples):
        rng.shuffle(group)
        yield from (" ".join(words) for words in group)


def first_time_texts(organisation: Any, count: int) -> list[str]:
    """`count` different texts for `organisation`'s customer, in a fixed mixed order."""
    rng = random.Random(SEED)
    with across_organisations():
        mine = {"organisation": organisation}

        def numbers(model: Any, field: str = "number") -> list[str]:
            values = list(model.objects.filter(**mine).order_by("pk").values_list(field, flat=True)[: count * 2])
            rng.shuffle(values)
            return values

        serials = numbers(Machine, "serial")
        sources: dict[str, Iterator[str]] = {
            "request": iter(numbers(Request)),
            "invoice": iter(numbers(Invoice)),
            "order": iter(numbers(Order)),
            "contract": iter(numbers(Contract)),
            # Whole serials, and beginnings of 6 characters (each beginning once).
            "serial": iter(list(dict.fromkeys(s if n % 2 else s[:6] for n, s in enumerate(serials)))),
            "words": _words(list(Request.objects.filter(**mine).values_list("subject", flat=True)[:5000]), rng),
        }
    texts: list[str] = []
    seen: set[str] = set()
    for kind in cycle(MIX):
        if len(texts) == count or not sources:
            break
        if kind not in sources:
            continue
        text = next(sources[kind], None)
        if text is None:
            del sources[kind]
        elif text not in seen:
            seen.add(text)
            texts.append(text)
    return texts
