"""A role's checklist as rows, and as a Markdown checklist for a wiki or an issue.

The Excel self-assessment sheet made from the same rows is `self_assessment.py`, apart: openpyxl
takes a tenth of a second to import, and pages need only the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One requirement on a checklist."""

    ref: str
    """`STD-007 R3`."""
    level: str
    phase: str
    """The phase's title, or "Throughout the project"."""
    text: str
    url: str
    """Where the requirement is on the site; '' when the site has no address."""


def checklist_md(title: str, rows: Sequence[Row]) -> bytes:
    """The checklist as Markdown task lists, by phase, for a wiki or an issue."""
    lines = [f"# {_md(title)}", ""]
    phase = None
    for row in rows:
        if row.phase != phase:
            phase = row.phase
            lines += ["", f"## {_md(phase)}", ""]
        ref = f"[{_md(row.ref)}]({row.url})" if row.url else _md(row.ref)
        lines.append(f"- [ ] **{row.level}** {ref}: {_md(row.text)}")
    return ("\n".join(lines).replace("\n\n\n", "\n\n") + "\n").encode()


def _md(value: str) -> str:
    """Text for a Markdown line: no markup of its own, on one line."""
    escaped = "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>" else c for c in value)
    return " ".join(escaped.split())
