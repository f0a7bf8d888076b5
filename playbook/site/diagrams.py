"""Mermaid diagrams made at build time from the data; rendered in the browser from the site's own copy."""

from __future__ import annotations

import re
from collections.abc import Iterable

from playbook.content.model import Lifecycle, Phase

_SPACE = re.compile(r"\s+")


def label(value: str) -> str:
    """Text safe inside a quoted Mermaid label and inside a Markdown code fence."""
    value = _SPACE.sub(" ", value).strip()
    return value.replace("#", "#35;").replace('"', "#quot;").replace("`", "'")


def mermaid(source: str) -> str:
    """A fenced Mermaid block (`search.mark_unsearched` keeps its source out of the search index)."""
    return f"```mermaid\n{source}\n```\n"


def lifecycle_flowchart(life: Lifecycle) -> str:
    """The phases top to bottom (readable on a phone), each edge labelled with the gate that closes the phase.

    A phase that runs alongside another (`alongside`) is drawn beside it, joined by a dotted line, and
    both lead on to the next phase through their gates.
    """
    lines = ["flowchart TD"]
    node = {phase.id: f"p{i}" for i, phase in enumerate(life.phases)}
    for phase in life.phases:
        lines.append(f'  {node[phase.id]}["{label(phase.title)}"]')
    lines.append('  done(["Closed"])')
    groups: list[list[Phase]] = []
    for phase in life.phases:
        partner = next((g for g in groups if g[0].id == phase.alongside), None)
        if partner is not None:
            partner.append(phase)
            lines.append(f'  {node[partner[0].id]} <-.->|"alongside"| {node[phase.id]}')
        else:
            groups.append([phase])
    for i, group in enumerate(groups):
        target = node[groups[i + 1][0].id] if i + 1 < len(groups) else "done"
        for phase in [p for p in group if p.gate] or group[:1]:
            gate = f'|"{label(phase.gate)}"|' if phase.gate else ""
            lines.append(f"  {node[phase.id]} -->{gate} {target}")
    return "\n".join(lines)


def pie(title: str, counts: Iterable[tuple[str, int]]) -> str:
    """A Mermaid pie chart of non-zero counts."""
    slices = [f'  "{label(name)}" : {count}' for name, count in counts if count]
    return "\n".join([f"pie showData title {label(title)}", *slices])
