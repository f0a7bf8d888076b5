"""Work that runs in a child process while MkDocs renders pages: the files MkDocs only copies.

MkDocs renders pages on one core. The template downloads (Word, Excel), the JSON exports and the
short-URL redirect pages need nothing from the rendering, so a forked child writes them straight
into the site folder on the other core, and the build joins it before publishing the site.
Without fork (Windows), the work simply runs first.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from playbook.content.errors import PlaybookError


class Background:
    """Runs `work()` in a forked child from `start()`; `wait()` joins it and checks the `expected` files exist."""

    def __init__(self, work: Callable[[], None], expected: Iterable[Path]):
        self.work = work
        self.expected = list(expected)
        self.pid = 0
        self._report = -1  # read end of a pipe the child writes its failure to
        self._failure = ""

    def start(self) -> None:
        """Fork the child that does the work (without fork, do it now)."""
        if not hasattr(os, "fork"):
            self._failure = _attempt(self.work)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, report a failure through the pipe, never return into MkDocs
            code = 1
            try:
                os.close(read)
                failure = _attempt(self.work).encode("utf-8")
                while failure:
                    failure = failure[os.write(write, failure) :]
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self._report = pid, read

    def wait(self) -> None:
        """Block until the work is done; PlaybookError if it failed or left out a file."""
        if self.pid:
            with os.fdopen(self._report, "rb") as report:  # read before reaping: a long report fills the pipe
                self._failure = report.read().decode("utf-8", "replace")
            self._report = -1
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if os.waitstatus_to_exitcode(status) != 0 and not self._failure:
                raise PlaybookError(f"making the downloads and exports failed (child exit status {status})")
        if self._failure:
            raise PlaybookError("making the downloads and exports failed: " + self._failure)
        missing = [str(p) for p in self.expected if not p.is_file()]
        if missing:
            raise PlaybookError(f"making the downloads and exports left out {', '.join(missing[:5])}")

    def discard(self) -> None:
        """Stop the child if it still runs."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        if self._report >= 0:
            os.close(self._report)
            self._report = -1


def _attempt(work: Callable[[], None]) -> str:
    """Run `work`; what went wrong, or "" if nothing did."""
    try:
        work()
    except BaseException as exc:
        return exc.format_message() if isinstance(exc, PlaybookError) else traceback.format_exc()
    return ""
