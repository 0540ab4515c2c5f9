"""The accessibility checker itself: a page with known faults must fail it.

Without this, a checker that silently stopped running (axe not injected, an
empty result read the wrong way) would let every page "pass".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

FAULTY_PAGE = """<!doctype html><html lang="en"><head><title>Faulty</title></head><body><main>
<h1>Faulty</h1><img src="data:," width="10" height="10"><input type="text" name="unlabelled">
</main></body></html>"""
CLEAN_PAGE = """<!doctype html><html lang="en"><head><title>Clean</title></head><body><main>
<h1>Clean</h1><label for="q">Search</label><input id="q" type="text" name="q">
</main></body></html>"""


@pytest.mark.e2e
def test_axe_check_reports_violations_and_accepts_a_clean_page(browser: Any, axe_check: Callable[[Any], None]) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.set_content(FAULTY_PAGE)
        with pytest.raises(AssertionError) as failure:
            axe_check(page)
        assert "image-alt" in str(failure.value)
        assert "label" in str(failure.value)
        page.set_content(CLEAN_PAGE)
        axe_check(page)
    finally:
        page.close()
