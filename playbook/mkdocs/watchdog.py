"""A bound on the time and memory MkDocs spends converting one page's Markdown.

Python-Markdown takes superlinear time, or unbounded memory, over some inputs; `markdown_checks.py`
refuses the ones known, and this stops the rest: a page whose conversion takes over PAGE_SECONDS, or
grows the process by over PAGE_MEMORY, ends the build with an error naming it. The check runs on a
timer signal, so only in the main thread of a POSIX process (a build, not `serve`'s builder thread).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType

from mkdocs.exceptions import PluginError

try:
    import resource
except ImportError:  # Windows: no memory figure, and no timer signal either
    resource = None  # type: ignore[assignment]

PAGE_SECONDS = 30.0
PAGE_MEMORY = 2 * 1024**3
"""Bytes of peak memory one page's conversion may add."""
BUILD_SECONDS = 300.0
SECONDS_A_PAGE = 0.2
"""All pages' conversions together may take BUILD_SECONDS and SECONDS_A_PAGE for each page (a playbook of
5,000 standards converts in under three minutes): many pages each just under the page limit add up."""
_TICK = 0.25


class Watchdog:
    """Armed when MkDocs starts converting a page, disarmed when it is done."""

    def __init__(self) -> None:
        self.page = ""
        self.budget = BUILD_SECONDS
        """Seconds all pages' conversions have left; `allow_pages` adds to it."""
        self._started = 0.0
        self._deadline = 0.0
        self._memory_limit = 0
        self._previous: object = None

    def allow_pages(self, count: int) -> None:
        self.budget = BUILD_SECONDS + SECONDS_A_PAGE * count

    @staticmethod
    def available() -> bool:
        return (
            resource is not None
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    def arm(self, page: str) -> None:
        if not self.available():
            return
        self.page = page
        self._started = time.monotonic()
        self._deadline = self._started + min(PAGE_SECONDS, self.budget)
        self._memory_limit = _peak() + PAGE_MEMORY
        self._previous = signal.signal(signal.SIGALRM, self._check)
        signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)

    def disarm(self) -> None:
        if not self.page:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]
        self.budget -= time.monotonic() - self._started
        self.page = ""

    def _check(self, signum: int, frame: FrameType | None) -> None:
        over = ""
        if time.monotonic() > self._deadline:
            all_pages = self._deadline < self._started + PAGE_SECONDS
            over = (
                "used the last of the time all pages may take" if all_pages else f"took over {PAGE_SECONDS:g} seconds"
            )
        elif _peak() > self._memory_limit:
            over = f"took over {PAGE_MEMORY // 1024**3} GB of memory"
        if over:
            page = self.page
            self.disarm()
            raise PluginError(
                f"{page}: E-SIZE converting this page's Markdown {over}; "
                "simplify it (deep nesting, unmatched brackets, very large tables)"
            )


def _peak() -> int:
    """The process's peak resident memory in bytes (ru_maxrss counts kilobytes, but bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
