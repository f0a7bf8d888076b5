"""Diagnostics and the one exception family users see."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import click

_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and line or paragraph separators: everything but a tab that is not printed as itself."""


def one_line(text: str) -> str:
    """`text` with every control character and line separator written as an escape (`\\u2028`)."""
    return _BREAKS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one content file, pointing at the line and column to fix."""

    file: str
    """Path of the file, relative to the working directory when possible."""
    line: int
    """1-based line number."""
    col: int
    """1-based column number."""
    code: str
    """Stable code such as `E-REF`; documented in playbook/editors/validation.md."""
    message: str
    """What is wrong, in one sentence."""
    where: str = ""
    """The field path inside the file, such as `requirements[1].evidence`."""

    def __post_init__(self) -> None:
        # one line, whatever a quoted value holds: a line separator (U+2028, NEL) would split it in CI
        # logs and annotations, and a terminal escape would reach the reader's terminal
        for name in ("file", "message", "where"):
            object.__setattr__(self, name, one_line(getattr(self, name)))

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.file}:{self.line}:{self.col}: {self.code} {self.message}{where}"


class PlaybookError(click.ClickException):
    """A user mistake: shown as a message, never as a traceback."""


class ValidationFailed(PlaybookError):
    """The content has problems; carries every one of them."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        lines = "\n".join(str(d) for d in self.diagnostics)
        count = len(self.diagnostics)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the playbook content:\n{lines}")
