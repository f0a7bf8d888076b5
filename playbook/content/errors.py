"""Diagnostics and the one exception family users see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import click


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
    """Stable code such as `E-REF`; documented in docs/validation.md."""
    message: str
    """What is wrong, in one sentence."""
    where: str = ""
    """The field path inside the file, such as `requirements[1].evidence`."""

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
