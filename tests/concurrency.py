"""Run the same work in several threads at the same moment, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def at_once(work: Callable[[], None], threads: int = 4) -> list[BaseException]:
    """Start `threads` threads running `work` together (a barrier), wait for all of them; the errors
    they raised, for the test to assert on from the main thread."""
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # reported to the caller
            errors.append(error)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors
