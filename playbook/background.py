"""Work that runs in a child process while MkDocs renders pages: the template downloads.

MkDocs renders pages on one core. Making Word and Excel files takes a few seconds for a large
playbook and needs nothing from the rendering, so a forked child makes them on the other core
and writes them to a folder; the build copies them from there once it is done. Without fork
(Windows), the work simply runs first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import PlaybookError

_ERROR = ".error"


class Background:
    """Runs `work(folder)` in a forked child; `wait()` joins it and checks it wrote `expected`."""

    def __init__(self, work: Callable[[Path], None], expected: Iterable[str]):
        self.folder = Path(tempfile.mkdtemp(prefix="playbook-work-"))
        self.expected = list(expected)
        self.pid = 0
        if not hasattr(os, "fork"):
            self._run(work)
            return
        pid = os.fork()
        if pid == 0:  # the child: do the work, report failure in a file, never return into MkDocs
            code = 1
            try:
                self._run(work)
                code = 0
            finally:
                os._exit(code)
        self.pid = pid

    def _run(self, work: Callable[[Path], None]) -> None:
        try:
            work(self.folder)
        except BaseException as exc:
            message = exc.format_message() if isinstance(exc, PlaybookError) else traceback.format_exc()
            (self.folder / _ERROR).write_text(message, encoding="utf-8")

    def wait(self) -> None:
        """Block until the work is done; PlaybookError if it failed or left out a file."""
        if self.pid:
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if os.waitstatus_to_exitcode(status) != 0 and not (self.folder / _ERROR).exists():
                raise PlaybookError(f"making the downloads failed (child exit status {status})")
        if (self.folder / _ERROR).exists():
            raise PlaybookError("making the downloads failed: " + (self.folder / _ERROR).read_text(encoding="utf-8"))
        missing = [p for p in self.expected if not (self.folder / p).is_file()]
        if missing:
            raise PlaybookError(f"making the downloads left out {', '.join(missing[:5])}")

    def discard(self) -> None:
        """Stop the child if it still runs and remove the folder."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        shutil.rmtree(self.folder, ignore_errors=True)
