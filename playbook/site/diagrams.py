"""Mermaid diagrams made at build time from the data; rendered in the browser from the site's own copy."""

from __future__ import annotations

import re
from collections.abc import Iterable

from playbook.content.model import Lifecycle, Raci

_SPACE = re.compile(r"\s+")


def label(value: str) -> str:
    """Text safe inside a quoted Mermaid label and inside a Markdown code fence."""
    value = _SPACE.sub(" ", value).strip()
    return value.replace("#", "#35;").replace('"', "#quot;").replace("`", "'")


def mermaid(source: str) -> str:
    """A fenced Mermaid block."""
    return f"```mermaid\n{source}\n```\n"


def lifecycle_flowchart(life: Lifecycle) -> str:
    """The phases top to bottom (readable on a phone), each edge labelled with the gate that closes the phase."""
    lines = ["flowchart TD"]
    for i, phase in enumerate(life.phases):
        lines.append(f'  p{i}["{label(phase.title)}"]')
    lines.append('  done(["Closed"])')
    for i, phase in enumerate(life.phases):
        target = f"p{i + 1}" if i + 1 < len(life.phases) else "done"
        gate = f'|"{label(phase.gate)}"|' if phase.gate else ""
        lines.append(f"  p{i} -->{gate} {target}")
    return "\n".join(lines)


def pie(title: str, counts: Iterable[tuple[str, int]]) -> str:
    """A Mermaid pie chart of non-zero counts."""
    slices = [f'  "{label(name)}" : {count}' for name, count in counts if count]
    return "\n".join([f"pie showData title {label(title)}", *slices])


def raci_letters(raci: Raci, role: str) -> str:
    """The RACI letters `role` holds for one activity, such as `R/A`."""
    return "/".join(
        letter for letter, roles in (("R", raci.R), ("A", (raci.A,)), ("C", raci.C), ("I", raci.I)) if role in roles
    )
