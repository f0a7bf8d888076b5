"""Turn validation results into text, JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from playbook.content.errors import Diagnostic


def text(diagnostics: Sequence[Diagnostic]) -> str:
    """One greppable line per problem, then a count."""
    if not diagnostics:
        return "ok: no problems found"
    files = len({d.file for d in diagnostics})
    count = len(diagnostics)
    lines = [str(d) for d in diagnostics]
    lines.append(f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}")
    return "\n".join(lines)


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON list of objects with file, line, col, code, message and where."""
    rows = [
        {"file": d.file, "line": d.line, "col": d.col, "code": d.code, "message": d.message, "where": d.where}
        for d in diagnostics
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _escape_property(value: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeProperty)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each problem becomes an inline annotation on the PR."""
    return "\n".join(
        f"::error file={_escape_property(d.file)},line={d.line},col={d.col},title={_escape_property(d.code)}::"
        + _escape_data(d.message + (f" ({d.where})" if d.where else ""))
        for d in diagnostics
    )


REPORTERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {"text": text, "json": as_json, "github": github}
