"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Chromium missing is a skip on a workstation (with a visible notice) and a
failure in CI, where a silently skipped browser suite would hide regressions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.tools import in_ci

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made from the test body (fixtures, assertions) are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = "Chromium not installed: browser tests skipped"
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
# axe is served to the page as if from the portal itself, so the Content-Security-Policy stays on.
AXE_URL = "/__test__/axe.min.js"
PHONE_VIEWPORT = {"width": 390, "height": 844}
# Generous for a cold Django view on a loaded 2-core machine, short enough that a hang fails fast.
TIMEOUT_MS = 30_000


_notices: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say it once at the end, outside the captured output, so nobody mistakes a skip for a pass."""
    for notice in dict.fromkeys(_notices):
        terminalreporter.write_sep("-", "browser tests", yellow=True)
        terminalreporter.write_line(notice, yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing (apt-get install chromium).")
        notice = f"NOTICE: {MISSING_CHROMIUM} ({CHROMIUM} not found; set CI=true to make this an error)"
        print(notice)
        _notices.append(notice)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _new_context(browser: Any, live_server: Any, **options: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _csp_violation(message: Any) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Factory of isolated browser contexts (own cookies), closed after the test.

    The test fails if a page broke the Content-Security-Policy (an inline script or style the
    browser refused): with the policy on, such a page silently loses a behaviour."""
    contexts: list[Any] = []
    violations: list[str] = []

    def make(*, phone: bool = False, **options: Any) -> Any:
        if phone:
            options.setdefault("viewport", PHONE_VIEWPORT)
            options.setdefault("is_mobile", True)
            options.setdefault("has_touch", True)
        context = _new_context(browser, live_server, **options)
        context.on("console", lambda message: violations.append(message.text) if _csp_violation(message) else None)
        context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A desktop-sized page."""
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context: Callable[..., Any]) -> Any:
    """A phone-sized page (390x844, touch), for layouts that collapse."""
    return new_context(phone=True).new_page()


# Colours are checked at rest: a button still fading out of its hover or focus colours (Bootstrap's
# .15 s transitions) would be measured half-way, a contrast no one sees for longer than that.
# Endless animations (a spinner) are not waited for.
_AXE_RUN = """async () => {
  const ending = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(ending.map((a) => a.finished.catch(() => null)));
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, failureSummary: n.failureSummary})),
  }));
}"""


def _run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core and run it, once the page has settled.

    A check made right after a click may meet the page while the next one is still loading
    (no <head> yet, or the script's context destroyed by the navigation): wait for that page
    and inject again, rather than fail on the race.
    """
    for _ in range(2):
        page.wait_for_load_state("load")
        try:
            return _inject_and_run(page)
        except PlaywrightError:
            continue
    page.wait_for_load_state("load")
    return _inject_and_run(page)


def _inject_and_run(page: Any) -> list[dict[str, Any]]:
    if page.url.startswith("http"):
        page.add_script_tag(url=urljoin(page.url, AXE_URL))
    else:  # a page set from a string: no origin to serve axe from, and no policy to keep
        page.add_script_tag(path=str(AXE_JS))
    # Only violations are reported, so only they are detailed and sent back.
    return page.evaluate(_AXE_RUN)


def axe_check(page: Any) -> None:
    """Fail when axe-core finds any accessibility violation on the page as it is now."""
    violations = _run_axe(page)
    lines: list[str] = []
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
        print("\n".join(lines))
    assert not violations, "\n".join(lines)


@pytest.fixture(name="axe_check")
def axe_check_fixture() -> Callable[[Any], None]:
    return axe_check
